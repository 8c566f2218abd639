import type { ElkNode } from "elkjs/lib/elk-api";

/** Where a laid-out edge runs, from its source handle to its target handle, in flow
 * coordinates: the ends and every bend, each segment horizontal or vertical. */
export type Route = [number, number][];
export type Routes = Record<string, Route>;

export type Point = [number, number];

/** A card's box in flow coordinates. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Each canvas edge's route from ELK's result (`aliases`: canvas edge id to ELK edge id). */
export function routesFrom(result: ElkNode, aliases: ReadonlyMap<string, string>): Routes {
  const byElk = new Map<string, Route>();
  for (const edge of result.edges ?? []) {
    const points: Route = [];
    for (const section of edge.sections ?? []) {
      for (const p of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
        const last = points[points.length - 1];
        if (!last || last[0] !== p.x || last[1] !== p.y) {
          points.push([p.x, p.y]);
        }
      }
    }
    if (points.length >= 2) {
      byElk.set(edge.id, points);
    }
  }
  const routes: Routes = {};
  for (const [id, elkId] of aliases) {
    const route = byElk.get(elkId);
    if (route) {
      routes[id] = route;
    }
  }
  return routes;
}

/** Routes moved as their source card was when its pipeline was packed (`before` to `after`). */
export function shiftRoutes(
  routes: Routes,
  edges: readonly { id?: string; source: string }[],
  before: Readonly<Record<string, Point>>,
  after: Readonly<Record<string, Point>>,
): Routes {
  const shifted: Routes = {};
  for (const edge of edges) {
    const route = edge.id === undefined ? undefined : routes[edge.id];
    const from = before[edge.source];
    const to = after[edge.source];
    if (edge.id !== undefined && route && from && to) {
      const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
      shifted[edge.id] = route.map(([x, y]) => [x + dx, y + dy]);
    }
  }
  return shifted;
}

/**
 * The route with its ends put on the handles where the cards draw them now (a card measured
 * after the layout, a group unfolded: a few pixels off), keeping every segment straight: the
 * first and last bends follow their end. Two points on different heights get a step between.
 */
export function snapRoute(route: Route, source: Point, target: Point): Route {
  const points = route.map(([x, y]): Point => [x, y]);
  const n = points.length;
  const first = points[0];
  const second = points[1];
  const last = points[n - 1];
  const before = points[n - 2];
  if (!first || !second || !last || !before) {
    return [source, target];
  }
  if (n === 2) {
    if (Math.abs(source[1] - target[1]) < 0.5) {
      return [source, target];
    }
    const middle = (source[0] + target[0]) / 2;
    return [source, [middle, source[1]], [middle, target[1]], target];
  }
  if (first[1] === second[1]) second[1] = source[1];
  else if (first[0] === second[0]) second[0] = source[0];
  if (last[1] === before[1]) before[1] = target[1];
  else if (last[0] === before[0]) before[0] = target[0];
  points[0] = source;
  points[n - 1] = target;
  return points;
}

/** Whether the route still belongs to the edge: each end within `tolerance` of its handle. */
export function routeFits(route: Route, source: Point, target: Point, tolerance = 40): boolean {
  const first = route[0];
  const last = route[route.length - 1];
  return (
    first !== undefined &&
    last !== undefined &&
    Math.abs(first[0] - source[0]) <= tolerance &&
    Math.abs(first[1] - source[1]) <= tolerance &&
    Math.abs(last[0] - target[0]) <= tolerance &&
    Math.abs(last[1] - target[1]) <= tolerance
  );
}

const CORNER = 8;

/** An SVG path along the points, corners rounded (an edge's label: `labelSpot`). */
export function routePath(points: Route): string {
  const [start] = points;
  if (!start) {
    return "";
  }
  let path = `M ${start[0]} ${start[1]}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    const next = points[i + 1];
    if (!next) {
      path += ` L ${b[0]} ${b[1]}`;
      continue;
    }
    // Cut the corner by at most half of either segment, and draw it as a curve.
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const out = Math.hypot(next[0] - b[0], next[1] - b[1]);
    const r = Math.min(CORNER, length / 2, out / 2);
    const into: Point = [
      b[0] - ((b[0] - a[0]) / (length || 1)) * r,
      b[1] - ((b[1] - a[1]) / (length || 1)) * r,
    ];
    const away: Point = [
      b[0] + ((next[0] - b[0]) / (out || 1)) * r,
      b[1] + ((next[1] - b[1]) / (out || 1)) * r,
    ];
    path += ` L ${into[0]} ${into[1]} Q ${b[0]} ${b[1]} ${away[0]} ${away[1]}`;
  }
  return path;
}

/** Whether the segment from `a` to `b` passes through the inside of `box` (Liang-Barsky). */
export function segmentCrosses(a: Point, b: Point, box: Box): boolean {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  let [t0, t1] = [0, 1];
  const edges: [number, number][] = [
    [-dx, a[0] - box.x],
    [dx, box.x + box.w - a[0]],
    [-dy, a[1] - box.y],
    [dy, box.y + box.h - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
  }
  return true;
}

/** Whether any segment of the route passes through the inside of `box`. */
export function routeCrosses(route: Route, box: Box): boolean {
  for (let i = 1; i < route.length; i++) {
    if (segmentCrosses(route[i - 1] as Point, route[i] as Point, box)) {
      return true;
    }
  }
  return false;
}

/**
 * The routes still true after cards moved or were added: a route is dropped when a card it
 * ends on has moved, or when a card that moved (or is new) now stands in its way. `at` is
 * where each card was when the routes were made, `now` where each is now, `size` a card's
 * width and height.
 */
export function keepRoutes(
  routes: Routes,
  edges: readonly { id: string; source: string; target: string }[],
  at: Readonly<Record<string, Point>>,
  now: ReadonlyMap<string, Point>,
  size: (id: string) => Point,
): Routes {
  const moved = new Map<string, Box>();
  for (const [id, [x, y]] of now) {
    const old = at[id];
    if (!old || old[0] !== x || old[1] !== y) {
      const [w, h] = size(id);
      moved.set(id, { x, y, w, h });
    }
  }
  if (moved.size === 0) {
    return routes;
  }
  const kept: Routes = {};
  for (const edge of edges) {
    const route = routes[edge.id];
    if (
      route &&
      !moved.has(edge.source) &&
      !moved.has(edge.target) &&
      ![...moved.values()].some((box) => routeCrosses(route, box))
    ) {
      kept[edge.id] = route;
    }
  }
  return kept;
}

/** How far an edge runs straight out of its handle before it turns, and clears a card by. */
const STUB = 16;

const routeLength = (route: Route) =>
  route.reduce((sum, p, i) => {
    const q = route[i - 1];
    return q ? sum + Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) : sum;
  }, 0);

/**
 * How far right of `x` a horizontal line at height `y` runs before it meets a card (`right`),
 * or left (`left`), among `boxes` (those the line meets): a step whose horizontal runs are
 * both clear turns between the two.
 */
function clearRun(boxes: readonly Box[], x: number, y: number): { left: number; right: number } {
  let [left, right] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (const b of boxes) {
    if (y > b.y && y < b.y + b.h) {
      if (b.x >= x) right = Math.min(right, b.x);
      else if (b.x + b.w <= x) left = Math.max(left, b.x + b.w);
      else return { left: x, right: x }; // the point itself is inside a card
    }
  }
  return { left, right };
}

/** A card a pixel in from its border: a route may run along the border, or end on it. */
const inner = (b: Box): Box => ({ x: b.x + 1, y: b.y + 1, w: b.w - 2, h: b.h - 2 });

/**
 * A route from `source` (a handle on a card's right side) to `target` (on a card's left side)
 * that passes through none of the `cards`, for an edge the layout has not routed: the shortest
 * of a step at one column (three segments) or a run along one row (five segments: out, up or
 * down, across, down or up, in), each turning in the gaps beside the cards near either end.
 * Null when none of these is clear.
 *
 * Candidates are tried shortest first and the first clear one is taken; each segment is
 * checked against the cards it meets only (found through `cards`), and a step's column is
 * tried only where both its horizontal runs are clear, so that a long edge past thousands of
 * cards costs about as much as a short one.
 */
export function routeAround(source: Point, target: Point, cards: CardIndex): Route | null {
  const blocked = (a: Point, b: Point) =>
    cards.near(a, b, 0).some((box) => segmentCrosses(a, b, inner(box)));
  const clear = (route: Route) =>
    route.every((point, i) => i === 0 || !blocked(route[i - 1] as Point, point));
  const [sx, sy] = source;
  const [tx, ty] = target;
  const ends = new Set([...cards.near(source, source), ...cards.near(target, target)]);
  const candidates: Route[] = [];
  if (tx - sx >= 2 * STUB) {
    // A step's first run ends before the first card right of the source, its last starts
    // after the last card left of the target.
    const from = clearRun(cards.near(source, [tx, sy], 0).map(inner), sx, sy).right;
    const to = clearRun(cards.near([sx, ty], target, 0).map(inner), tx, ty).left;
    const columns = new Set([sx + STUB, tx - STUB, (sx + tx) / 2]);
    for (const b of ends) {
      columns.add(b.x - STUB);
      columns.add(b.x + b.w + STUB);
    }
    for (const x of columns) {
      if (x >= sx + STUB && x <= tx - STUB && x < from && x > to) {
        candidates.push([source, [x, sy], [x, ty], target]);
      }
    }
  }
  const rows = new Set([sy, ty]);
  for (const b of ends) {
    rows.add(b.y - STUB);
    rows.add(b.y + b.h + STUB);
  }
  const [out, into] = [sx + STUB, tx - STUB];
  for (const y of rows) {
    candidates.push([source, [out, sy], [out, y], [into, y], [into, ty], target]);
  }
  const lengths = new Map(candidates.map((route) => [route, routeLength(route)]));
  candidates.sort((a, b) => (lengths.get(a) ?? 0) - (lengths.get(b) ?? 0));
  return candidates.find(clear) ?? null;
}

/** Side of a square of the canvas in which `CardIndex` files cards. */
const CELL = 512;
/** A square's number is `column * CELL_ROWS + row`. Far out (positions go to 1e12) two squares
 * may share a number: they then share a list, which `near` filters all the same. */
const CELL_ROWS = 2 ** 24;

/**
 * Cards filed by the squares of the canvas they cover, to find those near a route without
 * looking at every card of the project (thousands, for each edge drawn).
 *
 * >>> new CardIndex(boxes).near([324, 60], [406, 60])   // the cards within 400 px of the two
 */
export class CardIndex {
  private readonly cells = new Map<number, Box[]>();
  private readonly all: Box[];

  constructor(boxes: Iterable<Box>) {
    this.all = [...boxes];
    for (const box of this.all) {
      this.visit(box.x, box.y, box.x + box.w, box.y + box.h, (cell) => {
        const filed = this.cells.get(cell);
        if (filed) filed.push(box);
        else this.cells.set(cell, [box]);
      });
    }
  }

  /** Each square the box covers, by a number made of its column and row. */
  private visit(x1: number, y1: number, x2: number, y2: number, use: (cell: number) => void) {
    for (let i = Math.floor(x1 / CELL); i <= Math.floor(x2 / CELL); i++) {
      for (let j = Math.floor(y1 / CELL); j <= Math.floor(y2 / CELL); j++) {
        use(i * CELL_ROWS + j);
      }
    }
  }

  /** The cards within `margin` of the box spanned by two points: those a route between the
   * two could meet, each once. */
  near([ax, ay]: Point, [bx, by]: Point, margin = 400): Box[] {
    const [x1, x2] = [Math.min(ax, bx) - margin, Math.max(ax, bx) + margin];
    const [y1, y2] = [Math.min(ay, by) - margin, Math.max(ay, by) + margin];
    const isNear = (b: Box) => b.x < x2 && b.x + b.w > x1 && b.y < y2 && b.y + b.h > y1;
    const squares =
      (Math.floor(x2 / CELL) - Math.floor(x1 / CELL) + 1) *
      (Math.floor(y2 / CELL) - Math.floor(y1 / CELL) + 1);
    if (squares > this.all.length) {
      return this.all.filter(isNear); // fewer cards than squares to look in
    }
    const near = new Set<Box>();
    this.visit(x1, y1, x2, y2, (cell) => {
      for (const b of this.cells.get(cell) ?? []) {
        if (isNear(b)) near.add(b);
      }
    });
    return [...near];
  }
}
