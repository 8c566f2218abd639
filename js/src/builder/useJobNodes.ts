import {
  applyNodeChanges,
  getViewportForBounds,
  type NodeChange,
  type OnNodeDrag,
  useNodesInitialized,
  useReactFlow,
  useStore,
  useStoreApi,
} from "@xyflow/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { buildEdges, type JobNode, syncNodes, withoutEstimates } from "./flow";
import { allAtOrigin } from "./graph";
import { layoutPositions, type Positions } from "./layout";
import type { Command, GraphView } from "./protocol";

type Send = (command: Command) => Promise<boolean>;

export const MIN_ZOOM = 0.02;
const TOP_MARGIN = 24;
/** Zoom at which a card's uid and title (13 px) are drawn at least 11 px tall on screen. */
export const READABLE_ZOOM = 11 / 13;

/**
 * React Flow's nodes for the graph trait. Positions come from Python; dragging a card moves it
 * locally until the drop, which sends one command. A refused move puts the card back.
 */
export function useJobNodes(graph: GraphView, send: Send) {
  const [nodes, setNodes] = useState<JobNode[]>(() => syncNodes([], graph));
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const reactFlow = useReactFlow<JobNode>();

  useEffect(() => {
    setNodes((previous) => syncNodes(previous, graph));
  }, [graph]);

  const resync = useCallback(
    () => setNodes((previous) => syncNodes(previous, graphRef.current)),
    [],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<JobNode>[]) =>
      setNodes((previous) => {
        const next = applyNodeChanges(changes, previous);
        return changes.some((change) => change.type === "dimensions")
          ? withoutEstimates(next)
          : next;
      }),
    [],
  );

  /** One command for all the moves: set_position for a single card unless `batch`. */
  const sendPositions = useCallback(
    async (positions: Positions, batch = false) => {
      const moved = Object.entries(positions);
      if (moved.length === 0 || graphRef.current.read_only) {
        return;
      }
      const [first] = moved;
      const command: Command =
        moved.length === 1 && first && !batch
          ? { op: "set_position", job: first[0], x: first[1][0], y: first[1][1] }
          : { op: "set_positions", positions };
      if (!(await send(command))) {
        resync();
      }
    },
    [send, resync],
  );

  const onNodeDragStop: OnNodeDrag<JobNode> = useCallback(
    (_event, _node, dragged) => {
      const jobs = new Map(graphRef.current.jobs.map((job) => [job.uid, job]));
      const positions: Positions = {};
      for (const node of dragged) {
        const x = Math.round(node.position.x);
        const y = Math.round(node.position.y);
        const old = jobs.get(node.id)?.position;
        if (old && (old[0] !== x || old[1] !== y)) {
          positions[node.id] = [x, y];
        }
      }
      void sendPositions(positions);
    },
    [sendPositions],
  );

  const store = useStoreApi<JobNode>();
  /**
   * Fit every card in view, aligned to the top of the canvas rather than centred: in a notebook
   * the canvas's top is what scrolls into sight first.
   */
  const fitView = useCallback(
    (duration = 250, readable = false) => {
      const { width, height } = store.getState();
      const all = reactFlow.getNodes();
      if (all.length === 0 || width === 0 || height === 0) {
        return;
      }
      const bounds = reactFlow.getNodesBounds(all);
      const fit = getViewportForBounds(bounds, width, height, MIN_ZOOM, 1, "24px");
      let viewport = {
        x: fit.x,
        y: Math.min(fit.y, TOP_MARGIN - bounds.y * fit.zoom),
        zoom: fit.zoom,
      };
      if (readable && fit.zoom < READABLE_ZOOM) {
        // The first view: cards readable from the start of the project, the rest a pan or a
        // zoom away ("Fit view" still shows everything).
        const zoom = READABLE_ZOOM;
        viewport = { x: TOP_MARGIN - bounds.x * zoom, y: TOP_MARGIN - bounds.y * zoom, zoom };
      }
      void reactFlow.setViewport(viewport, { duration });
    },
    [reactFlow, store],
  );

  const autoLayout = useCallback(
    async (first = false) => {
      const measured = reactFlow.getNodes().map((node) => ({
        id: node.id,
        width: node.measured?.width ?? node.initialWidth,
        height: node.measured?.height ?? node.initialHeight,
      }));
      const { width, height } = store.getState();
      const aspect = width > 0 && height > 0 ? width / height : undefined;
      const positions = await layoutPositions(measured, buildEdges(graphRef.current), aspect);
      setNodes((previous) =>
        previous.map((node) => {
          const at = positions[node.id];
          return at ? { ...node, position: { x: at[0], y: at[1] } } : node;
        }),
      );
      // Fit once React Flow has the new positions (it takes them on the next render).
      setTimeout(() => fitView(250, first), 50);
      const changed = graphRef.current.jobs.some((job) => {
        const at = positions[job.uid];
        return at && (at[0] !== job.position[0] || at[1] !== job.position[1]);
      });
      if (changed) {
        await sendPositions(positions, true);
      }
    },
    [reactFlow, fitView, sendPositions, store],
  );

  // The first view. A fresh project (every job at the origin, all in view and so all drawn)
  // is laid out once its cards have been measured; any other is fitted at once, from the
  // estimated sizes of the cards not drawn yet (only those in view are).
  const initialized = useNodesInitialized();
  const sized = useStore((s) => s.width > 0 && s.height > 0 && s.nodeLookup.size > 0);
  const checked = useRef(false);
  useEffect(() => {
    if (checked.current || !sized || graph.jobs.length === 0) {
      return;
    }
    if (allAtOrigin(graph.jobs)) {
      if (initialized) {
        checked.current = true;
        void autoLayout(true);
      }
      return;
    }
    checked.current = true;
    fitView(0, true);
  }, [initialized, sized, graph, autoLayout, fitView]);

  return { nodes, onNodesChange, onNodeDragStop, autoLayout, fitView };
}
