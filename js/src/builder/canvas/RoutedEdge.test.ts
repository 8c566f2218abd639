import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlowState } from "./paintJobs";
import { Detours } from "./RoutedEdge";

describe("Detours", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("finds detours while a frame's time allows, and those past it in the next frames", () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (run: FrameRequestCallback) => frames.push(run));
    let clock = 0;
    vi.spyOn(performance, "now").mockImplementation(() => {
      clock += 5; // each detour takes 5 ms
      return clock;
    });
    const empty = { nodeLookup: new Map(), nodes: [] } as unknown as FlowState;
    const detours = new Detours();
    const redrawn: string[] = [];
    const ask = (id: string) =>
      detours.find(
        id,
        [
          [0, 0],
          [400, 0],
        ],
        () => empty,
        () => redrawn.push(id),
      );

    const first = ["a", "b", "c", "d", "e"].map(ask);
    // 5 ms each: a, b and c spend the frame's 12 ms; d and e wait for the next frame.
    expect(first.map((route) => route !== undefined)).toEqual([true, true, true, false, false]);
    expect(redrawn).toEqual([]);
    frames.shift()?.(0);
    expect(redrawn).toEqual(["e", "d"]); // the latest first
    expect(["d", "e"].map(ask).every((route) => route !== undefined)).toBe(true);
    // A detour found is kept: asking again takes no time.
    const spent = clock;
    expect(ask("a")).toEqual(first[0]);
    expect(clock).toBe(spent);
  });
});
