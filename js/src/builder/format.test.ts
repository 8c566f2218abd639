import { describe, expect, it } from "vitest";
import resultLabels from "../../../tests/widget/result_labels.json";
import { result } from "./fixtures";
import {
  absolutePath,
  dragLabel,
  formatCell,
  formatItems,
  formatVersion,
  metafileFor,
  pageLabel,
  parseVersion,
  requirementsText,
  slotSummary,
  versionOptions,
} from "./format";
import type { DragSource, InputView } from "./protocol";

type ResultSource = Omit<Extract<DragSource, { kind: "result" }>, "kind">;

describe("versions", () => {
  it("labels the final version and numbered ones", () => {
    expect(formatVersion("F")).toBe("final");
    expect(formatVersion(0)).toBe("v0");
    expect(formatVersion(12)).toBe("v12");
  });

  it("offers final first, then saved versions newest first", () => {
    expect(versionOptions(result("alignments2D", [0, 1, 2]))).toEqual([
      { value: "F", label: "final (v2)" },
      { value: "2", label: "v2" },
      { value: "1", label: "v1" },
      { value: "0", label: "v0" },
    ]);
    expect(versionOptions(result("blob", []))).toEqual([{ value: "F", label: "final" }]);
  });

  it("parses option values back, falling back to final", () => {
    expect(parseVersion("F")).toBe("F");
    expect(parseVersion("3")).toBe(3);
    expect(parseVersion("x")).toBe("F");
    expect(parseVersion("-1")).toBe("F");
  });

  it("finds the metafile of a version", () => {
    const r = result("alignments2D", [0, 1, 2]);
    expect(metafileFor(r, "F")).toBe("J0/J0_particles_alignments2D_v2.cs");
    expect(metafileFor(r, 1)).toBe("J0/J0_particles_alignments2D_v1.cs");
    expect(metafileFor(r, 9)).toBeNull();
    expect(metafileFor(result("blob", []), "F")).toBeNull();
  });
});

describe("paths and labels", () => {
  it("joins the project root and a metafile", () => {
    expect(absolutePath("/data/P1", "J3/J3_particles.cs")).toBe("/data/P1/J3/J3_particles.cs");
    expect(absolutePath("/data/P1/", ">J3/x.cs")).toBe("/data/P1/J3/x.cs");
    expect(absolutePath("", "J3/x.cs")).toBe("J3/x.cs");
  });

  it("labels drag sources like the protocol labels slot sources", () => {
    expect(dragLabel({ kind: "group", job: "J3", output: "particles" })).toBe("J3.particles");
    const base = { kind: "result", job: "J3", output: "particles", result: "blob" } as const;
    expect(dragLabel({ ...base, version: "F" })).toBe("J3.particles.blob");
    expect(dragLabel({ ...base, version: 2 })).toBe("J3.particles.blob@v2");
  });

  it("names results as Python's result_label does (tests/widget/result_labels.json)", () => {
    const cases = resultLabels as (ResultSource & { label: string })[];
    expect(cases.length).toBeGreaterThan(3);
    for (const { label, ...source } of cases) {
      expect(dragLabel({ ...source, kind: "result" })).toBe(label);
    }
  });
});

describe("counts", () => {
  it("counts items of a type, with thousands separators", () => {
    expect(formatItems(6012, "particle")).toBe("6,012 particles");
    expect(formatItems(1, "volume")).toBe("1 volume");
    expect(formatItems(2, "ml_model")).toBe("2 ML models");
    expect(formatItems(0, "exposure")).toBe("0 exposures");
  });

  it("labels a page of rows", () => {
    expect(pageLabel(0, 25, 6000)).toBe("1–25 of 6,000");
    expect(pageLabel(5975, 25, 6000)).toBe("5,976–6,000 of 6,000");
    expect(pageLabel(0, 0, 0)).toBe("0 of 0");
  });
});

describe("requirements", () => {
  const input = (extra: Partial<InputView>): InputView => ({
    name: "particles",
    type: "particle",
    title: "Particles",
    slots: [],
    count_min: 1,
    count_max: null,
    repeat_allowed: false,
    requirements: "",
    status: "unmet",
    problems: [],
    connections: [],
    ...extra,
  });

  it("uses Python's wording", () => {
    expect(requirementsText(input({ requirements: "exactly 1 group" }))).toBe("exactly 1 group");
  });

  it("stars required slots", () => {
    expect(
      slotSummary([
        { name: "blob", type: "particle.blob", required: true, title: "" },
        { name: "alignments3D", type: "particle.alignments3D", required: false, title: "" },
      ]),
    ).toBe("blob*, alignments3D");
  });
});

describe("cells", () => {
  it("formats floats briefly and integers exactly", () => {
    expect(formatCell(1.2345678, "f4")).toBe("1.23457");
    expect(formatCell(12000.5, "f8")).toBe("12000.5");
    expect(formatCell(3, "f4")).toBe("3");
    expect(formatCell(0.00001234, "f4")).toBe("1.234e-5");
    expect(formatCell(Number.NaN, "f4")).toBe("NaN");
    expect(formatCell(18446744073709551615n, "u8")).toBe("18446744073709551615");
    expect(formatCell(7, "u4")).toBe("7");
    expect(formatCell("J1/a.mrc", "str")).toBe("J1/a.mrc");
    expect(formatCell(undefined, "f4")).toBe("");
  });
});
