import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { decodeColumns } from "../rows";
import { FieldGroups } from "./FieldGroups";
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
            fields: [{ name: "uid", dtype: "<u8", shape: [], sources: ["J3.particles"] }],
          },
          {
            prefix: "blob",
            fields: [
              { name: "blob/shape", dtype: "<u4", shape: [2], sources: ["J1.particles.blob"] },
            ],
          },
        ]}
      />,
    );
    expect(html).toContain('data-testid="preview-group-blob"');
    expect(html).toContain('data-testid="preview-group-uid"');
    expect(html).toContain("uint32 ×2");
    expect(html).toContain("J1.particles.blob");
    expect(html).toMatch(/<td class="cw-mono">shape<\/td>/);
  });
});
