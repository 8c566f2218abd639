import { describe, expect, it } from "vitest";
import { sampleGraph } from "../fixtures";
import { syncNodes } from "../flow";
import { looksSame } from "./JobMiniMap";

describe("looksSame", () => {
  const nodes = syncNodes([], sampleGraph());

  it("needs no new map for new node objects that draw the same boxes", () => {
    expect(looksSame(nodes, nodes)).toBe(true);
    const edited = nodes.map((node) => ({ ...node, data: { job: { ...node.data.job } } }));
    expect(looksSame(nodes, edited)).toBe(true);
    expect(
      looksSame(
        nodes,
        nodes.map((node) => ({ ...node, hidden: true })),
      ),
    ).toBe(true);
  });

  it("paints again for a move, a size, a selection, a status or another set of jobs", () => {
    const change = (i: number, node: Partial<(typeof nodes)[number]>) =>
      nodes.map((old, j) => (j === i ? { ...old, ...node } : old));
    const first = nodes[0];
    if (!first) throw new Error("fixture changed");
    expect(looksSame(nodes, change(0, { position: { x: 1, y: 2 } }))).toBe(false);
    expect(looksSame(nodes, change(0, { measured: { width: 400, height: 90 } }))).toBe(false);
    expect(looksSame(nodes, change(0, { selected: true }))).toBe(false);
    const failed = { job: { ...first.data.job, status: "failed" as const } };
    expect(looksSame(nodes, change(0, { data: failed }))).toBe(false);
    expect(looksSame(nodes, nodes.slice(1))).toBe(false);
  });
});
