import {
  type Edge,
  type InternalNode,
  MarkerType,
  type Node,
  type NodeHandle,
  Position,
} from "@xyflow/react";
import { findJob, sameJson } from "./graph";
import type { LayoutNode, LayoutPort } from "./layout";
import type { Command, ConnectionView, GraphView, JobView, SlotSourceView } from "./protocol";
import type { Route, Routes } from "./routes";

export const JOB_NODE = "job";

export type JobNodeData = { job: JobView };
export type JobNode = Node<JobNodeData, typeof JOB_NODE>;

export type EdgeKind = "connection" | "override";
/** `route`: where the last layout ran the edge, around the cards (routes.ts). */
export type JobEdgeData = { kind: EdgeKind; route?: Route };
/** Every edge is drawn by `RoutedEdge`: along its route while it has one, else a curve. */
export const ROUTED_EDGE = "routed";
export type JobEdge = Edge<JobEdgeData, typeof ROUTED_EDGE>;

// Handle ids inside a job card. Edges end on the row they concern when the card shows it, and on
// the card's header otherwise.
export const JOB_IN = "in";
export const JOB_OUT = "out";
export const outputHandle = (group: string) => `out:${group}`;
export const inputHandle = (input: string) => `in:${input}`;
export const slotHandle = (input: string, connection: number, slot: string) =>
  `slot:${input}:${connection}:${slot}`;

/**
 * Whether a slot source gets its own edge: an override that comes from another job than its
 * connection's (another version of the same job shows only as a marker on the slot).
 */
export function hasOverrideEdge(connection: ConnectionView, source: SlotSourceView): boolean {
  return source.override && source.job !== connection.job;
}

/** Only building jobs show their inputs (and so their input and slot handles). */
export function showsInputs(job: JobView): boolean {
  return job.status === "building";
}

// A card's size and where its edges end, before it has ever been drawn: React Flow draws only
// the cards in view (`onlyRenderVisibleElements`), and needs a size to tell which those are
// and handles to draw the edges of cards out of view. Drawn once, a card is measured and these
// are dropped (`withoutEstimates`).
const CARD_WIDTH = 320;
const CARD_HEAD = 52; // header and title
const TAGS = 22;
const ROW = 24;

/** The estimated size and handles of a job's card (compact: one row per group). */
export function estimateCard(job: JobView): {
  width: number;
  height: number;
  handles: NodeHandle[];
} {
  const handles: NodeHandle[] = [];
  const handle = (id: string, type: "source" | "target", y: number) =>
    handles.push({
      id,
      type,
      position: type === "source" ? Position.Right : Position.Left,
      x: type === "source" ? CARD_WIDTH : 0,
      y,
      width: 1,
      height: 1,
    });
  handle(JOB_OUT, "source", CARD_HEAD / 2);
  let y = CARD_HEAD + (job.tags.length > 0 ? TAGS : 0);
  if (showsInputs(job)) {
    for (const input of job.inputs) {
      handle(inputHandle(input.name), "target", y + ROW / 2);
      input.connections.forEach((connection, index) => {
        for (const source of connection.slots) {
          if (hasOverrideEdge(connection, source)) {
            handle(
              slotHandle(input.name, index, source.slot ?? source.result),
              "target",
              y + ROW / 2,
            );
          }
        }
      });
      y += ROW;
    }
  } else {
    handle(JOB_IN, "target", CARD_HEAD / 2);
  }
  for (const output of job.outputs) {
    handle(outputHandle(output.name), "source", y + ROW / 2);
    y += ROW;
  }
  return { width: CARD_WIDTH, height: y + 8, handles };
}

function jobNode(job: JobView, draggable: boolean, hidden: boolean): JobNode {
  const { width, height, handles } = estimateCard(job);
  return {
    id: job.uid,
    hidden,
    type: JOB_NODE,
    position: { x: job.position[0], y: job.position[1] },
    data: { job },
    draggable,
    initialWidth: width,
    initialHeight: height,
    handles,
  };
}

/**
 * Nodes measured since the last call lose their estimated handles, so that React Flow keeps
 * the handles it measured on the card (it takes a node's `handles` over its measurement).
 */
export function withoutEstimates(nodes: JobNode[]): JobNode[] {
  let changed = false;
  const next = nodes.map((node) => {
    if (node.handles === undefined || node.measured?.width === undefined) {
      return node;
    }
    changed = true;
    const { handles: _estimated, ...measured } = node;
    return measured;
  });
  return changed ? next : nodes;
}

/**
 * The nodes for a new graph snapshot, reusing `previous` where nothing changed (a new job's node
 * is `hidden` as the others are, in the overview): React Flow keeps a
 * node's measured size and selection only while it gets the same object, and memoized cards skip
 * rendering when their data is the same object.
 */
export function syncNodes(
  previous: readonly JobNode[],
  graph: GraphView,
  hidden = false,
): JobNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  const draggable = !graph.read_only;
  return graph.jobs.map((job) => {
    const old = byId.get(job.uid);
    if (!old) {
      return jobNode(job, draggable, hidden);
    }
    const position = { x: job.position[0], y: job.position[1] };
    const samePosition = old.position.x === position.x && old.position.y === position.y;
    // Position lives on the node; a moved card keeps its data object and so does not re-render.
    // Jobs an edit did not touch keep their objects (graphStore.ts): no comparison needed.
    const sameData =
      old.data.job === job ||
      sameJson({ ...old.data.job, position: null }, { ...job, position: null });
    if (samePosition && sameData && old.draggable === draggable) {
      return old;
    }
    const updated: JobNode = {
      ...old,
      position: samePosition ? old.position : position,
      data: sameData ? old.data : { job },
      draggable,
    };
    if (!sameData && old.handles !== undefined) {
      updated.handles = estimateCard(job).handles; // not drawn yet: its groups may differ
    }
    return updated;
  });
}

const EDGE_COLOR = "var(--cw-edge, #8c96a8)";
const OVERRIDE_COLOR = "var(--cw-override, #e07b00)";
// Shared by every edge of a kind (thousands of edges, one object each), never changed.
const CONNECTION_DATA: JobEdgeData = { kind: "connection" };
const CONNECTION_STYLE = { stroke: EDGE_COLOR, strokeWidth: 1.5 };
const CONNECTION_MARKER = {
  type: MarkerType.ArrowClosed,
  color: EDGE_COLOR,
  width: 16,
  height: 16,
};
const OVERRIDE_DATA: JobEdgeData = { kind: "override" };
const OVERRIDE_STYLE = { stroke: OVERRIDE_COLOR, strokeWidth: 1.5, strokeDasharray: "6 4" };
const OVERRIDE_LABEL = { fill: OVERRIDE_COLOR, fontSize: 10 };
const LABEL_BACKGROUND = { fill: "var(--cw-card, #fff)" };
const OVERRIDE_MARKER = {
  type: MarkerType.ArrowClosed,
  color: OVERRIDE_COLOR,
  width: 16,
  height: 16,
};

/** A job's edges, and the job views they were made from (undefined: not in the graph). */
interface MadeEdges {
  edges: JobEdge[];
  from: [string, JobView | undefined][];
}

const edgesOf = new WeakMap<JobView, MadeEdges>();

/**
 * One edge per connection (source job to target job), and one per slot override that comes from
 * a job other than the connection's own, drawn dashed. Edges from jobs not in the graph are left
 * out, since React Flow cannot draw them. A job whose view and whose sources' views are the
 * objects they were (an edit elsewhere: graphStore.ts keeps them) keeps its edge objects, so that
 * React Flow draws none of its edges again.
 */
export function buildEdges(graph: GraphView): JobEdge[] {
  const jobs = new Map(graph.jobs.map((job) => [job.uid, job]));
  const edges: JobEdge[] = [];
  for (const job of graph.jobs) {
    let made = edgesOf.get(job);
    if (made === undefined || made.from.some(([uid, view]) => jobs.get(uid) !== view)) {
      made = jobEdges(job, jobs);
      edgesOf.set(job, made);
    }
    edges.push(...made.edges);
  }
  return edges;
}

/** Where an edge from `group` of `source` starts: its output's row, or the card's own handle
 * when the card has no such row (an output unknown to the graph). */
function outputOf(source: JobView | undefined, group: string): string {
  return source?.outputs.some((o) => o.name === group) ? outputHandle(group) : JOB_OUT;
}

/** A connection's edge from a (job, handle) to another. */
function connectionEdge(
  id: string,
  [source, sourceHandle]: [string, string],
  [target, targetHandle]: [string, string],
  className = "cw-edge",
): JobEdge {
  return {
    id,
    type: ROUTED_EDGE,
    source,
    sourceHandle,
    target,
    targetHandle,
    data: CONNECTION_DATA,
    className,
    style: CONNECTION_STYLE,
    markerEnd: CONNECTION_MARKER,
  };
}

/** The edges ending on `job`'s card. */
function jobEdges(job: JobView, jobs: ReadonlyMap<string, JobView>): MadeEdges {
  const from = new Map<string, JobView | undefined>();
  const sourceHandle = (uid: string, group: string) => outputOf(jobs.get(uid), group);
  const edges: JobEdge[] = [];
  const rows = showsInputs(job);
  for (const input of job.inputs) {
    input.connections.forEach((connection, index) => {
      from.set(connection.job, jobs.get(connection.job));
      if (jobs.has(connection.job)) {
        edges.push(
          connectionEdge(
            `c:${job.uid}:${input.name}:${index}`,
            [connection.job, sourceHandle(connection.job, connection.group)],
            [job.uid, rows ? inputHandle(input.name) : JOB_IN],
          ),
        );
      }
      for (const source of connection.slots) {
        from.set(source.job, jobs.get(source.job));
        if (!hasOverrideEdge(connection, source) || !jobs.has(source.job)) {
          continue;
        }
        const slot = source.slot ?? source.result;
        const slotRow = rows && source.slot !== null;
        edges.push({
          id: `o:${job.uid}:${input.name}:${index}:${slot}`,
          type: ROUTED_EDGE,
          source: source.job,
          sourceHandle: sourceHandle(source.job, source.group),
          target: job.uid,
          targetHandle: slotRow ? slotHandle(input.name, index, slot) : JOB_IN,
          data: OVERRIDE_DATA,
          className: "cw-edge cw-edge-override",
          label: `${slot} override`,
          style: OVERRIDE_STYLE,
          labelStyle: OVERRIDE_LABEL,
          labelBgStyle: LABEL_BACKGROUND,
          markerEnd: OVERRIDE_MARKER,
        });
      }
    });
  }
  return { edges, from: [...from] };
}

/**
 * The edge a dropped connection will have, drawn at once while Python applies the edit (the
 * drop's target had accepted it): replaced by the real one when the edit's graph arrives, gone
 * if Python refuses. Null for other commands.
 */
export function pendingEdge(command: Command, graph: GraphView): JobEdge | null {
  if (command.op !== "connect") {
    return null;
  }
  const source = findJob(graph, command.source_job);
  return connectionEdge(
    `pending:${command.job}:${command.input}`,
    [command.source_job, outputOf(source, command.source_output)],
    [command.job, inputHandle(command.input)],
    "cw-edge cw-edge-pending",
  );
}

/**
 * The nodes hidden from React Flow, or shown again: in the overview (Overview.tsx) the canvas
 * draws every job itself, and React Flow then mounts no card however many are in view.
 */
export function hideNodes(nodes: JobNode[], hidden: boolean): JobNode[] {
  return nodes.some((node) => Boolean(node.hidden) !== hidden)
    ? nodes.map((node) => (Boolean(node.hidden) === hidden ? node : { ...node, hidden }))
    : nodes;
}

const routed = new WeakMap<JobEdge, { route: Route; edge: JobEdge }>();

/** The edges with their routes; those without one (made since the last layout, or whose route
 * a moved card made wrong) are drawn as curves. An edge keeps its routed object while its edge
 * and route are the same (React Flow then draws it no more). */
export function withRoutes(edges: JobEdge[], routes: Routes): JobEdge[] {
  return edges.map((edge) => {
    const route = routes[edge.id];
    if (!route || !edge.data) {
      return edge;
    }
    const kept = routed.get(edge);
    if (kept?.route === route) {
      return kept.edge;
    }
    const made = { ...edge, data: { ...edge.data, route } };
    routed.set(edge, { route, edge: made });
    return made;
  });
}

/**
 * A card as the layout sees it: its size and where its handles are, measured if it has been
 * drawn, else as estimated (`estimateCard`). A port's `y` is its handle's middle.
 */
export function layoutNode(node: InternalNode<JobNode>): LayoutNode {
  const measured = node.internals.handleBounds;
  const handles = measured
    ? [...(measured.source ?? []), ...(measured.target ?? [])]
    : (node.handles ?? estimateCard(node.data.job).handles);
  const ports = handles.map(
    (handle): LayoutPort => ({
      id: handle.id ?? "",
      side: handle.type === "source" ? "out" : "in",
      y: handle.y + (handle.height ?? 0) / 2,
    }),
  );
  return {
    id: node.id,
    width: node.measured.width ?? node.initialWidth,
    height: node.measured.height ?? node.initialHeight,
    ports,
  };
}

/** Status colours of the minimap (the cards take theirs from the stylesheet). */
export const STATUS_COLORS: Record<string, string> = {
  building: "#7b8aa5",
  queued: "#d29a0a",
  running: "#2d7ff9",
  completed: "#2e9d5b",
  failed: "#d64545",
  killed: "#8a6aa8",
};
export const DEFAULT_STATUS_COLOR = "#999";
