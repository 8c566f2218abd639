import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RequestClient } from "../client";
import { ActionsContext, type BuilderUi } from "../context";
import { sampleGraph, openingTag as tag } from "../fixtures";
import type { JobView } from "../protocol";
import { type Inspected, Inspector, inspectorTabs } from "./Inspector";

const graph = sampleGraph();
const client = { request: () => new Promise(() => {}) } as unknown as RequestClient;

function jobOf(uid: string): JobView {
  const job = graph.jobs.find((j) => j.uid === uid);
  if (!job) throw new Error(`no ${uid} in the fixture`);
  return job;
}

function render(uid: string, inspected: Partial<Inspected> = {}, readOnly = false): string {
  const ui = { readOnly, actions: {} } as unknown as BuilderUi;
  return renderToStaticMarkup(
    <ActionsContext.Provider value={ui}>
      <Inspector
        graph={graph}
        job={jobOf(uid)}
        client={client}
        inspected={{ job: uid, tab: "inputs", input: null, ...inspected }}
        onInspect={() => {}}
        onClose={() => {}}
      />
    </ActionsContext.Provider>,
  );
}

describe("the inspector", () => {
  it("offers the sections a job has", () => {
    expect(inspectorTabs(jobOf("J1"))).toEqual(["params", "outputs"]);
    expect(inspectorTabs(jobOf("J3"))).toEqual(["inputs", "params", "outputs"]);
    expect(inspectorTabs(jobOf("J4"))).toEqual(["inputs", "params", "outputs", "preview"]);
  });

  it("shows a section the job lacks as its outputs", () => {
    expect(tag(render("J1"), "inspector")).toContain('data-tab="outputs"');
    expect(tag(render("J3", { tab: "preview" }), "inspector")).toContain('data-tab="outputs"');
  });

  it("heads with uid, type, the user's title, status and tags", () => {
    const html = render("J3");
    expect(html).toContain("2D Classification");
    expect(html).toContain("keep good classes");
    expect(html).toContain("Completed");
    expect(html).toContain("6,000 particles");
  });

  it("lists inputs with status, reasons, slots, overrides and why a slot is empty", () => {
    const html = render("J4");
    expect(tag(html, "inspect-input-J4-volume")).toContain('data-status="unmet"');
    expect(html).toContain("needs 1 group, has none");
    expect(tag(html, "inspect-slot-J4-particles-0-blob")).toContain('data-override="true"');
    expect(tag(html, "inspect-slot-J4-particles-0-ctf")).not.toContain("data-override");
    expect(html).toContain("J3.particles.alignments3D@v1");
    expect(html).toContain("passthrough: J3.particles.alignments2D");
  });

  it("offers overrides and clears on a building job, and nothing in a read-only project", () => {
    const html = render("J4");
    expect(html).toContain('data-testid="inspect-override-J4-particles-0-blob"');
    expect(html).toContain("J2.particles.blob (final)");
    expect(html).toContain('data-testid="inspect-clear-J4-particles-0-alignments3D"');
    expect(html).not.toContain('data-testid="inspect-clear-J4-particles-0-blob"');
    expect(html).toContain('data-testid="inspect-disconnect-J4-particles-0"');
    const readOnly = render("J4", {}, true);
    expect(readOnly).not.toContain("inspect-override-");
    expect(readOnly).not.toContain("inspect-clear-");
    expect(readOnly).not.toContain("inspect-disconnect-");
  });

  it("says a cleared optional slot is cleared", () => {
    const cleared = structuredClone(graph);
    const j4 = cleared.jobs.find((j) => j.uid === "J4");
    const connection = j4?.inputs[0]?.connections[0];
    if (!connection) throw new Error("fixture changed");
    connection.slots = connection.slots.filter((s) => s.slot !== "alignments3D");
    const html = renderToStaticMarkup(
      <Inspector
        graph={cleared}
        job={j4 as JobView}
        client={client}
        inspected={{ job: "J4", tab: "inputs", input: null }}
        onInspect={() => {}}
        onClose={() => {}}
      />,
    );
    expect(html).toContain("cleared: the job runs without it");
  });

  it("lists outputs with their results, versions, copy and download", () => {
    const html = render("J3", { tab: "outputs" });
    expect(html).toContain('data-testid="inspect-output-J3-particles"');
    expect(html).toContain('data-testid="inspect-version-J3-particles-alignments2D"');
    expect(html).toContain('data-testid="inspect-download-J3-particles-blob"');
    expect(html).toContain('data-testid="inspect-copy-J3-particles-blob"');
    expect(tag(html, "inspect-result-J3-particles-blob")).toContain('data-passthrough="true"');
  });
});
