import { describe, expect, it } from "vitest";
import type { FlowState } from "./canvas/paintJobs";
import type { JobEdge } from "./flow";
import { edgesIn } from "./useEdgesNear";

/** React Flow's store, as far as `edgesIn` reads it: cards at (x, y), 300 x 100. */
function state(cards: Record<string, [number, number]>): FlowState {
  const nodeLookup = new Map(
    Object.entries(cards).map(([id, [x, y]]) => [
      id,
      { id, measured: { width: 300, height: 100 }, internals: { positionAbsolute: { x, y } } },
    ]),
  );
  return { nodeLookup } as unknown as FlowState;
}

const edge = (source: string, target: string) =>
  ({ id: `${source}>${target}`, source, target }) as JobEdge;

describe("edgesIn", () => {
  const cards = state({ A: [0, 0], B: [400, 0], C: [5000, 0], D: [5000, 3000], E: [-4000, 0] });

  it("keeps the edges whose cards' box meets the area, as React Flow judges one in view", () => {
    const edges = [edge("A", "B"), edge("C", "D"), edge("E", "C"), edge("B", "D")];
    const area = { x: -100, y: -100, w: 1000, h: 400 };
    // C to D is far right; E to C passes over the area; B to D starts in it.
    expect(edgesIn(edges, cards, area).map((e) => e.id)).toEqual(["A>B", "E>C", "B>D"]);
  });

  it("keeps an edge of a card React Flow does not hold yet", () => {
    const edges = [edge("C", "D"), edge("C", "new")];
    expect(edgesIn(edges, cards, { x: 0, y: 0, w: 100, h: 100 }).map((e) => e.id)).toEqual([
      "C>new",
    ]);
  });
});
