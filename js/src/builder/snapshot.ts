import type { RawBuffers } from "./client";
import type { CatalogEntry, ClassGalleryReply, GraphWire, ParamsReply, Request } from "./protocol";

/**
 * A project saved as one HTML page (`cryoweave.export_html`): the graph, the catalog, the
 * canvas's code lines and every job's parameters, read with no kernel. Parameter lists are
 * stored once each (`param_lists`) and named by index per job, as most jobs of a type share
 * theirs.
 */
export interface Snapshot {
  graph: GraphWire;
  catalog: CatalogEntry[];
  code_lines: string[];
  params: Record<string, { type_title: string; list: number }>;
  param_lists: ParamsReply["params"][];
  /** Class averages of 2D classifications by "J7/class_averages": the `class_gallery` reply
   * and its tiles (base64); left out of older pages. */
  galleries?: Record<string, Omit<ClassGalleryReply, "id" | "ok"> & { tiles: string }>;
}

type Handler = (msg: unknown, buffers?: RawBuffers) => void;

export const NO_KERNEL =
  "This page is a snapshot of the project, with no kernel behind it: edits are off, and " +
  "previews and downloads need the project open in a notebook.";

/**
 * What anywidget's model gives the widget, made from a snapshot: the traits, and answers to
 * requests from the snapshot alone (the whole graph, a job's parameters); everything else is
 * refused with the reason. ELK's worker script (`layout_engine`) is what `layoutEngine` gives
 * (the page's copy).
 */
export function snapshotModel(snapshot: Snapshot, layoutEngine: () => string | null = () => null) {
  const handlers = new Set<Handler>();
  const traits: Record<string, unknown> = {
    graph: snapshot.graph,
    catalog: snapshot.catalog,
    code_lines: snapshot.code_lines,
  };
  const answer = (request: Request): [unknown, DataView[]] => {
    if (request.type === "graph") {
      return [{ id: request.id, ok: true, graph: snapshot.graph }, []];
    }
    if (request.type === "layout_engine") {
      const script = layoutEngine();
      if (script !== null) {
        return [
          { id: request.id, ok: true },
          [new DataView(new TextEncoder().encode(script).buffer)],
        ];
      }
    }
    if (request.type === "class_gallery") {
      const kept = snapshot.galleries?.[`${request.job}/${request.output}`];
      if (kept) {
        const { tiles, ...reply } = kept;
        const bytes = Uint8Array.from(atob(tiles), (c) => c.charCodeAt(0));
        return [{ ...reply, id: request.id, ok: true }, [new DataView(bytes.buffer)]];
      }
    }
    if (request.type === "params") {
      const entry = snapshot.params[request.job];
      const params = entry ? snapshot.param_lists[entry.list] : undefined;
      if (entry && params) {
        const { type_title } = entry;
        const reply = {
          id: request.id,
          ok: true,
          job: request.job,
          type_title,
          editable: false,
          params,
        };
        return [reply, []];
      }
    }
    return [{ id: request.id, ok: false, error: NO_KERNEL }, []];
  };
  return {
    get: (key: string) => traits[key],
    set: () => {},
    save_changes: () => {},
    on(event: string, handler: Handler) {
      if (event === "msg:custom") {
        handlers.add(handler);
      }
    },
    off(event: string, handler: Handler) {
      if (event === "msg:custom") {
        handlers.delete(handler);
      }
    },
    send(content: unknown) {
      const [reply, buffers] = answer(content as Request);
      setTimeout(() => {
        for (const handler of handlers) {
          handler(reply, buffers);
        }
      }, 0);
    },
  };
}
