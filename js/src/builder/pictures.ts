/**
 * Pure helpers of the inspector's pictures: uint8 grey pixels (contrast already set in Python)
 * as canvas pixels, and which classes a click, shift-click or drag selects in the gallery.
 */

/** One grey picture of `width` x `height` as RGBA pixels for an `ImageData`. */
export function greyToRgba(
  grey: Uint8Array,
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height;
  if (grey.length < n) {
    throw new Error(`a ${width} x ${height} picture needs ${n} bytes, got ${grey.length}`);
  }
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = grey[i] ?? 0;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/** A picture's [height, width] as a reply gives it ([0, 0] for an empty page). */
export function sizeOf(size: readonly number[]): [number, number] {
  return [size[0] ?? 0, size[1] ?? 0];
}

/** The `index`-th of `count` pictures of `size` ([h, w]) held one after another in `view`. */
export function pictureAt(view: DataView, size: readonly number[], index: number): Uint8Array {
  const [h, w] = sizeOf(size);
  const bytes = h * w;
  return new Uint8Array(view.buffer, view.byteOffset + index * bytes, bytes);
}

/** How a tile was pressed: alone (click), extending (shift) or toggling (ctrl / cmd). */
export type Press = "only" | "range" | "toggle";

export interface GallerySelection {
  /** Selected positions in the gallery's order. */
  chosen: ReadonlySet<number>;
  /** Where the last plain or toggling press was: shift-click extends from here. */
  anchor: number | null;
}

export const NOTHING_CHOSEN: GallerySelection = { chosen: new Set(), anchor: null };

/**
 * The selection after pressing the tile at `position`: a click chooses it alone (or nothing
 * when it was the only one chosen), ctrl/cmd-click adds or removes it, shift-click chooses
 * every tile from the anchor to it, added to what was chosen.
 */
export function press(selection: GallerySelection, position: number, how: Press): GallerySelection {
  const { chosen, anchor } = selection;
  if (how === "toggle") {
    const next = new Set(chosen);
    if (!next.delete(position)) next.add(position);
    return { chosen: next, anchor: position };
  }
  if (how === "range" && anchor !== null) {
    const next = new Set(chosen);
    const [from, to] = anchor < position ? [anchor, position] : [position, anchor];
    for (let i = from; i <= to; i++) next.add(i);
    return { chosen: next, anchor };
  }
  if (chosen.size === 1 && chosen.has(position)) return NOTHING_CHOSEN;
  return { chosen: new Set([position]), anchor: position };
}

/** The selection while dragging from `start` over to `position`: the tiles between, added to
 * what was chosen before the drag (`before`). */
export function dragOver(
  before: GallerySelection,
  start: number,
  position: number,
): GallerySelection {
  return press({ chosen: before.chosen, anchor: start }, position, "range");
}

/** The classes of the chosen positions, ascending, and their particles in all. */
export function chosenClasses(
  selection: GallerySelection,
  classes: readonly number[],
  counts: readonly number[],
): { classes: number[]; particles: number } {
  const positions = [...selection.chosen].filter((p) => p >= 0 && p < classes.length);
  const particles = positions.reduce((sum, p) => sum + (counts[p] ?? 0), 0);
  const chosen = positions.map((p) => classes[p] ?? -1);
  return { classes: chosen.sort((a, b) => a - b), particles };
}

/** How many of a histogram's values lie between bins `from` and `to` (inclusive, any order),
 * and the range of values those bins cover. */
export function binRange(
  histogram: { counts: readonly number[]; low: number; high: number },
  from: number,
  to: number,
): { count: number; low: number; high: number } {
  const n = histogram.counts.length;
  const [a, b] = from < to ? [from, to] : [to, from];
  const first = Math.max(0, Math.min(n - 1, a));
  const last = Math.max(0, Math.min(n - 1, b));
  const width = (histogram.high - histogram.low) / n;
  let count = 0;
  for (let i = first; i <= last; i++) count += histogram.counts[i] ?? 0;
  return {
    count,
    low: histogram.low + first * width,
    high: last === n - 1 ? histogram.high : histogram.low + (last + 1) * width,
  };
}

/** Which picture an output has, from what its results are: a 2D classification's class
 * averages (a gallery to choose classes from), images (tiles), micrographs, volumes; null when
 * it has none or nothing is saved yet. */
export type PictureKind = "gallery" | "tiles" | "micrograph" | "volume";

export function pictureKind(
  job: { status: string; outputs: readonly OutputLike[] },
  output: OutputLike,
): PictureKind | null {
  if (job.status !== "completed" || output.num_items === 0) return null;
  const has = (o: OutputLike, name: string) => o.results.some((r) => r.name === name);
  const particles = job.outputs.find((o) => o.name === "particles");
  if (output.name === "class_averages" && particles && has(particles, "alignments2D")) {
    return "gallery";
  }
  if (has(output, "blob")) return "tiles";
  if (has(output, "micrograph_blob")) return "micrograph";
  if (["map", "map_half_A", "map_half_B"].some((name) => has(output, name))) return "volume";
  return null;
}

interface OutputLike {
  name: string;
  num_items: number;
  results: readonly { name: string }[];
}
