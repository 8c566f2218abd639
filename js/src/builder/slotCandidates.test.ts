import { describe, expect, it } from "vitest";
import { sampleGraph } from "./fixtures";
import { downstreamOf, slotCandidates } from "./slotCandidates";

describe("slotCandidates", () => {
  const graph = sampleGraph();

  it("offers every other job's results of the slot's type, final first then saved versions", () => {
    const found = slotCandidates(graph, {
      job: "J4",
      input: "particles",
      connection: 0,
      slot: "alignments3D",
    });
    expect(found.map((c) => c.label)).toEqual([
      "J3.particles.alignments3D",
      "J3.particles.alignments3D@v0",
      "J3.particles.alignments3D@v1",
    ]);
    // J4 reads J3.particles.alignments3D at v1 today.
    expect(found.filter((c) => c.current).map((c) => c.version)).toEqual([1]);
  });

  it("marks what fills the slot now, and names what connect_result needs", () => {
    const found = slotCandidates(graph, {
      job: "J4",
      input: "particles",
      connection: 0,
      slot: "blob",
    });
    expect(found.map((c) => c.label)).toEqual([
      "J1.particles.blob",
      "J2.particles.blob",
      "J3.particles.blob",
    ]);
    expect(found[0]).toEqual({
      job: "J1",
      output: "particles",
      result: "blob",
      version: "F",
      label: "J1.particles.blob",
      current: true,
    });
  });

  it("leaves out the job itself and the jobs downstream of it", () => {
    expect(downstreamOf(graph, "J1")).toEqual(new Set(["J2", "J3", "J4"]));
    expect(downstreamOf(graph, "J4")).toEqual(new Set());
    const found = slotCandidates(graph, {
      job: "J2",
      input: "particles",
      connection: 0,
      slot: "blob",
    });
    expect(found.map((c) => c.job)).toEqual(["J1"]);
  });

  it("is empty for a slot that does not exist", () => {
    expect(
      slotCandidates(graph, { job: "J4", input: "volume", connection: 0, slot: "nope" }),
    ).toEqual([]);
  });
});
