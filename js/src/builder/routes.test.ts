import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { type LayoutEdge, type LayoutNode, layout } from "./layout";
import {
  CardIndex,
  keepRoutes,
  type Route,
  routeAround,
  routeCrosses,
  routeFits,
  routePath,
  routesFrom,
  segmentCrosses,
  snapRoute,
} from "./routes";

const engine = new ELK();

/** A chain of `count` cards, each reading the last two (the tour's shape: a group and an
 * override from further up), every edge on its own handles. */
function chain(count: number): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  for (let i = 1; i <= count; i++) {
    nodes.push({
      id: `J${i}`,
      width: 320,
      height: 110 + (i % 3) * 24,
      ports: [
        { id: "in:a", side: "in", y: 64 },
        { id: "in:b", side: "in", y: 88 },
        { id: "out:x", side: "out", y: 64 },
        { id: "out:y", side: "out", y: 88 },
      ],
    });
    if (i > 1) {
      edges.push({
        id: `a${i}`,
        source: `J${i - 1}`,
        target: `J${i}`,
        sourceHandle: "out:x",
        targetHandle: "in:a",
      });
    }
    if (i > 2) {
      edges.push({
        id: `b${i}`,
        source: `J${i - 2}`,
        target: `J${i}`,
        sourceHandle: "out:y",
        targetHandle: "in:b",
      });
    }
  }
  return { nodes, edges };
}

describe("routes from the layout", () => {
  it("run around every card, also from the end of one row to the start of the next", async () => {
    const { nodes, edges } = chain(14);
    const { positions, routes } = await layout(engine, nodes, edges, { aspect: 1200 / 700 });
    const rows = new Set(Object.values(positions).map(([, y]) => y));
    expect(rows.size).toBeGreaterThan(2); // wrapped
    expect(Object.keys(routes).sort()).toEqual(edges.map((e) => e.id as string).sort());
    for (const edge of edges) {
      const route = routes[edge.id as string] as Route;
      for (const node of nodes) {
        const [x, y] = positions[node.id] ?? [0, 0];
        // The card's inside: a route may touch its border where it ends on a handle.
        const inside = { x: x + 1, y: y + 1, w: (node.width ?? 0) - 2, h: (node.height ?? 0) - 2 };
        expect(routeCrosses(route, inside), `${edge.id} across ${node.id}`).toBe(false);
      }
      // Each starts on its source handle and ends on its target handle.
      const [sx, sy] = positions[edge.source] ?? [0, 0];
      const [tx, ty] = positions[edge.target] ?? [0, 0];
      expect(route[0]).toEqual([sx + 320, sy + (edge.sourceHandle === "out:x" ? 64 : 88)]);
      expect(route[route.length - 1]).toEqual([tx, ty + (edge.targetHandle === "in:a" ? 64 : 88)]);
      // Every segment horizontal or vertical.
      for (let i = 1; i < route.length; i++) {
        const [a, b] = [route[i - 1] ?? [0, 0], route[i] ?? [0, 0]];
        expect(a[0] === b[0] || a[1] === b[1]).toBe(true);
      }
    }
  });

  it("are read from ELK's sections, shared by edges with the same ends", () => {
    const result = {
      id: "root",
      edges: [
        {
          id: "a",
          sources: ["J1"],
          targets: ["J2"],
          sections: [
            {
              id: "s",
              startPoint: { x: 0, y: 0 },
              bendPoints: [{ x: 5, y: 0 }],
              endPoint: { x: 5, y: 9 },
            },
          ],
        },
      ],
    };
    const aliases = new Map([
      ["a", "a"],
      ["b", "a"],
    ]);
    const route = [
      [0, 0],
      [5, 0],
      [5, 9],
    ];
    expect(routesFrom(result, aliases)).toEqual({ a: route, b: route });
  });
});

describe("a route drawn", () => {
  const route: Route = [
    [320, 50],
    [360, 50],
    [360, 400],
    [400, 400],
  ];

  it("follows handles a few pixels off, keeping its segments straight", () => {
    expect(snapRoute(route, [322, 58], [400, 396])).toEqual([
      [322, 58],
      [360, 58],
      [360, 396],
      [400, 396],
    ]);
    expect(
      snapRoute(
        [
          [0, 10],
          [90, 10],
        ],
        [0, 10],
        [90, 30],
      ),
    ).toEqual([
      [0, 10],
      [45, 10],
      [45, 30],
      [90, 30],
    ]);
  });

  it("belongs to its edge only while both ends are near their handles", () => {
    expect(routeFits(route, [322, 58], [400, 396])).toBe(true);
    expect(routeFits(route, [322, 58], [900, 396])).toBe(false);
  });

  it("is a path with rounded corners", () => {
    const path = routePath(route);
    expect(path.startsWith("M 320 50 L 352 50 Q 360 50 360 58")).toBe(true);
    expect(path.endsWith("L 400 400")).toBe(true);
  });

  it("crosses a box only through its inside", () => {
    const box = { x: 100, y: 100, w: 50, h: 50 };
    expect(segmentCrosses([0, 120], [300, 120], box)).toBe(true);
    expect(segmentCrosses([0, 100], [300, 100], box)).toBe(false); // along its border
    expect(segmentCrosses([0, 0], [90, 300], box)).toBe(false);
    expect(segmentCrosses([120, 0], [120, 110], box)).toBe(true);
    expect(routeCrosses(route, { x: 340, y: 200, w: 50, h: 50 })).toBe(true);
  });
});

describe("keepRoutes", () => {
  const routes = {
    e1: [
      [320, 50],
      [400, 50],
    ] as Route,
    e2: [
      [720, 50],
      [800, 50],
    ] as Route,
  };
  const edges = [
    { id: "e1", source: "J1", target: "J2" },
    { id: "e2", source: "J2", target: "J3" },
  ];
  const at = { J1: [0, 0], J2: [400, 0], J3: [800, 0] } as Record<string, [number, number]>;
  const size = (): [number, number] => [320, 100];

  it("keeps them all while no card moved", () => {
    const now = new Map(Object.entries(at));
    expect(keepRoutes(routes, edges, at, now, size)).toBe(routes);
  });

  it("drops the routes of a moved card's edges, and those a new card stands on", () => {
    const moved = new Map(Object.entries({ ...at, J3: [800, 300] as [number, number] }));
    expect(Object.keys(keepRoutes(routes, edges, at, moved, size))).toEqual(["e1"]);
    const added = new Map(Object.entries({ ...at, J4: [330, 0] as [number, number] }));
    expect(Object.keys(keepRoutes(routes, edges, at, added, size))).toEqual(["e2"]);
  });
});

describe("routeAround", () => {
  const card = (x: number, y: number) => ({ x, y, w: 320, h: 150 });
  const inside = (box: { x: number; y: number; w: number; h: number }) => ({
    x: box.x + 1,
    y: box.y + 1,
    w: box.w - 2,
    h: box.h - 2,
  });

  it("steps at one column when nothing is in the way", () => {
    const boxes = [card(0, 0), card(410, 100)];
    const route = routeAround([324, 40], [406, 140], new CardIndex(boxes));
    expect(route).toHaveLength(4);
    expect(route?.[0]).toEqual([324, 40]);
    expect(route?.[3]).toEqual([406, 140]);
  });

  it("goes around a card standing between the two ends", () => {
    // J1 | J2 | J3 in a row; J1 feeds J3: the straight line would cross J2.
    const boxes = [card(0, 0), card(410, 0), card(820, 0)];
    const route = routeAround([324, 60], [816, 70], new CardIndex(boxes));
    expect(route).not.toBeNull();
    for (const box of boxes) {
      expect(routeCrosses(route as Route, inside(box))).toBe(false);
    }
    expect(route?.[0]).toEqual([324, 60]);
    expect(route?.[route.length - 1]).toEqual([816, 70]);
  });

  it("runs back along a gap to a card left of its source (a wrapped row)", () => {
    const boxes = [card(0, 0), card(410, 0), card(0, 300), card(410, 300)];
    const route = routeAround([734, 60], [-4, 360], new CardIndex(boxes));
    expect(route).not.toBeNull();
    for (const box of boxes) {
      expect(routeCrosses(route as Route, inside(box))).toBe(false);
    }
  });

  it("runs a long edge along a gap past rows of cards (a project placed by hand)", () => {
    // 40 columns of 3 rows; the edge goes from the bottom row's first card to the top row's
    // last: every step is blocked, a run along the gap between rows is clear.
    const boxes = [];
    for (let column = 0; column < 40; column++) {
      for (let row = 0; row < 3; row++) boxes.push(card(450 * column, 480 * row));
    }
    const index = new CardIndex(boxes);
    const [source, target]: [[number, number], [number, number]] = [
      [324, 960 + 60],
      [450 * 39 - 4, 60],
    ];
    const near = index.near(source, target);
    expect(near).toHaveLength(boxes.length);
    const route = routeAround(source, target, index);
    expect(route).toHaveLength(6);
    for (const box of boxes) {
      expect(routeCrosses(route as Route, inside(box))).toBe(false);
    }
  });

  it("finds only the cards near the two ends, each once", () => {
    const wide = { x: 0, y: 600, w: 2000, h: 150 };
    expect(new CardIndex([wide]).near([0, 600], [2000, 700])).toEqual([wide]);
    // Ends far apart (positions go to 1e12): the cards are looked at, not the squares.
    const far = card(1e12, 0);
    expect(new CardIndex([card(0, 0), far]).near([324, 60], [1e12, 60])).toEqual([card(0, 0), far]);

    const boxes = [card(0, 0), card(5000, 5000), card(410, 0)];
    expect(new CardIndex(boxes).near([324, 60], [406, 60])).toEqual([card(0, 0), card(410, 0)]);
  });
});
