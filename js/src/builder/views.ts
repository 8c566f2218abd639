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
 * The cards an edge of the canvas cuts: the line at `at` (flow coordinates) across `axis` (a
 * vertical line at x = `at` for "x", a horizontal one at y = `at` for "y"), among the cards
 * that reach into the span `from` to `to` along the other axis (the part of the line in view).
 *
 * >>> cutBy(cards, "x", 700, 0, 800)    // the cards the canvas's right edge, at x 700, cuts
 */
export function cutBy(
  cards: readonly Box[],
  axis: "x" | "y",
  at: number,
  from: number,
  to: number,
): Box[] {
  return cards.filter((c) => {
    const [start, size, across, breadth] =
      axis === "x" ? [c.x, c.w, c.y, c.h] : [c.y, c.h, c.x, c.w];
    return start < at && start + size > at && across < to && across + breadth > from;
  });
}

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
    const cut = Math.min(
      ...cutBy(cards, "x", right, Number.NEGATIVE_INFINITY, bottom).map((c) => c.x),
    );
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

/**
 * The pan that brings a card (flow coordinates) whole into a canvas of `width` x `height`
 * seen through `view`, at the same zoom, moving as little as it can; null when the card is
 * in view already. A card larger than the canvas shows its top left corner.
 *
 * >>> panTo({ x: 0, y: 0, zoom: 1 }, 800, 600, { x: 2000, y: 100, w: 320, h: 150 })
 * { x: -1544, y: 0, zoom: 1 }      // its right side VIEW_MARGIN from the canvas's edge
 */
export function panTo(view: Viewport, width: number, height: number, card: Box): Viewport | null {
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

/** Each zoom a view showing a card may step down by (only to end between cards), and how far
 * below the user's zoom it may go in all. */
const ZOOM_STEP = 0.95;
const LEAST_ZOOM = 0.8;

/**
 * The pan along one axis (the view's `x` for "x") that keeps `card` whole in view and ends the
 * canvas between cards: the one nearest the view's where the far edge (right, bottom) cuts the
 * fewest cards, then the near edge (left, top). `span` is the part of the other axis in view.
 */
function panAlong(
  axis: "x" | "y",
  view: Viewport,
  room: number,
  span: [number, number],
  card: Box,
  cards: readonly Box[],
): number {
  const { zoom } = view;
  const preferred = axis === "x" ? view.x : view.y;
  const [start, size] = axis === "x" ? [card.x, card.w] : [card.y, card.h];
  // The card whole, VIEW_MARGIN in from both edges, for offsets from `lo` to `hi`.
  const [lo, hi] = [VIEW_MARGIN - start * zoom, room - VIEW_MARGIN - (start + size) * zoom];
  const offsets = [preferred];
  for (const c of cards) {
    const [s, e] = axis === "x" ? [c.x, c.x + c.w] : [c.y, c.y + c.h];
    // The far edge VIEW_MARGIN past the card's end, or just before its start.
    offsets.push(room - VIEW_MARGIN - e * zoom, room - s * zoom + 1);
  }
  let [best, least] = [preferred, Infinity];
  for (const offset of offsets) {
    if (lo <= hi && (offset < lo || offset > hi)) continue;
    const far = cutBy(cards, axis, (room - offset) / zoom, span[0], span[1]).length;
    const near = cutBy(cards, axis, -offset / zoom, span[0], span[1]).length;
    const score = 4 * far + near + Math.min(Math.abs(offset - preferred) / room, 0.99);
    if (score < least) [best, least] = [offset, score];
  }
  return best;
}

/**
 * The view that shows `card` (a job just made) whole from `view`, on a canvas of `width` x
 * `height`, and ends between `cards` (every card, `card` among them) rather than across one,
 * as `readableView` does for the first view: a pan a little different from `panTo`'s where
 * that ends the canvas's right and bottom edges between cards, else a zoom a little lower
 * (down to `LEAST_ZOOM` of the user's, never below `READABLE_ZOOM`) where one does. Null when
 * the card is in view already (the user's view is left alone).
 *
 * >>> showCard(view, 968, 640, made, cards)   // { x, y, zoom }: made whole, and no card cut
 * >>>                                         // at the right or bottom if a view close by can
 */
export function showCard(
  view: Viewport,
  width: number,
  height: number,
  card: Box,
  cards: readonly Box[],
): Viewport | null {
  if (panTo(view, width, height, card) === null) {
    return null;
  }
  // Only the cards a view of the lowest zoom tried, holding the card, could show.
  const least = Math.min(view.zoom, Math.max(READABLE_ZOOM, view.zoom * LEAST_ZOOM));
  const [reachX, reachY] = [width / least, height / least];
  cards = cards.filter(
    (c) =>
      c.x < card.x + card.w + reachX &&
      c.x + c.w > card.x - reachX &&
      c.y < card.y + card.h + reachY &&
      c.y + c.h > card.y - reachY,
  );
  const [cx, cy] = [card.x + card.w / 2, card.y + card.h / 2];
  let first: Viewport | null = null;
  for (let zoom = view.zoom; ; zoom *= ZOOM_STEP) {
    // At a new zoom the card's centre stays where it was on the canvas, before the pan.
    const scaled = {
      x: view.x + (cx * view.zoom - cx * zoom),
      y: view.y + (cy * view.zoom - cy * zoom),
      zoom,
    };
    let next = panTo(scaled, width, height, card) ?? scaled;
    const across = (v: Viewport): [number, number] => [-v.x / zoom, (width - v.x) / zoom];
    const down = (v: Viewport): [number, number] => [-v.y / zoom, (height - v.y) / zoom];
    next = { ...next, y: panAlong("y", next, height, across(next), card, cards) };
    next = { ...next, x: panAlong("x", next, width, down(next), card, cards) };
    next = { ...next, y: panAlong("y", next, height, across(next), card, cards) };
    const cuts =
      cutBy(cards, "x", (width - next.x) / zoom, ...down(next)).length +
      cutBy(cards, "y", (height - next.y) / zoom, ...across(next)).length;
    first ??= next;
    const lower = zoom * ZOOM_STEP;
    if (cuts === 0 || lower < READABLE_ZOOM || lower < view.zoom * LEAST_ZOOM) {
      return cuts === 0 ? next : first;
    }
  }
}
