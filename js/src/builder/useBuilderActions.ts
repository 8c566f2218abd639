import { useReactFlow, useStoreApi } from "@xyflow/react";
import { type PointerEvent, type RefObject, useCallback, useMemo, useRef } from "react";
import type { RequestClient } from "./client";
import type { BuilderActions } from "./context";
import { copyText, saveBytes } from "./dom";
import { downloadFile } from "./download";
import type { JobNode } from "./flow";
import { absolutePath, dragLabel } from "./format";
import { DEFAULT_CARD } from "./layout";
import type { Handoff } from "./panels/HandoffPanel";
import type { CatalogEntry, Command, DragSource, GraphView } from "./protocol";

/** Commands whose "done" message is worth a word on the canvas. */
const ANNOUNCED = new Set<Command["op"]>([
  "connect",
  "connect_result",
  "disconnect",
  "clear_slot",
  "set_param",
  "clear_param",
  "add_job",
  "delete_job",
  "undo",
  "redo",
]);

/**
 * Send a command to Python: resolves true when applied; a refusal's reason is shown on the
 * canvas, and the "done" message of the commands worth a word.
 */
export function useSend(
  client: RequestClient,
  showError: (message: string) => void,
  showInfo: (message: string) => void,
) {
  return useCallback(
    async (command: Command): Promise<boolean> => {
      try {
        const { reply } = await client.request({ type: "command", command });
        if (ANNOUNCED.has(command.op) && reply.done) {
          showInfo(reply.done);
        }
        return true;
      } catch (error) {
        showError((error as Error).message);
        return false;
      }
    },
    [client, showError, showInfo],
  );
}

/** Room (px) kept between a card brought into view and the canvas's edge or the panel. */
const REVEAL_MARGIN = 24;

interface Options {
  graph: GraphView;
  send: (command: Command) => Promise<boolean>;
  client: RequestClient;
  rootRef: RefObject<HTMLElement | null>;
  canvasRef: RefObject<HTMLElement | null>;
  showError: (message: string) => void;
  showInfo: (message: string) => void;
  startDrag: (source: DragSource, event: PointerEvent<Element>) => void;
  /** Side panels, opened and closed by the actions. */
  panels: {
    setHandoff: (handoff: Handoff | null) => void;
    closeSide: () => void;
    inspect: BuilderActions["inspect"];
  };
}

/**
 * What the widget does when asked: commands, copy,
 * download, adding a job at the canvas's centre, the hand-off and the workflow of the selected
 * jobs, going to a job. The cards reach them through `ActionsContext` (`actions`).
 */
export function useBuilderActions({
  graph,
  send,
  client,
  rootRef,
  canvasRef,
  showError,
  showInfo,
  startDrag,
  panels,
}: Options) {
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const reactFlow = useReactFlow<JobNode>();
  const flowStore = useStoreApi<JobNode>();
  const { setHandoff, closeSide, inspect } = panels;

  const actions: BuilderActions = useMemo(
    () => ({
      command: send,
      startDrag(source, event) {
        if (!graphRef.current.read_only) {
          startDrag(source, event);
        }
      },
      inspect,
      copyPath(metafile) {
        const path = absolutePath(graphRef.current.root, metafile);
        copyText(path).then(
          () => showInfo(`Copied ${path}`),
          (error: Error) => showError(`Could not copy ${path}: ${error.message}`),
        );
      },
      download(job, output, result, version) {
        const progress = (received: number, size: number) => {
          if (received < size) {
            const percent = Math.floor((100 * received) / size);
            showInfo(
              `Downloading ${dragLabel({ kind: "result", job, output, result, version })}: ${percent}%`,
            );
          }
        };
        downloadFile(client, { job, output, result, version }, progress).then(
          ({ filename, parts }) => {
            saveBytes(filename, parts);
            showInfo(`Downloaded ${filename}`);
          },
          (error: Error) => showError(error.message),
        );
      },
    }),
    [client, send, startDrag, inspect, showError, showInfo],
  );

  const addJob = useCallback(
    (entry: CatalogEntry) => {
      const box = canvasRef.current?.getBoundingClientRect();
      const center = box
        ? reactFlow.screenToFlowPosition({
            x: box.left + box.width / 2,
            y: box.top + box.height / 2,
          })
        : { x: 0, y: 0 };
      void send({
        op: "add_job",
        type: entry.key,
        x: Math.round(center.x - DEFAULT_CARD.width / 2),
        y: Math.round(center.y - DEFAULT_CARD.height / 2),
      });
    },
    [canvasRef, reactFlow, send],
  );

  /** "Send to CryoSPARC": the cryosparc-tools script of the selected building jobs. */
  const handoff = useCallback(
    (selected: readonly string[]) => {
      const jobs = [...selected];
      closeSide();
      setHandoff({ state: "loading", jobs });
      client.request({ type: "handoff", jobs, workspace: "W1" }).then(
        ({ reply }) => setHandoff({ state: "ok", jobs: reply.jobs, script: reply.script }),
        (error: Error) => setHandoff({ state: "error", jobs, error: error.message }),
      );
    },
    [client, closeSide, setHandoff],
  );

  const saveWorkflow = useCallback(
    (selected: readonly string[]) => {
      client.request({ type: "workflow", jobs: [...selected] }).then(
        ({ reply }) => {
          saveBytes(reply.filename, [new TextEncoder().encode(reply.text)]);
          showInfo(`Saved ${reply.filename}`);
        },
        (error: Error) => showError(error.message),
      );
    },
    [client, showError, showInfo],
  );

  /**
   * Show a job in the inspector, and pan its card out from under the panel if it is there
   * (once the panel is drawn, in the next frame).
   */
  const inspectCard = useCallback(
    (uid: string) => {
      inspect({ job: uid });
      requestAnimationFrame(() => {
        const canvas = canvasRef.current;
        const panel = canvas?.querySelector(".cw-inspector");
        const node = reactFlow.getInternalNode(uid);
        if (!canvas || !panel || !node) {
          return;
        }
        const viewport = reactFlow.getViewport();
        const left = node.internals.positionAbsolute.x * viewport.zoom + viewport.x;
        const width = (node.measured.width ?? 0) * viewport.zoom;
        const free = canvas.clientWidth - panel.getBoundingClientRect().width;
        const to = Math.max(REVEAL_MARGIN, Math.min(left, free - REVEAL_MARGIN - width));
        if (to !== left) {
          void reactFlow.setViewport({ ...viewport, x: viewport.x + to - left }, { duration: 200 });
        }
      });
    },
    [canvasRef, reactFlow, inspect],
  );

  /** Select a job, bring it into view, and show it in the inspector. */
  const goTo = useCallback(
    (uid: string) => {
      const store = flowStore.getState();
      store.unselectNodesAndEdges();
      store.addSelectedNodes([uid]);
      // Centred by hand: React Flow's fitView waits until every card has been measured, and
      // only the cards in view are ever drawn.
      const node = reactFlow.getInternalNode(uid);
      if (!node) {
        return;
      }
      const { x, y } = node.internals.positionAbsolute;
      const width = node.measured.width ?? node.initialWidth ?? 0;
      const height = node.measured.height ?? node.initialHeight ?? 0;
      void reactFlow.setCenter(x + width / 2, y + height / 2, { zoom: 1, duration: 0 }).then(() => {
        inspectCard(uid);
      });
      rootRef.current?.focus({ preventScroll: true });
    },
    [flowStore, reactFlow, rootRef, inspectCard],
  );

  const undo = useCallback(() => void send({ op: "undo" }), [send]);
  const redo = useCallback(() => void send({ op: "redo" }), [send]);

  return { actions, addJob, handoff, saveWorkflow, goTo, inspectCard, undo, redo };
}
