import type { InternalNode, ReactFlowState } from "@xyflow/react";
import { DEFAULT_STATUS_COLOR, type JobEdge, type JobNode, STATUS_COLORS } from "../flow";
import type { Box } from "../routes";
import { boundsOf } from "../views";

export type FlowState = ReactFlowState<JobNode>;

/** A card's place in flow coordinates: measured, or estimated while it has not been drawn. */
export function cardBox(state: FlowState, id: string): Box | null {
  const node = state.nodeLookup.get(id);
  if (!node) {
    return null;
  }
  const { x, y } = node.internals.positionAbsolute;
  const w = node.measured.width ?? node.initialWidth ?? 0;
  const h = node.measured.height ?? node.initialHeight ?? 0;
  return { x, y, w, h };
}

/** The part of the canvas in view, in flow coordinates. */
export function viewBox(state: FlowState): Box {
  const [tx, ty, zoom] = state.transform;
  return { x: -tx / zoom, y: -ty / zoom, w: state.width / zoom, h: state.height / zoom };
}

/** Whether `outer` holds all of `inner`. */
export function covers(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

/** The box around every card, or null for an empty canvas. */
export function allCards(state: FlowState): Box | null {
  const boxes: Box[] = [];
  for (const id of state.nodeLookup.keys()) {
    const box = cardBox(state, id);
    if (box) boxes.push(box);
  }
  return boundsOf(boxes);
}

/** The job whose card holds the flow point (x, y), the one drawn last where cards overlap. */
export function jobAt(state: FlowState, x: number, y: number): InternalNode<JobNode> | null {
  let found: InternalNode<JobNode> | null = null;
  for (const node of state.nodeLookup.values()) {
    const box = cardBox(state, node.id);
    if (box && x >= box.x && x <= box.x + box.w && y >= box.y && y <= box.y + box.h) {
      found = node;
    }
  }
  return found;
}

/** The flow point under a pointer at (clientX, clientY), on a canvas whose box is `pane`. */
export function flowPoint(
  state: FlowState,
  pane: DOMRect,
  clientX: number,
  clientY: number,
): [number, number] {
  const [tx, ty, zoom] = state.transform;
  return [(clientX - pane.left - tx) / zoom, (clientY - pane.top - ty) / zoom];
}

const EDGE_COLOR = "rgb(140, 150, 168)";
/** Up to this many edges are drawn at full strength; past it, fainter (see `edgeAlpha`). */
const CLEAR_EDGES = 300;

/**
 * How strongly the overview draws its edges: 0.55 for a few hundred, fainter for more (to
 * 0.15), so that thousands of lines side by side read as lines between the boxes rather than
 * as grey bands over them.
 */
export function edgeAlpha(edges: number): number {
  return Math.min(0.55, Math.max(0.15, 0.55 * Math.sqrt(CLEAR_EDGES / Math.max(edges, 1))));
}

/**
 * Every job as a box in its status colour (and every one of `edges` as a line, along its route
 * where the layout gave it one), in
 * flow coordinates: the caller has set the context's transform. One canvas draws thousands of
 * jobs in a few milliseconds, where as many page elements take a frame each to repaint.
 */
export function paintJobs(
  context: CanvasRenderingContext2D,
  state: FlowState,
  options: { edges: readonly JobEdge[] | null; lineWidth: number },
): void {
  const { edges } = options;
  if (edges) {
    context.strokeStyle = EDGE_COLOR;
    context.globalAlpha = edgeAlpha(edges.length);
    context.lineWidth = options.lineWidth;
    context.beginPath();
    for (const edge of edges) {
      const route = edge.data?.route;
      const from = cardBox(state, edge.source);
      const to = cardBox(state, edge.target);
      if (route && route.length > 1) {
        // Around the cards, as the layout ran it (routes.ts).
        for (const [i, [x, y]] of route.entries()) {
          if (i === 0) context.moveTo(x, y);
          else context.lineTo(x, y);
        }
      } else if (from && to) {
        context.moveTo(from.x + from.w, from.y + from.h / 2);
        context.lineTo(to.x, to.y + to.h / 2);
      }
    }
    context.stroke();
  }
  for (const node of state.nodeLookup.values()) {
    const box = cardBox(state, node.id);
    if (box) {
      context.fillStyle = STATUS_COLORS[node.data.job.status] ?? DEFAULT_STATUS_COLOR;
      context.globalAlpha = node.selected ? 1 : 0.75;
      context.fillRect(box.x, box.y, box.w, box.h);
    }
  }
  context.globalAlpha = 1;
}

/** Size a canvas's pixels to its CSS size on this screen; its 2D context, reset. */
export function prepare(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const pixelsWide = Math.round(width * ratio);
  const pixelsHigh = Math.round(height * ratio);
  if (canvas.width !== pixelsWide || canvas.height !== pixelsHigh) {
    canvas.width = pixelsWide;
    canvas.height = pixelsHigh;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const context = canvas.getContext("2d");
  if (context) {
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
  }
  return context;
}

/**
 * Call `draw` once now and again (at most once a frame) whenever the canvas's pan, zoom,
 * cards or size change, or `redraw` is called; `stop` ends it. For anything that follows the
 * view outside React: pictures, and the edges React Flow holds (useEdgesNear.ts).
 */
export function redrawOnChange(
  store: {
    getState(): FlowState;
    subscribe(listener: (s: FlowState, p: FlowState) => void): () => void;
  },
  draw: (state: FlowState) => void,
): { stop: () => void; redraw: () => void } {
  let frame = 0;
  const run = () => {
    frame = 0;
    draw(store.getState());
  };
  const redraw = () => {
    if (frame === 0) {
      frame = requestAnimationFrame(run);
    }
  };
  run();
  const unsubscribe = store.subscribe((state, previous) => {
    if (
      state.transform !== previous.transform ||
      // React Flow changes its nodes (its lookup is changed in place) when cards move, are
      // measured or selected.
      state.nodes !== previous.nodes ||
      state.width !== previous.width ||
      state.height !== previous.height
    ) {
      redraw();
    }
  });
  return {
    stop: () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    },
    redraw,
  };
}
