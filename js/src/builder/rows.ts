import type { ColumnView } from "./protocol";

export type ColumnValues =
  | Float64Array
  | Float32Array
  | Uint32Array
  | Int32Array
  | Uint16Array
  | Int16Array
  | Uint8Array
  | Int8Array
  | BigUint64Array
  | BigInt64Array
  | string[];

export interface DecodedColumn {
  name: string;
  kind: string;
  values: ColumnValues;
}

type TypedArrayConstructor = {
  new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): Exclude<ColumnValues, string[]>;
  BYTES_PER_ELEMENT: number;
};

const TYPED_ARRAYS: Record<string, TypedArrayConstructor> = {
  f8: Float64Array,
  f4: Float32Array,
  u8: BigUint64Array,
  i8: BigInt64Array,
  u4: Uint32Array,
  i4: Int32Array,
  u2: Uint16Array,
  i2: Int16Array,
  u1: Uint8Array,
  i1: Int8Array,
};

export class RowsDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RowsDecodeError";
  }
}

const utf8 = new TextDecoder("utf-8");

/**
 * One column's values from its buffer: little-endian numbers, or strings as a `.cs`
 * file holds them (fixed-width UTF-8 records, zero-padded; any character allowed).
 */
export function decodeColumn(column: ColumnView, buffer: DataView, count: number): DecodedColumn {
  if (column.kind === "str") {
    return { name: column.name, kind: column.kind, values: decodeStrings(column, buffer, count) };
  }
  const Typed = TYPED_ARRAYS[column.kind];
  if (!Typed) {
    throw new RowsDecodeError(`column ${column.name}: unknown kind "${column.kind}"`);
  }
  const size = Typed.BYTES_PER_ELEMENT;
  if (buffer.byteLength !== count * size) {
    throw new RowsDecodeError(
      `column ${column.name}: ${buffer.byteLength} bytes for ${count} values of ${size} bytes`,
    );
  }
  // Typed arrays need an offset that is a multiple of their element size; copy when it is not.
  const aligned = buffer.byteOffset % size === 0;
  const source = aligned
    ? buffer.buffer
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice().buffer;
  const values = new Typed(source, aligned ? buffer.byteOffset : 0, count);
  return { name: column.name, kind: column.kind, values };
}

function decodeStrings(column: ColumnView, buffer: DataView, count: number): string[] {
  if (count === 0) return [];
  const width = buffer.byteLength / count;
  if (!Number.isInteger(width) || width === 0) {
    throw new RowsDecodeError(
      `column ${column.name}: ${buffer.byteLength} bytes is not ${count} fixed-width strings`,
    );
  }
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const values: string[] = [];
  for (let start = 0; start < bytes.length; start += width) {
    const record = bytes.subarray(start, start + width);
    const end = record.indexOf(0);
    values.push(utf8.decode(end < 0 ? record : record.subarray(0, end)));
  }
  return values;
}

/** Every column of a rows reply, paired with its buffer (same order). */
export function decodeColumns(
  columns: readonly ColumnView[],
  buffers: readonly DataView[],
  count: number,
): DecodedColumn[] {
  if (buffers.length !== columns.length) {
    throw new RowsDecodeError(`${columns.length} columns but ${buffers.length} buffers`);
  }
  return columns.map((column, i) => decodeColumn(column, buffers[i] as DataView, count));
}

/** Row `row` of a decoded column. */
export function cellAt(column: DecodedColumn, row: number): number | bigint | string | undefined {
  return column.values[row];
}
