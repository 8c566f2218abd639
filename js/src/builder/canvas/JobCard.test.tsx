import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DragState } from "../compat";
import { ActionsContext, type BuilderUi, DragContext, SelectionContext } from "../context";
import { sampleGraph, openingTag as tag } from "../fixtures";
import type { JobView } from "../protocol";
import { JobCard } from "./JobCard";

function jobOf(uid: string): JobView {
  const job = sampleGraph().jobs.find((j) => j.uid === uid);
  if (!job) throw new Error(`no ${uid} in the fixture`);
  return job;
}

function render(
  job: JobView,
  { drag = null, ui }: { drag?: DragState | null; ui?: Partial<BuilderUi> } = {},
): string {
  let card = <JobCard job={job} />;
  if (ui) {
    const value = { readOnly: false, ...ui } as BuilderUi;
    card = <ActionsContext.Provider value={value}>{card}</ActionsContext.Provider>;
  }
  return renderToStaticMarkup(<DragContext.Provider value={drag}>{card}</DragContext.Provider>);
}

describe("a completed job's card", () => {
  const html = render(jobOf("J3"));

  it("shows uid, type, user title, status and tags", () => {
    expect(tag(html, "job-J3")).toContain('data-status="completed"');
    expect(html).toContain("2D Classification");
    expect(html).toContain("keep good classes");
    expect(html).toContain("6,000 particles");
    expect(html).toContain("cw-status-completed");
  });

  it("shows each output group and, without a click, its results", () => {
    expect(tag(html, "output-J3-particles")).toContain("nodrag");
    for (const name of ["alignments2D", "alignments3D", "blob", "ctf"]) {
      expect(html).toContain(`data-testid="result-J3-particles-${name}"`);
    }
    expect(tag(html, "result-J3-particles-blob")).toContain('data-passthrough="true"');
    expect(tag(html, "result-J3-particles-alignments2D")).not.toContain("data-passthrough");
  });

  it("offers a version choice where there are several, and copy and download per result", () => {
    expect(html).toContain('data-testid="version-J3-particles-alignments2D"');
    expect(html).toContain("final (v2)");
    expect(html).not.toContain('data-testid="version-J3-particles-blob"');
    expect(html).toContain('data-testid="copy-J3-particles-blob"');
    expect(html).toContain('data-testid="download-J3-particles-blob"');
  });

  it("has no inputs, delete button or drop targets", () => {
    expect(html).not.toContain('data-testid="input-J3');
    expect(html).not.toContain('data-testid="delete-J3"');
    expect(html).not.toContain("data-drop=");
  });
});

describe("a building job's card", () => {
  const html = render(jobOf("J4"));

  it("shows each input group with its status, requirements and problems", () => {
    expect(tag(html, "input-J4-particles")).toContain('data-status="met"');
    expect(tag(html, "input-J4-volume")).toContain('data-status="unmet"');
    expect(html).toContain("1 to unlimited groups, repeats not allowed");
    expect(html).toContain("needs 1 group, has none");
    expect(html).toContain('data-testid="problems-J4-volume"');
    expect(html).not.toContain('data-testid="problems-J4-particles"');
  });

  it("lists every slot of every connection with its source, marking overrides", () => {
    const blob = tag(html, "slot-J4-particles-0-blob");
    expect(blob).toContain('data-override="true"');
    expect(blob).toContain('data-filled="true"');
    expect(tag(html, "slot-J4-particles-0-ctf")).not.toContain("data-override");
    expect(html).toContain("J1.particles.blob");
    expect(html).toContain("J3.particles.alignments3D@v1");
    expect(html).toContain('data-testid="override-J4-particles-0-blob"');
    expect(html).toContain('data-testid="override-J4-particles-0-alignments3D"');
    expect(html).not.toContain('data-testid="override-J4-particles-0-ctf"');
    expect(html).toContain("passthrough: J3.particles.alignments2D");
  });

  it("offers clear on optional slots only, and remove per connection", () => {
    expect(html).toContain('data-testid="clear-J4-particles-0-alignments3D"');
    expect(html).not.toContain('data-testid="clear-J4-particles-0-blob"');
    expect(html).not.toContain('data-testid="clear-J4-particles-0-ctf"');
    expect(html).toContain('data-testid="disconnect-J4-particles-0"');
  });

  it("can be deleted, and keeps its output rows with results folded", () => {
    expect(html).toContain('data-testid="delete-J4"');
    expect(html).toContain('data-testid="output-J4-volume"');
    expect(html).not.toContain('data-testid="result-J4-volume-map"');
  });

  it("offers no editing in a read-only project", () => {
    const readOnly = render(jobOf("J4"), { ui: { readOnly: true } });
    expect(readOnly).not.toContain('data-testid="delete-J4"');
    expect(readOnly).not.toContain('data-testid="disconnect-J4-particles-0"');
    expect(readOnly).not.toContain('data-testid="clear-');
  });
});

describe("drop targets during a drag", () => {
  it("marks input groups for a group drag, by verdict", () => {
    const html = render(jobOf("J4"), {
      drag: {
        source: { kind: "group", job: "J3", output: "particles" },
        verdicts: {
          "input-J4-particles": { ok: true, reason: "" },
          "input-J4-volume": { ok: false, reason: "particles are not volumes" },
        },
      },
    });
    expect(tag(html, "input-J4-particles")).toContain('data-drop="accept"');
    const volume = tag(html, "input-J4-volume");
    expect(volume).toContain('data-drop="refuse"');
    expect(volume).toContain('data-drop-reason="particles are not volumes"');
    expect(tag(html, "slot-J4-particles-0-blob")).not.toContain("data-drop=");
  });

  it("marks slots for a result drag, pending until the verdicts arrive", () => {
    const html = render(jobOf("J4"), {
      drag: {
        source: { kind: "result", job: "J1", output: "particles", result: "blob", version: "F" },
        verdicts: null,
      },
    });
    expect(tag(html, "slot-J4-particles-0-blob")).toContain('data-drop="pending"');
    expect(tag(html, "slot-J4-particles-0-ctf")).toContain('data-drop="pending"');
    expect(tag(html, "input-J4-particles")).not.toContain("data-drop=");
  });
});

describe("selection", () => {
  it("marks the input group shown in the preview", () => {
    const html = renderToStaticMarkup(
      <SelectionContext.Provider value={{ job: "J4", input: "volume" }}>
        <JobCard job={jobOf("J4")} />
      </SelectionContext.Provider>,
    );
    expect(tag(html, "input-J4-volume")).toContain('data-selected="true"');
    expect(tag(html, "input-J4-particles")).not.toContain("data-selected");
  });
});
