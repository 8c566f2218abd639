import type { Box, CardIndex, Point, Route } from "./routes";

/** Width of a character of an edge's label (10 px monospace: 6.0 px) and the room its
 * background adds around the text (React Flow's padding, 2 px across and 4 px up and down). */
const CHAR = 6.1;
const PAD_X = 2;
const PAD_Y = 4;
/** Height of a 10 px line of text as the browser measures it. */
const LINE = 13;
/** Room kept between a label and a card. */
const GAP = 2;

/** The size (flow px) of the box an edge label of `text` is drawn in, with its background.
 *
 * >>> labelSize("blob override")   // [83.3, 21]
 */
export function labelSize(text: string): Point {
  return [text.length * CHAR + 2 * PAD_X, LINE + 2 * PAD_Y];
}

/** How far apart (px along the route) the label's places are tried, and how many at most. */
const STEP = 4;
const MAX_PLACES = 600;

/** Half the width and height of the box of `size` with `GAP` around it. */
const reach = (size: Point): Point => [size[0] / 2 + GAP, size[1] / 2 + GAP];

/** Overlap of the box of `size` centred on `p` (with `GAP` around it) with the `boxes`. */
function overlap(p: Point, size: Point, boxes: readonly Box[]): number {
  const [w, h] = reach(size);
  const [x1, x2, y1, y2] = [p[0] - w, p[0] + w, p[1] - h, p[1] + h];
  let area = 0;
  for (const b of boxes) {
    const x = Math.min(x2, b.x + b.w) - Math.max(x1, b.x);
    const y = Math.min(y2, b.y + b.h) - Math.max(y1, b.y);
    if (x > 0 && y > 0) area += x * y;
  }
  return area;
}

/** Points along the route, evenly apart (`STEP`, or more on a long route), from its start to
 * its end, each with the number of its segment. */
function placesAlong(route: Route): [Point, number][] {
  let total = 0;
  for (let i = 1; i < route.length; i++) {
    const [a, b] = [route[i - 1] as Point, route[i] as Point];
    total += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  const step = Math.max(STEP, total / MAX_PLACES);
  const places: [Point, number][] = [];
  let at = 0; // where the next place is, counted from the start of the segment
  for (let i = 1; i < route.length; i++) {
    const [a, b] = [route[i - 1] as Point, route[i] as Point];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    for (; at <= length; at += step) {
      const t = length === 0 ? 0 : at / length;
      places.push([[a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], i]);
    }
    at -= length;
  }
  return places;
}

/** How far (flow px) beside its route a label may go where no place on the route is clear,
 * in steps of `NEAR_STEP`; and how many of the route's places it is tried beside. */
const NEAR = 96;
const NEAR_STEP = 8;
const NEAR_PLACES = 30;

/** The offsets from a place of the route a label is tried at, nearest first. */
const OFFSETS: Point[] = (() => {
  const offsets: Point[] = [];
  for (let dx = -NEAR; dx <= NEAR; dx += NEAR_STEP) {
    for (let dy = -NEAR; dy <= NEAR; dy += NEAR_STEP) {
      if (Math.hypot(dx, dy) <= NEAR) offsets.push([dx, dy]);
    }
  }
  return offsets.sort((a, b) => Math.hypot(...a) - Math.hypot(...b));
})();

/**
 * Where an edge's label goes (its centre), so that the label's box (`size`, `labelSize`)
 * meets none of the `cards`: edges are drawn under the cards, and a label in a card's way is
 * cut by it. The label sits in the middle of the longest stretch of the route along which its
 * box is clear of every card. Where no place on the route is clear (a route in a gap narrower
 * than the label), it goes beside the route, at the clear place nearest it (within `NEAR`);
 * where there is none, at the place of the route where its box covers the least of the cards,
 * and `clear` is false.
 *
 * >>> labelSpot([[0, 50], [400, 50]], labelSize("blob override"), new CardIndex(cards))
 * { x: 250, y: 50, clear: true }      // the middle of the part of the line clear of cards
 */
export function labelSpot(
  route: Route,
  size: Point,
  cards: CardIndex,
): { x: number; y: number; clear: boolean } {
  const along = placesAlong(route);
  const places = along.map(([p]) => p);
  // The cards each segment's places may meet, looked up once per segment.
  const margin = Math.max(...reach(size));
  const near = route.map((b, i) => (i === 0 ? [] : cards.near(route[i - 1] as Point, b, margin)));
  const covered = along.map(([p, i]) => overlap(p, size, near[i] ?? []));
  // The longest run of clear places, by count (places are evenly spaced along the route).
  let [best, bestLength, start] = [-1, 0, -1];
  for (let i = 0; i <= covered.length; i++) {
    if (i < covered.length && covered[i] === 0) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start > bestLength) [best, bestLength] = [start, i - start];
      start = -1;
    }
  }
  if (best >= 0) {
    const [x, y] = places[best + Math.floor((bestLength - 1) / 2)] as Point;
    return { x, y, clear: true };
  }
  // Beside the route: the places tried spread along it, the middle first.
  const every = Math.max(1, Math.ceil(places.length / NEAR_PLACES));
  const middle = Math.floor(places.length / 2);
  const tried = places
    .map((p, i): [Point, number] => [p, Math.abs(i - middle)])
    .filter((_, i) => i % every === 0)
    .sort((a, b) => a[1] - b[1])
    .map(([p]) => p);
  const beside = tried.map((p) => cards.near(p, p, NEAR + margin));
  for (const [dx, dy] of OFFSETS) {
    for (const [i, [px, py]] of tried.entries()) {
      const p: Point = [px + dx, py + dy];
      if (overlap(p, size, beside[i] ?? []) === 0) return { x: p[0], y: p[1], clear: true };
    }
  }
  let least = 0;
  covered.forEach((area, i) => {
    if (area < (covered[least] ?? 0)) least = i;
  });
  const [x, y] = places[least] ?? route[0] ?? [0, 0];
  return { x, y, clear: false };
}
