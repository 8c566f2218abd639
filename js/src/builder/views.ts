import type { Box } from "./routes";

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Zoom at which a card's uid and title (13 px) are drawn at least 11 px tall on screen. */
export const READABLE_ZOOM = 11 / 13;
/** Room left between the canvas's edges and the cards of a fitted view. */
export const VIEW_MARGIN = 24;
/** Closest zoom a first view takes to end beside a card rather than across it. */
const CLOSEST_ZOOM = 1.5;

/**
 * The first view of a project too large to read whole: the start of the project (top left of
 * `bounds`, the box around every card and route) at a readable zoom, ending at the right
 * between cards rather than across one. Where a card would be cut by the canvas's right edge,
 * the view zooms in until it ends before that card (at most to `CLOSEST_ZOOM`).
 *
 * >>> readableView(cards, bounds, 1200, 700)   // { x, y, zoom }: zoom >= READABLE_ZOOM
 */
export function readableView(
  cards: readonly Box[],
  bounds: Box,
  width: number,
  height: number,
): Viewport {
  // The canvas's right edge is `room / zoom` right of the project's left edge.
  const room = width - VIEW_MARGIN;
  let zoom = READABLE_ZOOM;
  for (let step = 0; step < cards.length; step++) {
    const right = bounds.x + room / zoom;
    const bottom = bounds.y + (height - VIEW_MARGIN) / zoom;
    let cut = Number.POSITIVE_INFINITY;
    for (const card of cards) {
      if (card.x < right && card.x + card.w > right && card.y < bottom) {
        cut = Math.min(cut, card.x);
      }
    }
    const span = cut - bounds.x;
    if (!Number.isFinite(cut) || span <= 0 || room / span > CLOSEST_ZOOM) {
      break;
    }
    zoom = room / span;
  }
  return { x: VIEW_MARGIN - bounds.x * zoom, y: VIEW_MARGIN - bounds.y * zoom, zoom };
}

/** The box around boxes and points (a route's corners), or null for none. */
export function boundsOf(
  boxes: Iterable<Box>,
  points: Iterable<[number, number]> = [],
): Box | null {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    [x1, y1, x2, y2] = [
      Math.min(x1, b.x),
      Math.min(y1, b.y),
      Math.max(x2, b.x + b.w),
      Math.max(y2, b.y + b.h),
    ];
  }
  for (const [x, y] of points) {
    [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x), Math.max(y2, y)];
  }
  return x1 <= x2 ? { x: x1, y: y1, w: x2 - x1, h: y2 - y1 } : null;
}
