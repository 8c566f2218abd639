import { describe, expect, it } from "vitest";
import { sampleGraph } from "./fixtures";
import {
  buildEdges,
  estimateCard,
  hideNodes,
  JOB_IN,
  type JobEdge,
  pendingEdge,
  syncNodes,
  withoutEstimates,
} from "./flow";
import type { GraphView } from "./protocol";

describe("buildEdges", () => {
  it("draws one edge per connection, from the output row to the input row", () => {
    const edges = buildEdges(sampleGraph()).filter((e) => e.data?.kind === "connection");
    expect(edges.map((e) => [e.id, e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ["c:J2:particles:0", "J1", "out:particles", "J2", JOB_IN],
      ["c:J3:particles:0", "J2", "out:particles", "J3", JOB_IN],
      ["c:J4:particles:0", "J3", "out:particles", "J4", "in:particles"],
    ]);
  });

  it("draws overrides from another job dashed, to the slot they fill", () => {
    const overrides = buildEdges(sampleGraph()).filter((e) => e.data?.kind === "override");
    // alignments3D is an override too, but of another version of the connection's own job.
    expect(overrides).toHaveLength(1);
    const [edge] = overrides;
    expect(edge).toMatchObject({
      id: "o:J4:particles:0:blob",
      source: "J1",
      sourceHandle: "out:particles",
      target: "J4",
      targetHandle: "slot:particles:0:blob",
      className: "cw-edge cw-edge-override",
    });
    expect(edge?.style?.strokeDasharray).toBeTruthy();
    const plain = buildEdges(sampleGraph()).find((e) => e.data?.kind === "connection");
    expect(plain?.style?.strokeDasharray).toBeUndefined();
  });

  it("leaves out edges from jobs that are not in the graph", () => {
    const graph = sampleGraph();
    graph.jobs = graph.jobs.filter((job) => job.uid !== "J1");
    const edges = buildEdges(graph);
    expect(edges.some((e) => e.source === "J1")).toBe(false);
    expect(edges.map((e) => e.id)).toEqual(["c:J3:particles:0", "c:J4:particles:0"]);
  });

  it("falls back to the card's own handle when the source output is unknown", () => {
    const graph = structuredClone(sampleGraph()); // the fixture's inputs are shared
    const j4 = graph.jobs[3];
    const connection = j4?.inputs[0]?.connections[0];
    if (!connection) throw new Error("fixture changed");
    connection.group = "particles_class_0";
    const edge = buildEdges(graph).find((e) => e.id === "c:J4:particles:0");
    expect(edge?.sourceHandle).toBe("out");
  });

  it("keeps the edge objects of jobs an edit did not touch, and remakes those of a changed job", () => {
    const graph = sampleGraph();
    const before = new Map(buildEdges(graph).map((edge) => [edge.id, edge]));
    // An edit to J2 gives it a new view: its own edge and the one from it are made again.
    const jobs = graph.jobs.map((job) => (job.uid === "J2" ? { ...job, title: "renamed" } : job));
    const after = buildEdges({ ...graph, jobs });
    expect(after.map((edge) => [edge.id, before.get(edge.id) === edge])).toEqual([
      ["c:J2:particles:0", false],
      ["c:J3:particles:0", false],
      ["c:J4:particles:0", true],
      ["o:J4:particles:0:blob", true],
    ]);
    // A source that leaves the graph takes its edges away, and brings them back on return.
    const without = buildEdges({ ...graph, jobs: jobs.filter((job) => job.uid !== "J1") });
    expect(without.some((edge) => edge.source === "J1")).toBe(false);
    expect(buildEdges({ ...graph, jobs }).filter((edge) => edge.source === "J1")).toHaveLength(2);
  });
});

describe("syncNodes", () => {
  it("makes one node per job at its position", () => {
    const nodes = syncNodes([], sampleGraph());
    expect(nodes.map((n) => [n.id, n.type, n.position])).toEqual([
      ["J1", "job", { x: 0, y: 0 }],
      ["J2", "job", { x: 400, y: 0 }],
      ["J3", "job", { x: 800, y: 0 }],
      ["J4", "job", { x: 1200, y: 0 }],
    ]);
    expect(nodes.every((n) => n.draggable)).toBe(true);
  });

  it("keeps unchanged nodes as the same objects, with their measured size and selection", () => {
    const first = syncNodes([], sampleGraph()).map((n) => ({
      ...n,
      measured: { width: 300, height: 120 },
      selected: n.id === "J2",
    }));
    const next: GraphView = { ...sampleGraph(), revision: 8 };
    const moved = next.jobs[1];
    if (!moved) throw new Error("fixture changed");
    moved.position = [420, 10];
    const renamed = next.jobs[2];
    if (!renamed) throw new Error("fixture changed");
    renamed.title = "new title";
    const nodes = syncNodes(first, next);
    expect(nodes[0]).toBe(first[0]);
    expect(nodes[3]).toBe(first[3]);
    expect(nodes[1]).not.toBe(first[1]);
    expect(nodes[1]?.position).toEqual({ x: 420, y: 10 });
    expect(nodes[1]?.data).toBe(first[1]?.data);
    expect(nodes[1]?.selected).toBe(true);
    expect(nodes[1]?.measured).toEqual({ width: 300, height: 120 });
    expect(nodes[2]?.data.job.title).toBe("new title");
  });

  it("drops deleted jobs, adds new ones and puts back a position Python did not take", () => {
    const first = syncNodes([], sampleGraph());
    const dragged = first.map((n) => (n.id === "J1" ? { ...n, position: { x: 55, y: 66 } } : n));
    const graph = sampleGraph();
    graph.jobs = graph.jobs.filter((job) => job.uid !== "J2");
    const nodes = syncNodes(dragged, graph);
    expect(nodes.map((n) => n.id)).toEqual(["J1", "J3", "J4"]);
    expect(nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it("makes nodes of a read-only project fixed", () => {
    const nodes = syncNodes([], { ...sampleGraph(), read_only: true });
    expect(nodes.every((n) => n.draggable === false)).toBe(true);
  });
});

describe("estimated cards", () => {
  it("have a handle for every edge end, so edges of cards not drawn yet can be drawn", () => {
    const graph = sampleGraph();
    const handles = new Map(graph.jobs.map((job) => [job.uid, estimateCard(job).handles]));
    const has = (uid: string, type: string, id: string | null | undefined) =>
      handles.get(uid)?.some((h) => h.type === type && h.id === id);
    const edges = buildEdges(graph);
    expect(edges.length).toBeGreaterThan(3);
    for (const edge of edges) {
      expect(has(edge.source, "source", edge.sourceHandle), edge.id).toBe(true);
      expect(has(edge.target, "target", edge.targetHandle), edge.id).toBe(true);
    }
  });

  it("are new nodes' sizes until measured, then React Flow's measured handles are kept", () => {
    const unmeasured = syncNodes([], sampleGraph()).slice(0, 1);
    const [node] = unmeasured;
    if (!node) {
      throw new Error("the sample graph has jobs");
    }
    expect(node.handles?.length).toBeGreaterThan(0);
    expect(node.initialHeight).toBeGreaterThan(40);
    expect(withoutEstimates(unmeasured)).toBe(unmeasured);
    const measured = withoutEstimates([{ ...node, measured: { width: 300, height: 120 } }]);
    expect(measured[0]).not.toHaveProperty("handles");
    expect(measured[0]?.measured).toEqual({ width: 300, height: 120 });
  });
});

describe("hideNodes", () => {
  it("hides every card from React Flow for the overview, and shows them again", () => {
    const graph = sampleGraph();
    const nodes = syncNodes([], graph);
    const hidden = hideNodes(nodes, true);
    expect(hidden.every((node) => node.hidden === true)).toBe(true);
    expect(hidden[0]?.data).toBe(nodes[0]?.data); // the cards' data kept: no card re-drawn
    expect(hideNodes(hidden, true)).toBe(hidden); // nothing to change: the same array
    // A job added meanwhile is hidden too.
    expect(syncNodes([], graph, true).every((node) => node.hidden)).toBe(true);
    expect(hideNodes(hidden, false).every((node) => !node.hidden)).toBe(true);
  });
});

describe("pendingEdge", () => {
  it("ends on the same handles as the kernel's edge for the same connection", () => {
    const kernels = buildEdges(sampleGraph()).find((e) => e.id === "c:J4:particles:0");
    const command = {
      op: "connect",
      job: "J4",
      input: "particles",
      source_job: "J3",
      source_output: "particles",
    } as const;
    const drawn = pendingEdge(command, sampleGraph());
    const ends = (e?: JobEdge | null) => [e?.source, e?.sourceHandle, e?.target, e?.targetHandle];
    expect(ends(drawn)).toEqual(ends(kernels));
    // From an output row where the card has one.
    const fromJ1 = pendingEdge({ ...command, source_job: "J1" }, sampleGraph());
    expect(fromJ1?.sourceHandle).toBe("out:particles");
    expect(drawn?.id).toBe("pending:J4:particles");
  });

  it("is drawn for group connections only", () => {
    expect(pendingEdge({ op: "set_position", job: "J4", x: 0, y: 0 }, sampleGraph())).toBeNull();
  });
});
