import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { FieldView } from "../protocol";
import { edge, fieldSource, RangeSelect } from "./RangeSelect";

const field = (name: string, sources: string[]): FieldView => ({
  name,
  dtype: "<f4",
  shape: [],
  sources,
  histogram: { counts: [3, 0, 5], low: 10000, high: 16000 },
});

describe("RangeSelect", () => {
  it("selects from the one output a field's values come from, at its final version", () => {
    expect(fieldSource(field("ctf/df1_A", ["J7.particles.ctf"]))).toEqual({
      job: "J7",
      output: "particles",
    });
    expect(fieldSource(field("ctf/df1_A", ["J7.particles.ctf", "J8.particles.ctf"]))).toBeNull();
    expect(fieldSource(field("ctf/df1_A", ["J7.particles.ctf@v2"]))).toBeNull();
  });
  it("reads bin edges without exponents", () => {
    expect(edge(11820.4567)).toBe("11820");
    expect(edge(0.123456)).toBe("0.1235");
  });
  it("draws the first numeric field's bars, none chosen", () => {
    const html = renderToStaticMarkup(
      <RangeSelect
        groups={[{ prefix: "ctf", fields: [field("ctf/df1_A", ["J7.particles.ctf"])] }]}
        rows={8}
      />,
    );
    expect(html).toContain('data-testid="range-histogram"');
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html).toContain("10000 to 16000: drag across the bars");
  });
});
