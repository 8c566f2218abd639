import { describe, expect, it } from "vitest";
import {
  describeGroup,
  fieldLabel,
  formatCount,
  formatDtype,
  pluralize,
  visibleGroups,
} from "./format";
import type { GroupSummary } from "./model";

describe("formatCount", () => {
  it("groups thousands with commas", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(6012)).toBe("6,012");
    expect(formatCount(1234567)).toBe("1,234,567");
  });
});

describe("pluralize", () => {
  it("uses the singular only for exactly one", () => {
    expect(pluralize(1, "row")).toBe("1 row");
    expect(pluralize(0, "row")).toBe("0 rows");
    expect(pluralize(2019, "row")).toBe("2,019 rows");
  });
});

describe("formatDtype", () => {
  it.each([
    ["<f4", "float32"],
    ["<f8", "float64"],
    ["<u4", "uint32"],
    ["<u8", "uint64"],
    ["<i4", "int32"],
    ["<i8", "int64"],
    ["|u1", "uint8"],
    ["|b1", "bool"],
    [">f4", "float32"],
    ["|S48", "bytes[48]"],
    ["<U12", "str[12]"],
    ["|O", "string"],
  ])("names %s as %s", (code, name) => {
    expect(formatDtype(code, [])).toBe(name);
  });

  it("appends the per-row shape", () => {
    expect(formatDtype("<f4", [2])).toBe("float32 ×2");
    expect(formatDtype("<f4", [3, 4])).toBe("float32 ×3×4");
    expect(formatDtype("<u8")).toBe("uint64");
  });

  it("shows unknown codes unchanged", () => {
    expect(formatDtype("<M8[ns]", [])).toBe("<M8[ns]");
    expect(formatDtype("|V16", [2])).toBe("|V16 ×2");
  });
});

const uidGroup: GroupSummary = {
  prefix: "",
  fields: [{ name: "uid", dtype: "<u8", shape: [] }],
};
const ctfGroup: GroupSummary = {
  prefix: "ctf",
  fields: [
    { name: "ctf/df1_A", dtype: "<f4", shape: [] },
    { name: "ctf/shift_A", dtype: "<f4", shape: [2] },
  ],
};

describe("describeGroup", () => {
  it("titles a group by its prefix and counts its fields", () => {
    expect(describeGroup(ctfGroup)).toEqual({ title: "ctf", detail: "2 fields" });
    expect(describeGroup(uidGroup)).toEqual({ title: "(no prefix)", detail: "1 field" });
  });
});

describe("fieldLabel", () => {
  it("drops the group prefix when the name carries it", () => {
    expect(fieldLabel("ctf", { name: "ctf/df1_A", dtype: "<f4", shape: [] })).toBe("df1_A");
    expect(fieldLabel("ctf", { name: "df1_A", dtype: "<f4", shape: [] })).toBe("df1_A");
    expect(fieldLabel("", { name: "uid", dtype: "<u8", shape: [] })).toBe("uid");
    // Only a whole prefix segment is removed.
    expect(fieldLabel("ctf", { name: "ctfx/a", dtype: "<f4", shape: [] })).toBe("ctfx/a");
  });
});

describe("visibleGroups", () => {
  it("hides the unprefixed group when it holds only uid", () => {
    expect(visibleGroups([uidGroup, ctfGroup])).toEqual([ctfGroup]);
  });

  it("keeps the unprefixed group when it holds more than uid", () => {
    const extra: GroupSummary = {
      prefix: "",
      fields: [...uidGroup.fields, { name: "score", dtype: "<f4", shape: [] }],
    };
    expect(visibleGroups([extra, ctfGroup])).toEqual([extra, ctfGroup]);
  });
});
