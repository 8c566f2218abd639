import { dragLabel } from "./format";
import type {
  GraphView,
  GraphWire,
  InputView,
  JobView,
  JobWire,
  OutputSpecWire,
  OutputView,
  OutputWire,
  SpecWire,
} from "./protocol";

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
  laid_out: false,
};

const NO_SPEC: SpecWire = { type_title: "", section: "", inputs: [], outputs: [] };

/**
 * The graph trait (`GraphWire`) expanded into the `GraphView` the views use, or an empty
 * graph while Python has not assigned one yet (it starts as {}). The one reader of the trait.
 */
export function normalizeGraph(raw: Partial<GraphWire> | null | undefined): GraphView {
  if (!raw) {
    return EMPTY_GRAPH;
  }
  const { specs = {}, jobs, ...rest } = raw;
  const expanded = Array.isArray(jobs) ? jobs.map((job) => expandJob(job, specs[job.spec])) : [];
  return { ...EMPTY_GRAPH, ...rest, jobs: expanded };
}

/** One job of the trait, its spec (`specs[job.spec]`, or none if missing) put back in. */
export function expandJob(job: JobWire, spec: SpecWire = NO_SPEC): JobView {
  const { spec: _key, inputs, outputs, ...own } = job;
  return {
    ...own,
    type_title: spec.type_title,
    section: spec.section,
    inputs: spec.inputs.map((input, i) => {
      const { status = "met", problems = [], connections = [] } = inputs[i] ?? {};
      return {
        ...input,
        status,
        problems,
        connections: connections.map((connection) => ({
          ...connection,
          slots: connection.slots.map((source) => ({
            ...source,
            label: dragLabel({
              kind: "result",
              job: source.job,
              output: source.group,
              result: source.result,
              version: source.version,
            }),
          })),
        })),
      };
    }),
    outputs: spec.outputs.map((output, i) => expandOutput(output, outputs[i])),
  };
}

function expandOutput(spec: OutputSpecWire, own: OutputWire | undefined): OutputView {
  return {
    name: spec.name,
    type: spec.type,
    title: spec.title,
    num_items: own?.num_items ?? 0,
    results:
      own?.results ??
      spec.results.map(({ name, type }) => ({
        name,
        type,
        passthrough: false,
        versions: [],
        metafiles: [],
        num_items: 0,
      })),
  };
}

/** "J42" -> 42: jobs are listed by number, as CryoSPARC lists them (others last). */
export function uidNumber(uid: string): number {
  const n = /(\d+)$/.exec(uid);
  return n ? Number(n[1]) : Number.POSITIVE_INFINITY;
}

export function findJob(graph: GraphView, uid: string): JobView | undefined {
  return graph.jobs.find((job) => job.uid === uid);
}

export function findInput(graph: GraphView, uid: string, input: string): InputView | undefined {
  return findJob(graph, uid)?.inputs.find((i) => i.name === input);
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
