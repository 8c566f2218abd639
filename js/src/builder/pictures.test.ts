import { describe, expect, it } from "vitest";
import {
  binRange,
  chosenClasses,
  dragOver,
  greyToRgba,
  NOTHING_CHOSEN,
  pictureAt,
  pictureKind,
  press,
} from "./pictures";

describe("greyToRgba", () => {
  it("repeats each grey value in red, green and blue, opaque", () => {
    expect([...greyToRgba(new Uint8Array([0, 200]), 2, 1)]).toEqual([
      0, 0, 0, 255, 200, 200, 200, 255,
    ]);
  });
  it("refuses a buffer too short for the picture", () => {
    expect(() => greyToRgba(new Uint8Array(3), 2, 2)).toThrow("needs 4 bytes, got 3");
  });
});

describe("pictureAt", () => {
  it("finds the n-th picture of a page inside the buffer's view", () => {
    const buffer = new Uint8Array([9, 9, 1, 2, 3, 4, 5, 6, 7, 8]).buffer;
    const view = new DataView(buffer, 2);
    expect([...pictureAt(view, [2, 2], 1)]).toEqual([5, 6, 7, 8]);
  });
});

describe("gallery selection", () => {
  it("a click chooses one tile, clicking it again chooses none", () => {
    const one = press(NOTHING_CHOSEN, 3, "only");
    expect([...one.chosen]).toEqual([3]);
    expect(press(one, 5, "only").chosen).toEqual(new Set([5]));
    expect(press(one, 3, "only").chosen.size).toBe(0);
  });
  it("shift-click extends from the anchor, ctrl-click toggles", () => {
    let s = press(NOTHING_CHOSEN, 4, "only");
    s = press(s, 1, "range");
    expect(s.chosen).toEqual(new Set([1, 2, 3, 4]));
    s = press(s, 2, "toggle");
    expect(s.chosen).toEqual(new Set([1, 3, 4]));
    s = press(s, 6, "range");
    expect(s.chosen).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
  it("a drag adds the tiles it crosses to what was chosen", () => {
    const before = press(NOTHING_CHOSEN, 9, "only");
    expect(dragOver(before, 2, 4).chosen).toEqual(new Set([9, 2, 3, 4]));
    expect(dragOver(before, 4, 2).chosen).toEqual(new Set([9, 2, 3, 4]));
  });
  it("names the classes of the chosen positions and counts their particles", () => {
    const s = { chosen: new Set([0, 2]), anchor: 0 };
    expect(chosenClasses(s, [7, 3, 1], [50, 40, 30])).toEqual({ classes: [1, 7], particles: 80 });
  });
});

describe("binRange", () => {
  it("sums the bins between two, in either order, with their values' range", () => {
    const h = { counts: [1, 2, 3, 4], low: 0, high: 8 };
    expect(binRange(h, 2, 1)).toEqual({ count: 5, low: 2, high: 6 });
    expect(binRange(h, 3, 9)).toEqual({ count: 4, low: 6, high: 8 });
  });
});

describe("pictureKind", () => {
  const output = (name: string, results: string[], num_items = 5) => ({
    name,
    num_items,
    results: results.map((r) => ({ name: r })),
  });
  const particles = output("particles", ["blob", "alignments2D"]);
  const averages = output("class_averages", ["blob"]);
  const classify = { status: "completed", outputs: [particles, averages] };
  it("knows class averages, particles, micrographs and volumes by their results", () => {
    expect(pictureKind(classify, averages)).toBe("gallery");
    expect(pictureKind(classify, particles)).toBe("tiles");
    expect(pictureKind(classify, output("micrographs", ["micrograph_blob", "ctf"]))).toBe(
      "micrograph",
    );
    expect(pictureKind(classify, output("volume", ["map_half_A", "map_half_B"]))).toBe("volume");
    expect(pictureKind(classify, output("ctf", ["ctf"]))).toBeNull();
  });
  it("has none while nothing is saved", () => {
    expect(pictureKind({ ...classify, status: "building" }, averages)).toBeNull();
    expect(pictureKind(classify, output("particles", ["blob"], 0))).toBeNull();
  });
});
