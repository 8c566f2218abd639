import type { FieldSummary, GroupSummary } from "./model";

// A fixed locale keeps the output the same on every machine (and in tests).
const countFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function pluralize(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

const NUMPY_KINDS: Record<string, string> = {
  b1: "bool",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
  f2: "float16",
  f4: "float32",
  f8: "float64",
  c8: "complex64",
  c16: "complex128",
};

/** Readable name of a numpy dtype string; unknown codes are shown as given. */
export function formatScalarDtype(dtype: string): string {
  // The byte-order mark ("<", ">", "|", "=") does not matter to a person reading the summary.
  const code = /^[<>|=]/.test(dtype) ? dtype.slice(1) : dtype;
  if (code === "O") {
    return "string"; // cryosparc stores variable-length strings as Python objects
  }
  const sized = /^([SU])(\d+)$/.exec(code);
  if (sized) {
    return `${sized[1] === "S" ? "bytes" : "str"}[${sized[2]}]`;
  }
  return NUMPY_KINDS[code] ?? dtype;
}

/** e.g. `formatDtype("<f4", [2])` is "float32 ×2"; a scalar column has shape []. */
export function formatDtype(dtype: string, shape: readonly number[] = []): string {
  const base = formatScalarDtype(dtype);
  return shape.length === 0 ? base : `${base} ×${shape.join("×")}`;
}

/** Field name without its group's prefix: "ctf/df1_A" in group "ctf" reads "df1_A". */
export function fieldLabel(prefix: string, field: FieldSummary): string {
  const head = `${prefix}/`;
  return prefix !== "" && field.name.startsWith(head) ? field.name.slice(head.length) : field.name;
}

export interface GroupDescription {
  title: string;
  detail: string;
}

export function describeGroup(group: GroupSummary): GroupDescription {
  return {
    title: group.prefix === "" ? "(no prefix)" : group.prefix,
    detail: pluralize(group.fields.length, "field"),
  };
}

/**
 * Groups worth a section: every result prefix, and the unprefixed group only when it holds
 * more than `uid` (every dataset has a uid, so listing it alone says nothing).
 */
export function visibleGroups(groups: readonly GroupSummary[]): GroupSummary[] {
  return groups.filter((g) => g.prefix !== "" || g.fields.some((f) => f.name !== "uid"));
}
