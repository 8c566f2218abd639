import { formatCount, pluralize } from "../format";
import type { DragSource, InputView, JobStatus, ResultView, SlotView, Version } from "./protocol";

/** "final" for "F", "v3" for a saved version number. */
export function formatVersion(version: Version): string {
  return version === "F" ? "final" : `v${version}`;
}

export interface VersionOption {
  value: string;
  label: string;
}

/** Choices for a result's version select: final first, then every saved version, newest first. */
export function versionOptions(result: ResultView): VersionOption[] {
  const last = result.versions.at(-1);
  const options: VersionOption[] = [
    { value: "F", label: last === undefined ? "final" : `final (v${last})` },
  ];
  for (const version of [...result.versions].reverse()) {
    options.push({ value: String(version), label: `v${version}` });
  }
  return options;
}

/** The inverse of a version option's value. */
export function parseVersion(value: string): Version {
  if (value === "F") {
    return "F";
  }
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : "F";
}

/** Project-relative `.cs` path of one version of a result, or null when it has none saved. */
export function metafileFor(result: ResultView, version: Version): string | null {
  if (version === "F") {
    return result.metafiles.at(-1) ?? null;
  }
  const index = result.versions.indexOf(version);
  return index < 0 ? null : (result.metafiles[index] ?? null);
}

/** Absolute path of a metafile on the kernel's machine. */
export function absolutePath(root: string, metafile: string): string {
  if (root === "") {
    return metafile;
  }
  return `${root.replace(/\/+$/, "")}/${metafile.replace(/^>?\/*/, "")}`;
}

/**
 * "J3.particles", "J3.particles.blob@v2": the one place the front end names a group or a
 * result. Python's `result_label` names them the same way; both are tested against
 * tests/widget/result_labels.json.
 */
export function dragLabel(source: DragSource): string {
  if (source.kind === "group") {
    return groupLabel(source.job, source.output);
  }
  const at = source.version === "F" ? "" : `@v${source.version}`;
  return `${groupLabel(source.job, source.output)}.${source.result}${at}`;
}

/** "J3.particles": a job's output group, as every label names it. */
export function groupLabel(job: string, group: string): string {
  return `${job}.${group}`;
}

const IRREGULAR_PLURALS: Record<string, string> = { mask: "masks", ml_model: "ML models" };

/** "6,012 particles", "1 volume": a count of items of one item type. */
export function formatItems(n: number, itemType: string): string {
  const singular = itemType.replaceAll("_", " ");
  return pluralize(n, singular, IRREGULAR_PLURALS[itemType] ?? `${singular}s`);
}

const STATUS_LABELS: Record<JobStatus, string> = {
  building: "Building",
  queued: "Queued",
  launched: "Launched",
  started: "Started",
  running: "Running",
  waiting: "Waiting",
  completed: "Completed",
  failed: "Failed",
  killed: "Killed",
};

export function statusLabel(status: JobStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** The input's requirements line, in Python's words (`InputSpec.requirements`): made there only. */
export function requirementsText(input: InputView): string {
  return input.requirements;
}

/** "blob*, ctf*, alignments3D": the slots of an input, required ones starred. */
export function slotSummary(slots: readonly SlotView[]): string {
  return slots.map((slot) => (slot.required ? `${slot.name}*` : slot.name)).join(", ");
}

/** "1–25 of 6,000" for a page of rows. */
export function pageLabel(offset: number, count: number, total: number): string {
  if (total === 0 || count === 0) {
    return `0 of ${formatCount(total)}`;
  }
  return `${formatCount(offset + 1)}–${formatCount(offset + count)} of ${formatCount(total)}`;
}

/** How one cell of a preview table reads. */
export function formatCell(value: number | bigint | string | undefined, kind: string): string {
  if (value === undefined) {
    return "";
  }
  if (typeof value === "string" || typeof value === "bigint") {
    return String(value);
  }
  if (kind === "f4" || kind === "f8") {
    if (Number.isNaN(value)) {
      return "NaN";
    }
    if (Number.isInteger(value) && Math.abs(value) < 1e6) {
      return String(value);
    }
    const abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
      ? value.toExponential(3)
      : String(Number(value.toPrecision(kind === "f4" ? 6 : 8)));
  }
  return String(value);
}
