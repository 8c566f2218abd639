import { describe, expect, it } from "vitest";
import { edgeAlpha } from "./paintJobs";

describe("edgeAlpha", () => {
  it("draws a few hundred edges at full strength and thousands fainter, never invisible", () => {
    expect(edgeAlpha(0)).toBe(0.55);
    expect(edgeAlpha(300)).toBe(0.55);
    expect(edgeAlpha(2000)).toBeLessThan(0.25);
    expect(edgeAlpha(2000)).toBeGreaterThan(edgeAlpha(5000));
    expect(edgeAlpha(1_000_000)).toBe(0.15);
  });
});
