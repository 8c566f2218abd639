import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DatasetSummary } from "./DatasetSummary";
import type { DatasetSummary as Summary } from "./model";

const summary: Summary = {
  rows: 2019,
  path: "J12/particles.cs",
  groups: [
    { prefix: "", fields: [{ name: "uid", dtype: "<u8", shape: [] }] },
    {
      prefix: "blob",
      fields: [
        { name: "blob/path", dtype: "|O", shape: [] },
        { name: "blob/shape", dtype: "<u4", shape: [2] },
      ],
    },
    { prefix: "ctf", fields: [{ name: "ctf/df1_A", dtype: "<f4", shape: [] }] },
  ],
};

// Static markup is enough to check what is shown; no DOM or browser needed.
function render(value: Partial<Summary> | undefined): string {
  return renderToStaticMarkup(<DatasetSummary summary={value} />);
}

describe("DatasetSummary", () => {
  it("shows the row count, the path and one section per result prefix", () => {
    const html = render(summary);
    expect(html).toContain('data-testid="dataset-summary"');
    expect(html).toContain("2,019 rows");
    expect(html).toContain("J12/particles.cs");
    expect(html).toContain('data-testid="group-blob"');
    expect(html).toContain('data-testid="group-ctf"');
    expect(html).not.toContain('data-testid="group-"');
    expect(html).toContain("uint32 ×2");
    expect(html).toContain("df1_A");
  });

  it("bundles its stylesheet", () => {
    expect(render(summary)).toMatch(/<style>[^<]*\.cw-summary\s*\{/);
  });

  it("renders an empty or missing summary without throwing", () => {
    expect(render({})).toContain("0 rows");
    expect(render(undefined)).toContain("in memory");
  });
});
