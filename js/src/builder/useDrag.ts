import type { PointerEvent as ReactPointerEvent, RefObject } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DRAG_SHIELD } from "./canvas/DragOverlay";
import type { RequestClient } from "./client";
import { type DragState, decideDrop, NO_TARGETS, type TargetRef, targetKindFor } from "./compat";
import { createOverlayStore, HIDDEN, type OverlayStore } from "./overlayStore";
import type { Command, DragSource } from "./protocol";

/** Pointer travel (px) before a press on a source becomes a drag; shorter is a click. */
export const DRAG_THRESHOLD = 4;

interface Options {
  client: RequestClient;
  rootRef: RefObject<HTMLElement | null>;
  /** The drop targets of one job of the current graph, by target id (their `data-target`);
   * a target's element names its job in `data-job`. */
  targets: (job: string) => ReadonlyMap<string, TargetRef>;
  send: (command: Command) => void;
  showError: (message: string) => void;
  /** Called as a drag starts (the canvas drops an earlier refusal's banner). */
  onStart: () => void;
}

interface Session {
  source: DragSource;
  pointerId: number;
  startX: number;
  startY: number;
  active: boolean;
  state: DragState;
  hoverElement: Element | null;
}

const INTERACTIVE = "button, select, input, textarea, a, [contenteditable]";

/** The element under a point below the drag's shield, looking inside the shadow root if the
 * widget lives in one. */
function elementAt(root: HTMLElement, x: number, y: number): Element | null {
  const scope = root.getRootNode();
  const found =
    scope instanceof ShadowRoot ? scope.elementsFromPoint(x, y) : document.elementsFromPoint(x, y);
  return found.find((element) => !element.classList.contains(DRAG_SHIELD)) ?? null;
}

/**
 * Drags from output rows to input groups and slots with pointer events (real mouse, pen or
 * touch): a press on a source starts a session, moving past a few pixels starts the drag and asks
 * Python which targets accept it, releasing over a target drops. Only the start, the verdicts and
 * the end touch React state; pointer moves go to the overlay store.
 */
export function useDrag({ client, rootRef, targets, send, showError, onStart }: Options) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const overlay: OverlayStore = useMemo(createOverlayStore, []);
  const session = useRef<Session | null>(null);
  const callbacks = useRef({ targets, send, showError, onStart });
  callbacks.current = { targets, send, showError, onStart };
  const stop = useRef<() => void>(() => {});

  const startDrag = useCallback(
    (source: DragSource, event: ReactPointerEvent<Element>) => {
      const root = rootRef.current;
      if (!root || session.current || (event.pointerType === "mouse" && event.button !== 0)) {
        return;
      }
      if ((event.target as Element).closest(INTERACTIVE)) {
        return; // the row's own buttons and version select
      }
      const current: Session = {
        source,
        pointerId: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        active: false,
        state: { source, verdicts: null },
        hoverElement: null,
      };
      session.current = current;
      const kind = targetKindFor(source);

      const hoverAt = (x: number, y: number): Element | null => {
        const element = elementAt(root, x, y)?.closest(`[data-drop-kind="${kind}"]`) ?? null;
        if (element !== current.hoverElement) {
          current.hoverElement?.removeAttribute("data-drop-hover");
          element?.setAttribute("data-drop-hover", "true");
          current.hoverElement = element;
        }
        return element;
      };

      const activate = () => {
        current.active = true;
        callbacks.current.onStart();
        setDrag(current.state);
        client.request({ type: "compatibility", source }).then(
          ({ reply }) => {
            if (session.current === current) {
              current.state = { source, verdicts: reply.targets };
              setDrag(current.state);
            }
          },
          (error: Error) => {
            if (session.current === current) {
              callbacks.current.showError(error.message);
            }
          },
        );
      };

      const onMove = (e: PointerEvent) => {
        if (e.pointerId !== current.pointerId) {
          return;
        }
        if (!current.active) {
          const distance = Math.hypot(e.clientX - current.startX, e.clientY - current.startY);
          if (distance < DRAG_THRESHOLD) {
            return;
          }
          activate();
        }
        e.preventDefault(); // no text selection while dragging
        const element = hoverAt(e.clientX, e.clientY);
        const box = root.getBoundingClientRect();
        overlay.set({
          visible: true,
          x: e.clientX - box.left,
          y: e.clientY - box.top,
          width: box.width,
          height: box.height,
          hover: element?.getAttribute("data-target") ?? null,
        });
      };

      const finish = () => {
        window.removeEventListener("pointermove", onMove, true);
        window.removeEventListener("pointerup", onUp, true);
        window.removeEventListener("pointercancel", onCancel, true);
        window.removeEventListener("keydown", onKey, true);
        current.hoverElement?.removeAttribute("data-drop-hover");
        session.current = null;
        stop.current = () => {};
        overlay.set(HIDDEN);
        setDrag(null);
      };

      const onUp = (e: PointerEvent) => {
        if (e.pointerId !== current.pointerId) {
          return;
        }
        const wasActive = current.active;
        const element = wasActive ? hoverAt(e.clientX, e.clientY) : null;
        const state = current.state;
        finish();
        if (!wasActive) {
          return; // a click, not a drag
        }
        const { targets, send, showError } = callbacks.current;
        const job = element?.getAttribute("data-job");
        const target = element?.getAttribute("data-target") ?? null;
        const decision = decideDrop(state, target, job ? targets(job) : NO_TARGETS);
        if (decision.action === "send") {
          send(decision.command);
        } else if (decision.action === "refuse") {
          showError(decision.message);
        }
      };

      const onCancel = (e: PointerEvent) => {
        if (e.pointerId === current.pointerId) {
          finish();
        }
      };

      const onKey = (e: KeyboardEvent) => {
        if (e.key === "Escape" && current.active) {
          e.preventDefault();
          e.stopPropagation();
          finish();
        }
      };

      // Capture phase on window: React Flow and JupyterLab cannot swallow the moves.
      window.addEventListener("pointermove", onMove, true);
      window.addEventListener("pointerup", onUp, true);
      window.addEventListener("pointercancel", onCancel, true);
      window.addEventListener("keydown", onKey, true);
      stop.current = finish;
    },
    [client, rootRef, overlay],
  );

  useEffect(() => () => stop.current(), []);

  return { drag, startDrag, overlay };
}
