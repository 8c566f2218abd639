import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ParamView } from "../protocol";
import { decodeColumns } from "../rows";
import { FieldGroups } from "./FieldGroups";
import { parse } from "./ParamsSection";
import { RowsTable } from "./RowsTable";

describe("RowsTable", () => {
  it("shows a page of decoded rows, numbered from the page's offset", () => {
    const columns = decodeColumns(
      [
        { name: "uid", kind: "u8" },
        { name: "ctf/df1_A", kind: "f4" },
        { name: "blob/path", kind: "str" },
      ],
      [
        new DataView(new BigUint64Array([11n, 12n]).buffer),
        new DataView(new Float32Array([15000.25, 1.5]).buffer),
        new DataView(new TextEncoder().encode("a.mrc\0\0b.mrc\0\0").buffer), // 2 x 7 bytes
      ],
      2,
    );
    const html = renderToStaticMarkup(<RowsTable columns={columns} offset={50} count={2} />);
    expect(html).toContain('data-testid="preview-table"');
    expect(html).toContain('<th title="f4">ctf/df1_A</th>');
    expect(html).toMatch(
      /<td class="cw-row-index">51<\/td><td data-kind="u8">12<\/td><td data-kind="f4">1.5<\/td><td data-kind="str">b.mrc<\/td>/,
    );
  });
});

describe("FieldGroups", () => {
  it("groups fields by result with where their values come from", () => {
    const html = renderToStaticMarkup(
      <FieldGroups
        groups={[
          {
            prefix: "",
            fields: [
              { name: "uid", dtype: "<u8", shape: [], sources: ["J3.particles"], histogram: null },
            ],
          },
          {
            prefix: "blob",
            fields: [
              {
                name: "blob/shape",
                dtype: "<u4",
                shape: [2],
                sources: ["J1.particles.blob"],
                histogram: null,
              },
              {
                name: "blob/psize_A",
                dtype: "<f4",
                shape: [],
                sources: ["J1.particles.blob"],
                histogram: { counts: [0, 3, 6], low: 1.1, high: 1.3 },
              },
            ],
          },
        ]}
      />,
    );
    // Bars in proportion to the counts; an empty bin has none.
    expect(html).toContain('data-testid="histogram-blob/psize_A"');
    expect(html).toMatch(/<rect x="4" y="7" width="3" height="7"><\/rect>/);
    expect(html).toMatch(/<rect x="0" y="14" width="3" height="0"><\/rect>/);
    expect(html).not.toContain('data-testid="histogram-blob/shape"');
    expect(html).toContain('data-testid="preview-group-blob"');
    expect(html).toContain('data-testid="preview-group-uid"');
    expect(html).toContain("uint32 ×2");
    expect(html).toContain("J1.particles.blob");
    expect(html).toMatch(/<td class="cw-mono">shape<\/td>/);
  });
});

describe("parameter boxes", () => {
  const param = (type: ParamView["type"], optional = false): ParamView => ({
    key: "k",
    title: "K",
    type,
    value: 1,
    default: 1,
    is_set: false,
    changed: false,
    section: "",
    advanced: false,
    help: "",
    choices: [],
    minimum: null,
    maximum: null,
    optional,
  });

  it("sends numbers as numbers, leaves the rest for Python to refuse with its reason", () => {
    expect(parse(param("int"), " 80 ")).toBe(80);
    expect(parse(param("float"), "2.5")).toBe(2.5);
    expect(parse(param("int"), "many")).toBe("many");
    expect(parse(param("str"), "D7")).toBe("D7");
  });

  it("an empty box unsets an optional parameter and sends nothing otherwise", () => {
    expect(parse(param("float", true), "")).toBeNull();
    expect(parse(param("float"), "  ")).toBeUndefined();
  });
});
