import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { sampleGraph, openingTag as tag } from "../fixtures";
import { createOverlayStore } from "../overlayStore";
import type { GraphView } from "../protocol";
import { DragOverlay } from "./DragOverlay";
import { Notices } from "./Notices";
import { Toolbar } from "./Toolbar";

const noop = () => {};

function toolbar(
  graph: GraphView,
  selected: string[] = [],
  mapShown: boolean | null = null,
  building: string[] = selected,
): string {
  return renderToStaticMarkup(
    <Toolbar
      graph={graph}
      catalog={[]}
      onAddJob={noop}
      onUndo={noop}
      onRedo={noop}
      onLayout={noop}
      onFitView={noop}
      mapShown={mapShown}
      onToggleMap={noop}
      codeLines={2}
      codeShown={false}
      onToggleCode={noop}
      selected={selected}
      building={building}
      onSend={noop}
      onSaveWorkflow={noop}
    />,
  );
}

describe("Toolbar", () => {
  it("enables undo with its label and disables redo, per the graph", () => {
    const html = toolbar(sampleGraph());
    expect(tag(html, "undo")).toContain('title="Undo connect J3.particles to J4.particles');
    expect(tag(html, "undo")).not.toContain("disabled");
    expect(tag(html, "redo")).toContain("disabled");
    for (const id of ["add-job", "auto-layout", "fit-view"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain("4 jobs");
    expect(tag(html, "toggle-code")).toContain('aria-pressed="false"');
    expect(html).toContain("Code (2)");
  });

  it("offers the map only to a project large enough to have one, pressed when shown", () => {
    expect(toolbar(sampleGraph())).not.toContain("toggle-map");
    expect(tag(toolbar(sampleGraph(), [], false), "toggle-map")).toContain('aria-pressed="false"');
    expect(tag(toolbar(sampleGraph(), [], true), "toggle-map")).toContain('aria-pressed="true"');
  });

  it("offers the hand-off to CryoSPARC once building jobs are selected", () => {
    const none = toolbar(sampleGraph());
    expect(tag(none, "send-to-cryosparc")).toContain("disabled");
    expect(tag(none, "save-workflow")).toContain("Select building jobs first");
    const some = toolbar(sampleGraph(), ["J4"]);
    expect(tag(some, "send-to-cryosparc")).not.toContain("disabled");
    expect(tag(some, "save-workflow")).toContain('title="Save J4 as a CryoSPARC workflow file"');
  });

  it("sends a completed selection to CryoSPARC, but saves only building jobs as a workflow", () => {
    const selection = toolbar(sampleGraph(), ["J4", "J14"], null, ["J4"]);
    expect(tag(selection, "send-to-cryosparc")).toContain("builds J4, J14");
    expect(tag(selection, "save-workflow")).toContain(
      'title="Save J4 as a CryoSPARC workflow file"',
    );
    const completedOnly = toolbar(sampleGraph(), ["J14"], null, []);
    expect(tag(completedOnly, "send-to-cryosparc")).not.toContain("disabled");
    expect(tag(completedOnly, "save-workflow")).toContain("disabled");
  });

  it("hides add-job in a read-only project", () => {
    const html = toolbar({ ...sampleGraph(), read_only: true, can_undo: false });
    expect(html).not.toContain('data-testid="add-job"');
    expect(tag(html, "undo")).toContain("disabled");
    expect(html).toContain("read-only");
  });
});

describe("Notices", () => {
  it("shows an error in the canvas banner", () => {
    const html = renderToStaticMarkup(
      <Notices notices={{ error: "count_max of 1 reached", info: "x" }} onClose={noop} />,
    );
    expect(html).toContain('data-testid="canvas-error"');
    expect(html).toContain("count_max of 1 reached");
    expect(html).not.toContain('data-testid="canvas-notice"');
  });
});

describe("DragOverlay", () => {
  it("shows the dragged source and the hovered target's refusal", () => {
    const store = createOverlayStore();
    store.set({ visible: true, x: 10, y: 20, width: 900, height: 700, hover: "input-J4-volume" });
    const html = renderToStaticMarkup(
      <DragOverlay
        store={store}
        drag={{
          source: { kind: "group", job: "J3", output: "particles" },
          verdicts: { "input-J4-volume": { ok: false, reason: "not a volume" } },
        }}
      />,
    );
    expect(html).toContain('data-testid="drag-ghost"');
    expect(html).toContain("J3.particles");
    expect(html).toMatch(/data-testid="drag-reason"[^>]*>not a volume</);
  });

  it("shows nothing without a drag", () => {
    const store = createOverlayStore();
    expect(renderToStaticMarkup(<DragOverlay store={store} drag={null} />)).toBe("");
  });
});
