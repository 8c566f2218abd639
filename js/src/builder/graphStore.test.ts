import { describe, expect, it, vi } from "vitest";
import { GraphStore } from "./graphStore";
import type { GraphPatch, GraphWire, JobWire, SpecWire } from "./protocol";

const importSpec: SpecWire = {
  type_title: "Import",
  section: "Import",
  inputs: [],
  outputs: [{ name: "particles", type: "particle", title: "Particles", results: [] }],
};

function jobWire(uid: string, extra: Partial<JobWire> = {}): JobWire {
  return {
    uid,
    type: "import_particles",
    spec: "import_particles",
    title: `Job ${uid}`,
    status: "completed",
    position: [0, 0],
    tags: [],
    external: false,
    inputs: [],
    outputs: [{ num_items: 10 }],
    ...extra,
  };
}

function whole(revision: number, jobs: JobWire[]): GraphWire {
  return {
    title: "P1",
    root: "/data/P1",
    read_only: false,
    can_undo: false,
    can_redo: false,
    undo_label: "",
    redo_label: "",
    revision,
    laid_out: true,
    specs: { import_particles: importSpec },
    jobs,
  };
}

function patch(base: number, extra: Partial<GraphPatch> = {}): GraphPatch {
  return {
    type: "graph_patch",
    base,
    title: "P1",
    root: "/data/P1",
    read_only: false,
    can_undo: true,
    can_redo: false,
    undo_label: "an edit",
    redo_label: "",
    revision: base + 1,
    laid_out: true,
    specs: {},
    jobs: [],
    removed: [],
    ...extra,
  };
}

function storeWith(graph: GraphWire, fetchWhole = vi.fn()) {
  const store = new GraphStore(fetchWhole);
  store.setWhole(graph);
  return store;
}

describe("GraphStore", () => {
  it("replaces the changed jobs and keeps the others' objects", () => {
    const store = storeWith(whole(4, [jobWire("J1"), jobWire("J2"), jobWire("J3")]));
    const [j1, , j3] = store.getSnapshot().jobs;
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.applyPatch(patch(4, { jobs: [jobWire("J2", { title: "Renamed" })] }))).toBe(true);
    const graph = store.getSnapshot();
    expect(listener).toHaveBeenCalledOnce();
    expect(graph.revision).toBe(5);
    expect(graph.undo_label).toBe("an edit");
    expect(graph.jobs.map((job) => job.title)).toEqual(["Job J1", "Renamed", "Job J3"]);
    expect(graph.jobs[0]).toBe(j1);
    expect(graph.jobs[2]).toBe(j3);
    expect(graph.jobs[1]?.type_title).toBe("Import");
    expect(graph).not.toHaveProperty("specs");
    expect(graph).not.toHaveProperty("removed");
  });

  it("adds new jobs in uid order, with specs sent in the same patch, and removes deleted ones", () => {
    const store = storeWith(whole(1, [jobWire("J1"), jobWire("J2"), jobWire("J10")]));
    const own: SpecWire = { ...importSpec, type_title: "Mine" };
    store.applyPatch(patch(1, { jobs: [jobWire("J9", { spec: "J9" })], specs: { J9: own } }));
    store.applyPatch(patch(2, { removed: ["J2"] }));
    const graph = store.getSnapshot();
    expect(graph.jobs.map((job) => job.uid)).toEqual(["J1", "J9", "J10"]);
    expect(graph.jobs[1]?.type_title).toBe("Mine");
    // A spec stays known after its job is gone: an undo brings the job back without it.
    store.applyPatch(patch(3, { removed: ["J9"] }));
    store.applyPatch(patch(4, { jobs: [jobWire("J9", { spec: "J9" })] }));
    expect(store.getSnapshot().jobs[1]?.type_title).toBe("Mine");
  });

  it("asks for the whole graph when a patch does not follow its revision", async () => {
    const latest = whole(9, [jobWire("J1", { title: "Fetched" })]);
    const fetchWhole = vi.fn(() => Promise.resolve(latest));
    const store = storeWith(whole(4, [jobWire("J1")]), fetchWhole);
    expect(store.applyPatch(patch(6, { jobs: [jobWire("J1", { title: "Missed one" })] }))).toBe(
      false,
    );
    expect(store.applyPatch(patch(7))).toBe(false); // while the graph is on its way
    expect(fetchWhole).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(store.getSnapshot().revision).toBe(9));
    expect(store.getSnapshot().jobs[0]?.title).toBe("Fetched");
    expect(store.applyPatch(patch(8))).toBe(false); // older than what was fetched
    expect(store.applyPatch(patch(9, { undo_label: "next" }))).toBe(true);
    expect(store.getSnapshot().undo_label).toBe("next");
  });

  it("ignores a whole graph older than the one it holds", () => {
    const store = storeWith(whole(5, [jobWire("J1")]));
    store.setWhole(whole(3, []));
    expect(store.getSnapshot().jobs).toHaveLength(1);
    store.setWhole(whole(6, []));
    expect(store.getSnapshot().jobs).toHaveLength(0);
  });
});
