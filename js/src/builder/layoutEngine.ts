import ELK from "elkjs/lib/elk-api";
import type { RequestClient } from "./client";
import type { LayoutEngine } from "./layout";

let engine: Promise<LayoutEngine> | null = null;

/**
 * ELK, run in a web worker and loaded the first time a layout is needed: its script (1.6 MB,
 * most of the front end) is not part of the bundle the notebook loads, so the canvas draws
 * without it. The script comes in the answer to a `layout_engine` request (from Python, or
 * from the page of `export_html`), and the worker is made from it as a blob, since a widget's
 * bundle has no folder to load a worker file from. Every view shares the one worker; a failed
 * load is tried again at the next layout.
 *
 * >>> const { positions, routes } = await layout(await layoutEngine(client), nodes, edges);
 */
export function layoutEngine(client: RequestClient): Promise<LayoutEngine> {
  if (engine === null) {
    const loading = client.request({ type: "layout_engine" }).then(({ buffers }) => {
      const [script] = buffers;
      if (!script) {
        throw new Error("the layout engine's script did not arrive");
      }
      const url = URL.createObjectURL(new Blob([script as BlobPart], { type: "text/javascript" }));
      return new ELK({ workerFactory: () => new Worker(url) });
    });
    loading.catch(() => {
      engine = null;
    });
    engine = loading;
  }
  return engine;
}
