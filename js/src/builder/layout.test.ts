import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import {
  COMPONENT_GAP,
  components,
  DEFAULT_CARD,
  elkGraph,
  LAYOUT_OPTIONS,
  type LayoutEdge,
  type LayoutNode,
  layout,
  longestChain,
  type Positions,
  packComponents,
  positionsFrom,
} from "./layout";

// ELK in this thread (the canvas runs it in a worker, layoutEngine.ts).
const engine = new ELK();
const layoutPositions = async (
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  aspect?: number,
): Promise<Positions> => (await layout(engine, nodes, edges, { aspect })).positions;

describe("elkGraph", () => {
  it("lays out cards at their measured size, left to right", () => {
    const { graph } = elkGraph(
      [{ id: "J1", width: 300, height: 120 }, { id: "J2" }],
      [{ id: "c1", source: "J1", target: "J2" }],
    );
    expect(graph.layoutOptions?.["elk.algorithm"]).toBe("layered");
    expect(graph.layoutOptions?.["elk.direction"]).toBe("RIGHT");
    expect(graph.children).toEqual([
      { id: "J1", width: 300, height: 120 },
      { id: "J2", width: DEFAULT_CARD.width, height: DEFAULT_CARD.height },
    ]);
    expect(graph.edges).toEqual([{ id: "c1", sources: ["J1"], targets: ["J2"] }]);
  });

  it("keeps one edge per pair of ends and drops loops and dangling edges", () => {
    const { graph, aliases } = elkGraph(
      [{ id: "J1" }, { id: "J2" }],
      [
        { id: "a", source: "J1", target: "J2" },
        { id: "b", source: "J1", target: "J2" },
        { id: "c", source: "J2", target: "J2" },
        { id: "d", source: "J7", target: "J2" },
      ],
    );
    expect(graph.edges).toHaveLength(1);
    expect([...aliases]).toEqual([
      ["a", "a"],
      ["b", "a"],
    ]);
  });

  it("ends edges on the cards' handles, fixed where the cards draw them", () => {
    const { graph } = elkGraph(
      [
        { id: "J1", width: 300, height: 100, ports: [{ id: "out:particles", side: "out", y: 60 }] },
        { id: "J2", width: 300, height: 100, ports: [{ id: "in:particles", side: "in", y: 70 }] },
      ],
      [
        {
          id: "c",
          source: "J1",
          target: "J2",
          sourceHandle: "out:particles",
          targetHandle: "in:particles",
        },
        { id: "d", source: "J1", target: "J2", sourceHandle: "out:volume", targetHandle: null },
      ],
    );
    const [one, two] = graph.children ?? [];
    expect(one?.layoutOptions).toEqual({ "elk.portConstraints": "FIXED_POS" });
    expect(one?.ports?.[0]).toMatchObject({
      x: 300,
      y: 60,
      layoutOptions: { "elk.port.side": "EAST" },
    });
    expect(two?.ports?.[0]).toMatchObject({
      x: 0,
      y: 70,
      layoutOptions: { "elk.port.side": "WEST" },
    });
    // A handle the card does not list: the edge ends on the card.
    expect(graph.edges?.map((e) => [e.sources, e.targets])).toEqual([
      [["J1\u0000out:particles"], ["J2\u0000in:particles"]],
      [["J1"], ["J2"]],
    ]);
  });
});

describe("positionsFrom", () => {
  it("reads whole-pixel corners from ELK's result", () => {
    expect(
      positionsFrom({
        id: "root",
        children: [
          { id: "J1", x: 12.4, y: 7.6 },
          { id: "J2", x: 400 },
        ],
      }),
    ).toEqual({ J1: [12, 8], J2: [400, 0] });
  });
});

describe("packComponents", () => {
  const nodes = [
    { id: "J1", width: 300, height: 100 },
    { id: "J2", width: 300, height: 100 },
    { id: "J10", width: 200, height: 400 },
    { id: "J3", width: 300, height: 200 },
  ];
  const edges = [{ source: "J1", target: "J2" }];

  it("groups jobs into connected pipelines", () => {
    expect(components(nodes, edges)).toEqual([["J1", "J2"], ["J10"], ["J3"]]);
  });

  it("puts pipelines side by side in the order of their oldest job, top-aligned", () => {
    const laidOut: Positions = { J1: [500, 300], J2: [890, 300], J10: [12, 12], J3: [12, 600] };
    const positions = packComponents(nodes, edges, laidOut, { rowWidth: 2400 });
    expect(positions).toEqual({
      J1: [0, 0],
      J2: [390, 0],
      J3: [690 + COMPONENT_GAP, 0],
      J10: [690 + COMPONENT_GAP + 300 + COMPONENT_GAP, 0],
    });
  });

  it("wraps to a new row past the row width", () => {
    const positions = packComponents(
      nodes,
      edges,
      { J1: [0, 0], J2: [390, 0], J10: [0, 0], J3: [0, 0] },
      { rowWidth: 1000 },
    );
    expect(positions.J3).toEqual([0, 100 + COMPONENT_GAP]);
    expect(positions.J10).toEqual([300 + COMPONENT_GAP, 100 + COMPONENT_GAP]);
  });

  it("shapes many pipelines like the canvas", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      id: `J${i + 1}`,
      width: 320,
      height: 200,
    }));
    const at: Positions = Object.fromEntries(many.map((n) => [n.id, [0, 0]]));
    const extent = (positions: Positions) => {
      const xs = Object.values(positions).map(([x]) => x + 320);
      const ys = Object.values(positions).map(([, y]) => y + 200);
      return Math.max(...xs) / Math.max(...ys);
    };
    expect(extent(packComponents(many, [], at, { aspect: 1.5 }))).toBeCloseTo(1.5, 0);
    expect(extent(packComponents(many, [], at, { aspect: 3 }))).toBeGreaterThan(2.2);
  });
});

describe("layoutPositions", () => {
  it("puts each job right of the jobs it takes inputs from, without overlaps", async () => {
    const nodes = ["J1", "J2", "J3", "J4"].map((id) => ({ id, width: 300, height: 150 }));
    const positions = await layoutPositions(nodes, [
      { source: "J1", target: "J2" },
      { source: "J2", target: "J3" },
      { source: "J1", target: "J3" },
    ]);
    const x = (id: string) => positions[id]?.[0] ?? Number.NaN;
    expect(Object.keys(positions).sort()).toEqual(["J1", "J2", "J3", "J4"]);
    expect(x("J2")).toBeGreaterThanOrEqual(x("J1") + 300);
    expect(x("J3")).toBeGreaterThanOrEqual(x("J2") + 300);
    const boxes = Object.values(positions);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = Math.abs(a[0] - b[0]) >= 300 || Math.abs(a[1] - b[1]) >= 150;
        expect(apart).toBe(true);
      }
    }
  });

  it("has nothing to do for no cards", async () => {
    expect(await layout(engine, [], [])).toEqual({ positions: {}, routes: {} });
  });
});

describe("rows as wide as the canvas reads", () => {
  it("wrap a short chain too wide for the canvas, and pack pipelines in that width", async () => {
    const nodes = ["J1", "J2", "J3", "J4", "J5"].map((id) => ({ id, width: 320, height: 150 }));
    const edges = [
      { id: "a", source: "J1", target: "J2" },
      { id: "b", source: "J2", target: "J3" },
    ];
    const wide = await layout(engine, nodes, edges, { aspect: 1.5 });
    const narrow = await layout(engine, nodes, edges, { aspect: 1.5, rowWidth: 900 });
    const right = (positions: Positions) =>
      Math.max(...Object.values(positions).map(([x]) => x + 320));
    expect(right(wide.positions)).toBeGreaterThan(900);
    expect(right(narrow.positions)).toBeLessThanOrEqual(900);
    for (const route of Object.values(narrow.routes)) {
      for (const [x] of route) expect(x).toBeLessThanOrEqual(900);
    }
    const boxes = Object.values(narrow.positions);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        expect(Math.abs(a[0] - b[0]) >= 320 || Math.abs(a[1] - b[1]) >= 150).toBe(true);
      }
    }
  });
});

describe("long chains", () => {
  it("count the jobs of the longest chain", () => {
    const nodes = ["J1", "J2", "J3", "J4"].map((id) => ({ id }));
    expect(longestChain(nodes, [])).toBe(1);
    const chain = [
      { source: "J1", target: "J2" },
      { source: "J2", target: "J3" },
      { source: "J1", target: "J3" },
    ];
    expect(longestChain(nodes, chain)).toBe(3);
  });

  it("wrap into rows past a few jobs, so the first view can be read", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `J${i + 1}`);
    const nodes = ids.map((id) => ({ id, width: 300, height: 200 }));
    const edges = ids.slice(1).map((id, i) => ({ source: ids[i] ?? "", target: id }));
    expect(elkGraph(nodes, edges).graph.layoutOptions?.["elk.layered.wrapping.strategy"]).toBe(
      "MULTI_EDGE",
    );
    expect(elkGraph(nodes.slice(0, 3), edges.slice(0, 2)).graph.layoutOptions).toEqual(
      LAYOUT_OPTIONS,
    );
    const positions = await layoutPositions(nodes, edges, 1200 / 700);
    const xs = Object.values(positions).map(([x]) => x);
    const ys = new Set(Object.values(positions).map(([, y]) => y));
    expect(Math.max(...xs)).toBeLessThan(11 * 300); // not one long row
    expect(ys.size).toBeGreaterThan(1);
    const boxes = Object.values(positions);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        expect(Math.abs(a[0] - b[0]) >= 300 || Math.abs(a[1] - b[1]) >= 200).toBe(true);
      }
    }
  });
});
