import { createClient, type MessageChannel, type RawBuffers } from "./client";
import { EMPTY_GRAPH, expandJob, normalizeGraph, uidNumber } from "./graph";
import type { GraphPatch, GraphView, GraphWire, JobView, SpecWire } from "./protocol";

/** The part of anywidget's model the store reads: the `graph` trait and custom messages. */
export interface GraphChannel extends MessageChannel {
  get(key: "graph"): unknown;
  on(event: "msg:custom", handler: (msg: unknown, buffers?: RawBuffers) => void): void;
  on(event: "change:graph", handler: () => void): void;
}

/**
 * The graph every view of one widget draws: the `graph` trait when the view starts, then
 * each `GraphPatch` Python sends after an edit. Unchanged jobs keep their `JobView` objects
 * from one revision to the next, so cards and edges that an edit did not touch are not
 * drawn again. A patch that does not follow the revision held (a message missed) makes the
 * store ask for the whole graph.
 */
export class GraphStore {
  private graph: GraphView = EMPTY_GRAPH;
  private specs: Record<string, SpecWire> = {};
  private readonly listeners = new Set<() => void>();
  private resyncing = false;

  constructor(private readonly fetchWhole: () => Promise<GraphWire>) {}

  readonly getSnapshot = (): GraphView => this.graph;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Take a whole graph (the trait), unless it is older than the one held. */
  setWhole(raw: Partial<GraphWire> | null | undefined): void {
    if (raw && (raw.revision ?? 0) < this.graph.revision) {
      return;
    }
    this.specs = { ...(raw?.specs ?? {}) };
    this.graph = normalizeGraph(raw);
    this.emit();
  }

  /** Apply one patch; true when it applied, false when it was old or a resync began. */
  applyPatch(patch: GraphPatch): boolean {
    if (this.resyncing || patch.revision <= this.graph.revision) {
      return false; // the whole graph asked for, or already held, covers it
    }
    if (patch.base !== this.graph.revision) {
      this.resync();
      return false;
    }
    const { type: _type, base: _base, specs, jobs, removed, ...header } = patch;
    Object.assign(this.specs, specs);
    const changed = new Map<string, JobView>(
      jobs.map((job) => [job.uid, expandJob(job, this.specs[job.spec])]),
    );
    const gone = new Set(removed);
    const next: JobView[] = [];
    for (const job of this.graph.jobs) {
      if (gone.has(job.uid)) {
        continue;
      }
      next.push(changed.get(job.uid) ?? job);
      changed.delete(job.uid);
    }
    if (changed.size > 0) {
      next.push(...changed.values());
      next.sort((a, b) => uidNumber(a.uid) - uidNumber(b.uid) || 0);
    }
    this.graph = { ...header, jobs: next };
    this.emit();
    return true;
  }

  private resync(): void {
    this.resyncing = true;
    this.fetchWhole().then(
      (whole) => {
        this.resyncing = false;
        this.setWhole(whole);
      },
      () => {
        this.resyncing = false; // the next patch tries again
      },
    );
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

function isPatch(msg: unknown): msg is GraphPatch {
  return typeof msg === "object" && msg !== null && (msg as GraphPatch).type === "graph_patch";
}

const stores = new WeakMap<GraphChannel, GraphStore>();

/** The store of one widget model, made on first use and shared by all its views. */
export function graphStore(model: GraphChannel): GraphStore {
  let store = stores.get(model);
  if (!store) {
    const client = createClient(model);
    client.connect(); // for as long as the model lives, as the store does
    const made = new GraphStore(() =>
      client.request({ type: "graph" }).then(({ reply }) => reply.graph),
    );
    made.setWhole(model.get("graph") as Partial<GraphWire> | undefined);
    model.on("change:graph", () =>
      made.setWhole(model.get("graph") as Partial<GraphWire> | undefined),
    );
    model.on("msg:custom", (msg) => {
      if (isPatch(msg)) {
        made.applyPatch(msg);
      }
    });
    stores.set(model, made);
    store = made;
  }
  return store;
}
