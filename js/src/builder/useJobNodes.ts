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
import type { RequestClient } from "./client";
import {
  estimateCard,
  hideNodes,
  type JobEdge,
  type JobNode,
  layoutNode,
  syncNodes,
  withoutEstimates,
} from "./flow";
import { type Layout, layout, type Positions } from "./layout";
import { layoutEngine } from "./layoutEngine";
import type { Command, GraphView } from "./protocol";
import { type Box, keepRoutes, type Routes } from "./routes";
import { boundsOf, READABLE_ZOOM, readableView, VIEW_MARGIN } from "./views";

type Send = (command: Command) => Promise<boolean>;

export const MIN_ZOOM = 0.02;

/** The edges' routes from the last layout, and where each card was then. */
interface Routed {
  routes: Routes;
  at: Positions;
}

/**
 * React Flow's nodes for the graph trait. Positions come from Python; dragging a card moves it
 * locally until the drop, which sends one command. A refused move puts the card back.
 */
export function useJobNodes(
  graph: GraphView,
  edges: readonly JobEdge[],
  send: Send,
  client: RequestClient,
  showError: (message: string) => void,
) {
  const [nodes, setNodes] = useState<JobNode[]>(() => syncNodes([], graph));
  const [routed, setRouted] = useState<Routed>({ routes: {}, at: {} });
  // How many times the view has been fitted (the first view, a layout's, "Fit view"), once the
  // canvas stands still: shown on the canvas (`data-fits`), for tests to wait on.
  const [fits, setFits] = useState(0);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;
  const routedRef = useRef(routed);
  routedRef.current = routed;
  const reactFlow = useReactFlow<JobNode>();

  const overviewRef = useRef(false);
  const [overview, setOverviewShown] = useState(false);
  useEffect(() => {
    setNodes((previous) => syncNodes(previous, graph, overviewRef.current));
  }, [graph]);
  /** The overview shown (or left): React Flow draws no card and no edge while it is. */
  const setOverview = useCallback((on: boolean) => {
    overviewRef.current = on;
    setOverviewShown(on);
    setNodes((previous) => hideNodes(previous, on));
  }, []);

  // A card moved or added since the layout drops the routes it makes wrong.
  useEffect(() => {
    setRouted((old) => {
      if (Object.keys(old.routes).length === 0) {
        return old;
      }
      const now = new Map(graph.jobs.map((job) => [job.uid, job.position]));
      const jobs = new Map(graph.jobs.map((job) => [job.uid, job]));
      const size = (id: string): [number, number] => {
        const node = reactFlow.getInternalNode(id);
        const job = jobs.get(id);
        if (!node && job) {
          // A new card React Flow has not taken yet: its estimated size.
          const { width, height } = estimateCard(job);
          return [width, height];
        }
        return [
          node?.measured.width ?? node?.initialWidth ?? 0,
          node?.measured.height ?? node?.initialHeight ?? 0,
        ];
      };
      const routes = keepRoutes(old.routes, edges, old.at, now, size);
      return routes === old.routes ? old : { routes, at: old.at };
    });
  }, [graph, edges, reactFlow]);

  const resync = useCallback(
    () => setNodes((previous) => syncNodes(previous, graphRef.current, overviewRef.current)),
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
   * Fit every card (and the routes of its edges) in view, aligned to the top of the canvas
   * rather than centred: in a notebook the canvas's top is what scrolls into sight first. With
   * `readable` (the first view), a project too large to read whole shows its start readable,
   * ending between cards ("Fit view" still shows everything).
   */
  const fitView = useCallback(
    (duration = 250, readable = false, laidOut?: Layout) => {
      const { width, height } = store.getState();
      // A layout's own positions and routes: React Flow may not have taken them yet.
      const at = laidOut?.positions;
      const cards: Box[] = reactFlow.getNodes().map((node) => ({
        x: at?.[node.id]?.[0] ?? node.position.x,
        y: at?.[node.id]?.[1] ?? node.position.y,
        w: node.measured?.width ?? node.initialWidth ?? 0,
        h: node.measured?.height ?? node.initialHeight ?? 0,
      }));
      const routes = laidOut?.routes ?? routedRef.current.routes;
      const bounds = boundsOf(cards, Object.values(routes).flat());
      if (bounds === null || width === 0 || height === 0) {
        return Promise.resolve(false);
      }
      const rect = { x: bounds.x, y: bounds.y, width: bounds.w, height: bounds.h };
      const fit = getViewportForBounds(rect, width, height, MIN_ZOOM, 1, `${VIEW_MARGIN}px`);
      const viewport =
        readable && fit.zoom < READABLE_ZOOM
          ? readableView(cards, bounds, width, height)
          : { x: fit.x, y: Math.min(fit.y, VIEW_MARGIN - bounds.y * fit.zoom), zoom: fit.zoom };
      return reactFlow.setViewport(viewport, { duration }).then(() => {
        setFits((n) => n + 1);
        return true;
      });
    },
    [reactFlow, store],
  );

  const autoLayout = useCallback(
    async (first = false) => {
      const cards = reactFlow.getNodes().flatMap((node) => {
        const internal = reactFlow.getInternalNode(node.id);
        return internal ? [layoutNode(internal)] : [];
      });
      const { width, height } = store.getState();
      const sized = width > 0 && height > 0;
      const aspect = sized ? width / height : undefined;
      // As wide as the canvas shows at a readable zoom: a small project's first view reads whole.
      const rowWidth = sized ? (width - 2 * VIEW_MARGIN) / READABLE_ZOOM : undefined;
      let laidOut: Layout;
      try {
        laidOut = await layout(await layoutEngine(client), cards, edgesRef.current, {
          aspect,
          rowWidth,
        });
      } catch (error) {
        showError(`The layout failed: ${error instanceof Error ? error.message : error}`);
        return;
      }
      const { positions, routes } = laidOut;
      setRouted({ routes, at: positions });
      setNodes((previous) =>
        previous.map((node) => {
          const at = positions[node.id];
          return at ? { ...node, position: { x: at[0], y: at[1] } } : node;
        }),
      );
      void fitView(250, first, laidOut);
      const changed = graphRef.current.jobs.some((job) => {
        const at = positions[job.uid];
        return at && (at[0] !== job.position[0] || at[1] !== job.position[1]);
      });
      if (changed) {
        await sendPositions(positions, true);
      }
    },
    [reactFlow, fitView, sendPositions, store, client, showError],
  );

  // The first view. A project nobody has placed (no job moved by hand, `laid_out`) is laid out
  // once its cards have been measured, or those in view (only those are drawn) a frame after;
  // any other is fitted at once, from the estimated sizes of the cards not drawn yet.
  const initialized = useNodesInitialized();
  const sized = useStore((s) => s.width > 0 && s.height > 0 && s.nodeLookup.size > 0);
  const checked = useRef(false);
  const waiting = useRef(false);
  useEffect(() => {
    if (checked.current || !sized || graph.jobs.length === 0) {
      return;
    }
    const layOut = () => {
      if (!checked.current) {
        checked.current = true;
        void autoLayout(true);
      }
    };
    if (graph.laid_out) {
      checked.current = true;
      void fitView(0, true);
    } else if (initialized) {
      layOut();
    } else if (!waiting.current) {
      waiting.current = true;
      requestAnimationFrame(() => requestAnimationFrame(layOut));
    }
  }, [initialized, sized, graph, autoLayout, fitView]);

  return {
    nodes,
    routes: routed.routes,
    fits,
    overview,
    onNodesChange,
    onNodeDragStop,
    autoLayout,
    fitView,
    setOverview,
  };
}
