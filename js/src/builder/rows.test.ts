import { describe, expect, it } from "vitest";
import { cellAt, decodeColumns, RowsDecodeError } from "./rows";

function view(array: ArrayBufferView, shift = 0): DataView {
  // Copy into a larger buffer at `shift` bytes, as a message's buffers may sit at any offset.
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const backing = new Uint8Array(bytes.length + shift + 3);
  backing.set(bytes, shift);
  return new DataView(backing.buffer, shift, bytes.length);
}

/** Strings laid out as a `.cs` field of `width` bytes holds them. */
function fixedWidth(values: string[], width: number): Uint8Array {
  const out = new Uint8Array(values.length * width);
  values.forEach((value, i) => {
    out.set(new TextEncoder().encode(value), i * width);
  });
  return out;
}

describe("decodeColumns", () => {
  it("reads each kind of column into typed arrays", () => {
    const columns = decodeColumns(
      [
        { name: "uid", kind: "u8" },
        { name: "ctf/df1_A", kind: "f4" },
        { name: "blob/idx", kind: "u4" },
        { name: "alignments3D/pose/0", kind: "f8" },
        { name: "x", kind: "i2" },
        { name: "blob/path", kind: "str" },
      ],
      [
        view(new BigUint64Array([18446744073709551615n, 2n])),
        view(new Float32Array([12345.5, -1.25])),
        view(new Uint32Array([7, 8])),
        view(new Float64Array([0.5, Math.PI])),
        view(new Int16Array([-3, 4])),
        view(fixedWidth(["J1/a.mrc", "J1/ünïcode.mrc"], 20)),
      ],
      2,
    );
    expect(columns.map((c) => c.name)).toEqual([
      "uid",
      "ctf/df1_A",
      "blob/idx",
      "alignments3D/pose/0",
      "x",
      "blob/path",
    ]);
    expect(columns.map((c) => cellAt(c, 1))).toEqual([2n, -1.25, 8, Math.PI, 4, "J1/ünïcode.mrc"]);
    expect(cellAt(columns[0] as (typeof columns)[0], 0)).toBe(18446744073709551615n);
    expect(columns[1]?.values).toBeInstanceOf(Float32Array);
  });

  it("copies a buffer that does not start at a multiple of its element size", () => {
    const [column] = decodeColumns(
      [{ name: "ctf/df1_A", kind: "f8" }],
      [view(new Float64Array([1.5, 2.5, 3.5]), 3)],
      3,
    );
    expect(Array.from(column?.values as Float64Array)).toEqual([1.5, 2.5, 3.5]);
  });

  it("reads strings holding newlines, and strings that fill their width", () => {
    const [column] = decodeColumns(
      [{ name: "blob/path", kind: "str" }],
      [view(fixedWidth(["a\nb", "", "12345678"], 8), 1)],
      3,
    );
    expect(column?.values).toEqual(["a\nb", "", "12345678"]);
  });

  it("reads an empty page", () => {
    const columns = decodeColumns(
      [
        { name: "uid", kind: "u8" },
        { name: "blob/path", kind: "str" },
      ],
      [new DataView(new ArrayBuffer(0)), new DataView(new ArrayBuffer(0))],
      0,
    );
    expect(columns.map((c) => c.values.length)).toEqual([0, 0]);
  });

  it("refuses buffers that do not match the columns", () => {
    expect(() => decodeColumns([{ name: "uid", kind: "u8" }], [], 1)).toThrow(
      "1 columns but 0 buffers",
    );
    expect(() =>
      decodeColumns([{ name: "uid", kind: "u8" }], [view(new Uint32Array([1]))], 1),
    ).toThrow("column uid: 4 bytes for 1 values of 8 bytes");
    expect(() =>
      decodeColumns([{ name: "x", kind: "c8" }], [view(new Uint32Array([1]))], 1),
    ).toThrow(RowsDecodeError);
    expect(() =>
      decodeColumns([{ name: "p", kind: "str" }], [view(new TextEncoder().encode("abcd"))], 3),
    ).toThrow("column p: 4 bytes is not 3 fixed-width strings");
  });
});
