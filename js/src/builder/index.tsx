import { createRender } from "@anywidget/react";
import { JobBuilderApp } from "./JobBuilderApp";
import { type Snapshot, snapshotModel } from "./snapshot";

const render = createRender(JobBuilderApp);

export default { render };

/**
 * Draw a saved snapshot (`cryoweave.export_html`) in `el`, with no kernel; `layoutEngine`
 * gives ELK's worker script when a layout is first needed.
 */
export function renderSnapshot(
  el: HTMLElement,
  snapshot: Snapshot,
  layoutEngine: () => string | null = () => null,
): () => void {
  const model = snapshotModel(snapshot, layoutEngine);
  return render({ el, model, experimental: {} } as unknown as Parameters<
    typeof render
  >[0]) as () => void;
}
