import type { GraphView, InputView, JobView } from "./protocol";

export const EMPTY_GRAPH: GraphView = {
  title: "",
  root: "",
  read_only: false,
  jobs: [],
  can_undo: false,
  can_redo: false,
  undo_label: "",
  redo_label: "",
  revision: 0,
};

/** The graph trait, or an empty graph while Python has not assigned one yet (it starts as {}). */
export function normalizeGraph(raw: Partial<GraphView> | null | undefined): GraphView {
  if (!raw) {
    return EMPTY_GRAPH;
  }
  return { ...EMPTY_GRAPH, ...raw, jobs: Array.isArray(raw.jobs) ? raw.jobs : [] };
}

export function findJob(graph: GraphView, uid: string): JobView | undefined {
  return graph.jobs.find((job) => job.uid === uid);
}

export function findInput(graph: GraphView, uid: string, input: string): InputView | undefined {
  return findJob(graph, uid)?.inputs.find((i) => i.name === input);
}

/** A fresh project: every job still at the origin, so none has been placed by anyone. */
export function allAtOrigin(jobs: readonly JobView[]): boolean {
  return jobs.length > 0 && jobs.every((job) => job.position[0] === 0 && job.position[1] === 0);
}

/** Structural equality of two JSON values (trait snapshots are plain JSON). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]))
  );
}
