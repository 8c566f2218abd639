import { useReactFlow, useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { estimateCard, type JobNode } from "./flow";
import { findJob } from "./graph";
import type { GraphView } from "./protocol";
import { VIEW_MARGIN, type Viewport } from "./views";

/**
 * The pan that brings a card (flow coordinates) whole into a canvas of `width` x `height`
 * seen through `view`, at the same zoom, moving as little as it can; null when the card is
 * in view already. A card larger than the canvas shows its top left corner.
 *
 * >>> panTo({ x: 0, y: 0, zoom: 1 }, 800, 600, { x: 2000, y: 100, w: 320, h: 150 })
 * { x: -1544, y: 0, zoom: 1 }      // its right side VIEW_MARGIN from the canvas's edge
 */
export function panTo(
  view: Viewport,
  width: number,
  height: number,
  card: { x: number; y: number; w: number; h: number },
): Viewport | null {
  const shift = (start: number, size: number, room: number) => {
    const end = start + size;
    if (start >= VIEW_MARGIN && end <= room - VIEW_MARGIN) return 0;
    return start < VIEW_MARGIN || size > room - 2 * VIEW_MARGIN
      ? VIEW_MARGIN - start
      : room - VIEW_MARGIN - end;
  };
  const { zoom } = view;
  const dx = shift(view.x + card.x * zoom, card.w * zoom, width);
  const dy = shift(view.y + card.y * zoom, card.h * zoom, height);
  return dx === 0 && dy === 0 ? null : { x: view.x + dx, y: view.y + dy, zoom };
}

/**
 * A job made from a notebook cell (`made_in_python`) is panned into view once, when its graph
 * arrives, unless the user is dragging (a card, a result, the canvas) or the first view has
 * not been shown yet (`waiting`); the zoom stays as the user left it.
 */
export function useShowMade(graph: GraphView, dragging: boolean, waiting: boolean) {
  const reactFlow = useReactFlow<JobNode>();
  const store = useStoreApi<JobNode>();
  const seen = useRef(graph.revision);
  const busy = useRef(dragging || waiting);
  busy.current = dragging || waiting;
  useEffect(() => {
    if (graph.revision === seen.current) {
      return;
    }
    seen.current = graph.revision;
    const job = graph.made_in_python ? findJob(graph, graph.made_in_python) : undefined;
    const state = store.getState();
    if (!job || busy.current || state.paneDragging || state.nodes.some((n) => n.dragging)) {
      return;
    }
    // From the graph: React Flow has not taken the new card yet.
    const { width: w, height: h } = estimateCard(job);
    const [x, y] = job.position;
    const [tx, ty, zoom] = state.transform;
    const view = panTo({ x: tx, y: ty, zoom }, state.width, state.height, { x, y, w, h });
    if (view) {
      void reactFlow.setViewport(view, { duration: 250 });
    }
  }, [graph, reactFlow, store]);
}
