import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { JobEdge, JobNode } from "../flow";
import { OverviewPicture } from "./overviewPicture";
import { flowPoint, jobAt, prepare, redrawOnChange } from "./paintJobs";

/**
 * Below this zoom the whole canvas is drawn as one picture: a card is a few pixels tall, and
 * thousands of cards and edges as page elements make every frame of a pan or zoom slow.
 */
export const OVERVIEW_ZOOM = 0.2;

/** The class the canvas (`.react-flow`) has while the overview replaces its cards and edges. */
export const OVERVIEW_CLASS = "cw-overview";

/** How long (ms) the zoom stays still before the stretched picture is painted sharp again. */
const SHARPEN_AFTER = 150;

interface Props {
  /** The connections to draw: React Flow is given none while the overview is shown. */
  edges: readonly JobEdge[];
  /** A job's box clicked: select the job and show it in the inspector. */
  onChoose: (uid: string) => void;
  /** The overview shown or left: the cards are then hidden from React Flow, or shown. */
  onShown: (on: boolean) => void;
}

/**
 * Zoomed out past `OVERVIEW_ZOOM`, every job is drawn as a box in its status colour and every
 * connection as a line on one canvas over the pane, a picture (`OverviewPicture`) moved on each
 * pan and zoom outside React; the cards and edges are taken from React Flow (`onShown`), which
 * then mounts none of the thousands in view and unmounts those it had, once. The pane under the
 * picture still takes the mouse: pointing at a box names its job (uid and title), and a click
 * on one chooses it.
 */
export function Overview({ edges, onChoose, onShown }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const store = useStoreApi<JobNode>();
  const chooseRef = useRef(onChoose);
  chooseRef.current = onChoose;
  const shownRef = useRef(onShown);
  shownRef.current = onShown;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;
  const redrawRef = useRef<(() => void) | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new edges, a new picture
  useEffect(() => redrawRef.current?.(), [edges]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const tip = tipRef.current;
    const flow = canvas?.closest(".react-flow");
    if (!canvas || !tip || !flow) {
      return;
    }
    let on = false;
    const picture = new OverviewPicture();
    let sharpen = 0;
    const { stop, redraw } = redrawOnChange(store, (state) => {
      const was = on;
      on = state.transform[2] < OVERVIEW_ZOOM && state.nodeLookup.size > 0;
      if (on !== was) {
        shownRef.current(on);
      }
      flow.classList.toggle(OVERVIEW_CLASS, on);
      canvas.hidden = !on;
      if (!on) {
        tip.hidden = true;
      }
      window.clearTimeout(sharpen);
      const context = on ? prepare(canvas, state.width, state.height) : null;
      if (!context) {
        picture.clear();
      } else if (picture.draw(context, state, edgesRef.current) === "stale") {
        // Stretched while the zoom changes; sharp again once it stops.
        sharpen = window.setTimeout(() => {
          picture.paint(store.getState(), edgesRef.current);
          redraw();
        }, SHARPEN_AFTER);
      }
    });
    redrawRef.current = redraw;
    const pointed = (event: PointerEvent | MouseEvent) => {
      if (!on || !(event.target as Element).classList.contains("react-flow__pane")) {
        return null;
      }
      const state = store.getState();
      const pane = flow.getBoundingClientRect();
      const [x, y] = flowPoint(state, pane, event.clientX, event.clientY);
      return { node: jobAt(state, x, y), pane };
    };
    const onMove = (event: PointerEvent) => {
      const hit = pointed(event);
      const node = hit?.node;
      flow.classList.toggle("cw-overview-pointing", Boolean(node));
      if (!hit || !node) {
        tip.hidden = true;
        return;
      }
      tip.textContent = `${node.id} · ${node.data.job.title}`;
      tip.style.transform = `translate(${event.clientX - hit.pane.left + 12}px, ${
        event.clientY - hit.pane.top + 12
      }px)`;
      tip.hidden = false;
    };
    // After React Flow's own click on the pane, which clears the selection.
    const onClick = (event: MouseEvent) => {
      const uid = pointed(event)?.node?.id;
      if (uid) {
        setTimeout(() => chooseRef.current(uid), 0);
      }
    };
    const onLeave = () => {
      tip.hidden = true;
    };
    flow.addEventListener("pointermove", onMove as EventListener);
    flow.addEventListener("click", onClick as EventListener);
    flow.addEventListener("pointerleave", onLeave);
    return () => {
      stop();
      window.clearTimeout(sharpen);
      picture.clear();
      redrawRef.current = null;
      flow.removeEventListener("pointermove", onMove as EventListener);
      flow.removeEventListener("click", onClick as EventListener);
      flow.removeEventListener("pointerleave", onLeave);
      flow.classList.remove(OVERVIEW_CLASS, "cw-overview-pointing");
    };
  }, [store]);

  return (
    <>
      <canvas ref={canvasRef} className="cw-overview-canvas" data-testid="overview" hidden />
      <div ref={tipRef} className="cw-overview-tip" data-testid="overview-tip" hidden />
    </>
  );
}
