import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { uidNumber } from "./graph";

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export type Positions = Record<string, [number, number]>;

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
};

/** A chain longer than this many jobs wraps into rows (see `WRAPPING`). */
export const WRAP_AFTER = 5;

/** A long chain (the T20S tutorial's twelve jobs) wraps into rows about as wide as the
 * canvas, instead of one line that fits on the canvas only at an unreadable zoom. */
const WRAPPING: Record<string, string> = {
  "elk.layered.wrapping.strategy": "MULTI_EDGE",
  "elk.layered.wrapping.additionalEdgeSpacing": "20",
};

/**
 * ELK's input: one node per card at its measured size, one edge per pair of connected jobs
 * (several connections between two jobs pull no harder than one).
 */
export function elkGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  aspect = DEFAULT_ASPECT,
): ElkNode {
  const wrap = longestChain(nodes, edges) > WRAP_AFTER;
  const ids = new Set(nodes.map((node) => node.id));
  const pairs = new Set<string>();
  const elkEdges: ElkExtendedEdge[] = [];
  for (const edge of edges) {
    const key = `${edge.source}\u0000${edge.target}`;
    if (edge.source === edge.target || !ids.has(edge.source) || !ids.has(edge.target)) {
      continue;
    }
    if (!pairs.has(key)) {
      pairs.add(key);
      elkEdges.push({ id: `e${elkEdges.length}`, sources: [edge.source], targets: [edge.target] });
    }
  }
  return {
    id: "root",
    layoutOptions: wrap
      ? { ...LAYOUT_OPTIONS, ...WRAPPING, "elk.aspectRatio": aspect.toFixed(2) }
      : LAYOUT_OPTIONS,
    children: nodes.map((node) => ({
      id: node.id,
      width: node.width ?? DEFAULT_CARD.width,
      height: node.height ?? DEFAULT_CARD.height,
    })),
    edges: elkEdges,
  };
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
 * as the canvas's shape asks (`aspect`, width over height) unless `rowWidth` is given: the
 * project's history reads left to right, and a job just added (not connected yet) lands at the
 * end of a row rather than above everything.
 */
export function packComponents(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  positions: Positions,
  { aspect = DEFAULT_ASPECT, rowWidth }: { aspect?: number; rowWidth?: number } = {},
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
  const maxRow = rowWidth ?? Math.max(widest, Math.sqrt(area * aspect));
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

let elk: InstanceType<typeof ELK> | null = null;

/** Layered left-to-right layout of the cards (sources on the left), pipelines packed. */
export async function layoutPositions(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  aspect = DEFAULT_ASPECT,
): Promise<Positions> {
  if (nodes.length === 0) {
    return {};
  }
  elk ??= new ELK();
  const laidOut = positionsFrom(await elk.layout(elkGraph(nodes, edges, aspect)));
  return packComponents(nodes, edges, laidOut, { aspect });
}
