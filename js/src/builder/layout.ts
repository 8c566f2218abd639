import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from "elkjs/lib/elk-api";
import { uidNumber } from "./graph";
import { type Routes, routesFrom, shiftRoutes } from "./routes";

/** Where an edge ends on a card: a handle, at `y` from the card's top, on its left (`in`) or
 * right (`out`) side. */
export interface LayoutPort {
  id: string;
  side: "in" | "out";
  y: number;
}

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
  /** The card's handles; an edge whose handle is not listed ends on the card itself. */
  ports?: readonly LayoutPort[];
}

export interface LayoutEdge {
  /** The canvas's edge id, which names its route; made up from the ends if absent. */
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export type Positions = Record<string, [number, number]>;

/** Cards' top-left corners, and the path of every edge between them (see routes.ts). */
export interface Layout {
  positions: Positions;
  routes: Routes;
}

/** What computes a layout: ELK, in a worker (layoutEngine.ts) or in the same thread (tests). */
export type LayoutEngine = Pick<ELK, "layout">;

/** Size assumed for a card React Flow has not measured yet. */
export const DEFAULT_CARD = { width: 320, height: 160 };

export const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.spacing.nodeNode": "40",
  "elk.spacing.componentComponent": "60",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  // Edges run in the gaps between cards, with right angles; routes.ts draws ELK's paths.
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.spacing.edgeNodeBetweenLayers": "20",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "12",
};

/** A chain longer than this many jobs wraps into rows (see `WRAPPING`). */
export const WRAP_AFTER = 5;

/** A long chain (the T20S tutorial's twelve jobs) wraps into rows about as wide as the
 * canvas, instead of one line that fits on the canvas only at an unreadable zoom. */
const WRAPPING: Record<string, string> = {
  "elk.layered.wrapping.strategy": "MULTI_EDGE",
  "elk.layered.wrapping.additionalEdgeSpacing": "20",
};

const portId = (node: string, handle: string) => `${node}\u0000${handle}`;

/**
 * ELK's input: one node per card at its measured size with its handles as ports fixed where
 * the card draws them, and one edge per pair of ends (edges between the same two handles share
 * one route; `aliases` says which ELK edge draws each canvas edge).
 */
export function elkGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  aspect = DEFAULT_ASPECT,
  wrap = longestChain(nodes, edges) > WRAP_AFTER,
): { graph: ElkNode; aliases: Map<string, string> } {
  const ports = new Map<string, Set<string>>();
  const children = nodes.map((node): ElkNode => {
    const width = node.width ?? DEFAULT_CARD.width;
    const height = node.height ?? DEFAULT_CARD.height;
    ports.set(node.id, new Set((node.ports ?? []).map((port) => port.id)));
    const elkPorts = (node.ports ?? []).map(
      (port): ElkPort => ({
        id: portId(node.id, port.id),
        x: port.side === "in" ? 0 : width,
        y: Math.min(Math.max(port.y, 0), height),
        width: 0,
        height: 0,
        layoutOptions: { "elk.port.side": port.side === "in" ? "WEST" : "EAST" },
      }),
    );
    return elkPorts.length > 0
      ? {
          id: node.id,
          width,
          height,
          ports: elkPorts,
          layoutOptions: { "elk.portConstraints": "FIXED_POS" },
        }
      : { id: node.id, width, height };
  });
  const end = (node: string, handle: string | null | undefined) =>
    handle && ports.get(node)?.has(handle) ? portId(node, handle) : node;
  const byEnds = new Map<string, string>();
  const aliases = new Map<string, string>();
  const elkEdges: ElkExtendedEdge[] = [];
  for (const edge of edges) {
    if (edge.source === edge.target || !ports.has(edge.source) || !ports.has(edge.target)) {
      continue;
    }
    const source = end(edge.source, edge.sourceHandle);
    const target = end(edge.target, edge.targetHandle);
    const key = `${source}\u0001${target}`;
    const id = edge.id ?? key;
    const shared = byEnds.get(key);
    if (shared === undefined) {
      byEnds.set(key, id);
      aliases.set(id, id);
      elkEdges.push({ id, sources: [source], targets: [target] });
    } else {
      aliases.set(id, shared);
    }
  }
  const graph: ElkNode = {
    id: "root",
    layoutOptions: wrap
      ? { ...LAYOUT_OPTIONS, ...WRAPPING, "elk.aspectRatio": aspect.toFixed(2) }
      : LAYOUT_OPTIONS,
    children,
    edges: elkEdges,
  };
  return { graph, aliases };
}

/** How many jobs the longest chain of connected jobs holds (1 for lone jobs). */
export function longestChain(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): number {
  const parents = new Map<string, string[]>(nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    if (edge.source !== edge.target && parents.has(edge.source)) {
      parents.get(edge.target)?.push(edge.source);
    }
  }
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle (refused by Python; never drawn): stop
    seen.add(id);
    const d = 1 + Math.max(0, ...(parents.get(id) ?? []).map((p) => visit(p, seen)));
    depth.set(id, d);
    return d;
  };
  return Math.max(0, ...nodes.map((node) => visit(node.id, new Set())));
}

/** Top-left corner of every laid-out card, in whole pixels. */
export function positionsFrom(result: ElkNode): Positions {
  const positions: Positions = {};
  for (const child of result.children ?? []) {
    positions[child.id] = [Math.round(child.x ?? 0), Math.round(child.y ?? 0)];
  }
  return positions;
}

/** Gap between separate pipelines. */
export const COMPONENT_GAP = 80;
/** Width over height of the packed pipelines when the canvas's own is not known. */
export const DEFAULT_ASPECT = 1.6;

/** Jobs grouped into connected pipelines (edges in either direction join them). */
export function components(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): string[][] {
  const parent = new Map(nodes.map((node) => [node.id, node.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const edge of edges) {
    if (parent.has(edge.source) && parent.has(edge.target)) {
      parent.set(find(edge.source), find(edge.target));
    }
  }
  const groups = new Map<string, string[]>();
  for (const node of nodes) {
    const root = find(node.id);
    groups.set(root, [...(groups.get(root) ?? []), node.id]);
  }
  return [...groups.values()];
}

/**
 * Pipelines side by side, in the order of their oldest job, top-aligned, in rows about as wide
 * as the canvas's shape asks (`aspect`, width over height) and at least `minRowWidth`, unless
 * `rowWidth` is given: the project's history reads left to right, and a job just added (not connected yet) lands at the
 * end of a row rather than above everything.
 */
export function packComponents(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  positions: Positions,
  {
    aspect = DEFAULT_ASPECT,
    rowWidth,
    minRowWidth = 0,
  }: { aspect?: number; rowWidth?: number; minRowWidth?: number } = {},
): Positions {
  const sizes = new Map<string, [number, number]>(
    nodes.map((n) => [n.id, [n.width ?? DEFAULT_CARD.width, n.height ?? DEFAULT_CARD.height]]),
  );
  const boxes = components(nodes, edges).map((ids) => {
    let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const id of ids) {
      const [x, y] = positions[id] ?? [0, 0];
      const [w, h] = sizes.get(id) ?? [0, 0];
      [left, top] = [Math.min(left, x), Math.min(top, y)];
      [right, bottom] = [Math.max(right, x + w), Math.max(bottom, y + h)];
    }
    const first = Math.min(...ids.map(uidNumber));
    return { ids, left, top, width: right - left, height: bottom - top, first };
  });
  boxes.sort((a, b) => a.first - b.first || (a.ids[0] ?? "").localeCompare(b.ids[0] ?? ""));
  const area = boxes.reduce(
    (sum, b) => sum + (b.width + COMPONENT_GAP) * (b.height + COMPONENT_GAP),
    0,
  );
  const widest = Math.max(0, ...boxes.map((b) => b.width));
  const maxRow = rowWidth ?? Math.max(widest, Math.sqrt(area * aspect), minRowWidth);
  const packed: Positions = {};
  let [x, y, rowHeight] = [0, 0, 0];
  for (const box of boxes) {
    if (x > 0 && x + box.width > maxRow) {
      [x, y, rowHeight] = [0, y + rowHeight + COMPONENT_GAP, 0];
    }
    for (const id of box.ids) {
      const [px, py] = positions[id] ?? [0, 0];
      packed[id] = [Math.round(px - box.left + x), Math.round(py - box.top + y)];
    }
    x += box.width + COMPONENT_GAP;
    rowHeight = Math.max(rowHeight, box.height);
  }
  return packed;
}

/** Layouts tried, each wrapping rows narrower, to fit rows in `rowWidth` (small projects). */
const FIT_ATTEMPTS = 4;
const FIT_UP_TO = 300;

/** How wide the widest pipeline is, its cards and the routes of its edges. */
function widestPipeline(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  positions: Positions,
  routes: Routes,
): number {
  const widths = new Map(nodes.map((node) => [node.id, node.width ?? DEFAULT_CARD.width]));
  const pipelineOf = new Map<string, number>();
  const spans = components(nodes, edges).map((ids, index): [number, number] => {
    let [left, right] = [Infinity, -Infinity];
    for (const id of ids) {
      pipelineOf.set(id, index);
      const x = positions[id]?.[0] ?? 0;
      [left, right] = [Math.min(left, x), Math.max(right, x + (widths.get(id) ?? 0))];
    }
    return [left, right];
  });
  for (const edge of edges) {
    const span = spans[pipelineOf.get(edge.source) ?? -1];
    for (const [x] of (edge.id !== undefined && routes[edge.id]) || []) {
      if (span) [span[0], span[1]] = [Math.min(span[0], x), Math.max(span[1], x)];
    }
  }
  return Math.max(0, ...spans.map(([left, right]) => right - left));
}

/**
 * Layered left-to-right layout of the cards (sources on the left), pipelines packed, and the
 * route of every edge, moved with its pipeline. A long chain wraps into rows shaped like the
 * canvas (`aspect`); with `rowWidth` (the canvas's width at a readable zoom), a small project's
 * pipelines wrap and pack into rows that narrow, so that its first view reads whole.
 */
export async function layout(
  engine: LayoutEngine,
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  { aspect = DEFAULT_ASPECT, rowWidth }: { aspect?: number; rowWidth?: number } = {},
): Promise<Layout> {
  if (nodes.length === 0) {
    return { positions: {}, routes: {} };
  }
  let wrap = longestChain(nodes, edges) > WRAP_AFTER;
  let wrapAspect = aspect;
  let laidOut: Positions = {};
  let routes: Routes = {};
  for (let attempt = 1; ; attempt++) {
    const { graph, aliases } = elkGraph(nodes, edges, wrapAspect, wrap);
    const result = await engine.layout(graph);
    laidOut = positionsFrom(result);
    routes = routesFrom(result, aliases);
    const fits =
      rowWidth === undefined || widestPipeline(nodes, edges, laidOut, routes) <= rowWidth;
    if (fits || attempt >= FIT_ATTEMPTS || nodes.length > FIT_UP_TO) {
      break;
    }
    wrapAspect = wrap ? wrapAspect * 0.6 : Math.min(aspect, 1);
    wrap = true;
  }
  const positions = packComponents(nodes, edges, laidOut, { aspect, minRowWidth: rowWidth });
  return { positions, routes: shiftRoutes(routes, edges, laidOut, positions) };
}
