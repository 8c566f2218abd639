import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DragState } from "../compat";
import { ActionsContext, type BuilderUi, FoldContext, SelectionContext } from "../context";
import { markDropTargets } from "../dropMarks";
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
  { ui, unfolded = false }: { ui?: Partial<BuilderUi>; unfolded?: boolean } = {},
): string {
  let card = <JobCard job={job} />;
  if (unfolded) {
    // As after pressing O: every card's results shown.
    card = <FoldContext.Provider value={{ open: true, version: 1 }}>{card}</FoldContext.Provider>;
  }
  if (ui) {
    const value = { readOnly: false, ...ui } as BuilderUi;
    card = <ActionsContext.Provider value={value}>{card}</ActionsContext.Provider>;
  }
  return renderToStaticMarkup(card);
}

describe("a completed job's card", () => {
  const html = render(jobOf("J3"), { unfolded: true });

  it("is compact at first: output groups with their results folded", () => {
    const compact = render(jobOf("J3"));
    expect(tag(compact, "output-J3-particles")).toContain("nodrag");
    expect(compact).not.toContain('data-testid="result-J3-particles-blob"');
    expect(compact).toContain("results");
  });

  it("shows uid, type, user title, status and tags", () => {
    expect(tag(html, "job-J3")).toContain('data-status="completed"');
    expect(html).toContain("2D Classification");
    expect(html).toContain("keep good classes");
    expect(html).toContain("6,000 particles");
    expect(html).toContain("cw-status-completed");
  });

  it("shows each output group and, unfolded, its results", () => {
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
  const compact = render(jobOf("J4"));
  const html = render(jobOf("J4"), { unfolded: true });

  it("shows each input group on one line: name, status with its reason on hover, count", () => {
    expect(tag(compact, "input-J4-particles")).toContain('data-status="met"');
    expect(tag(compact, "input-J4-volume")).toContain('data-status="unmet"');
    expect(tag(compact, "input-status-J4-volume")).toContain('title="needs 1 group, has none"');
    expect(tag(compact, "input-status-J4-particles")).toContain(
      'title="1 to unlimited groups, repeats not allowed"',
    );
    expect(compact).toContain("1 group");
    expect(compact).toContain("no group");
    expect(tag(compact, "input-expand-J4-particles")).toContain('aria-expanded="false"');
    // Folded: no slots, connections or problem lists until unfolded.
    expect(compact).not.toContain('data-testid="slot-J4-particles-0-blob"');
    expect(compact).not.toContain('data-testid="problems-J4-volume"');
  });

  it("unfolded, shows each input group with its status, requirements and problems", () => {
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
    expect(compact).toContain('data-testid="delete-J4"');
    expect(compact).toContain('data-testid="output-J4-volume"');
    expect(compact).not.toContain('data-testid="result-J4-volume-map"');
  });

  it("offers no editing in a read-only project", () => {
    const readOnly = render(jobOf("J4"), { ui: { readOnly: true }, unfolded: true });
    expect(readOnly).not.toContain('data-testid="delete-J4"');
    expect(readOnly).not.toContain('data-testid="disconnect-J4-particles-0"');
    expect(readOnly).not.toContain('data-testid="clear-');
  });
});

/** The card's drop targets as minimal elements that `markDropTargets` can mark. */
function dropTargets(html: string) {
  const found = [...html.matchAll(/<[^>]*data-target="([^"]+)"[^>]*data-drop-kind="([^"]+)"/g)];
  const targets = found.map(([, target, dropKind]) => {
    const attributes = new Map<string, string>();
    return {
      dataset: { target, dropKind },
      attributes,
      setAttribute: (name: string, value: string) => attributes.set(name, value),
      removeAttribute: (name: string) => attributes.delete(name),
    };
  });
  const root = { querySelectorAll: () => targets } as unknown as ParentNode;
  const attribute = (target: string, name: string) =>
    targets.find((t) => t.dataset.target === target)?.attributes.get(name);
  return { root, attribute, targets };
}

describe("drop targets during a drag", () => {
  it("marks input groups for a group drag, by verdict, and clears them after", () => {
    const { root, attribute, targets } = dropTargets(render(jobOf("J4"), { unfolded: true }));
    const drag: DragState = {
      source: { kind: "group", job: "J3", output: "particles" },
      verdicts: {
        "input-J4-particles": { ok: true, reason: "" },
        "input-J4-volume": { ok: false, reason: "particles are not volumes" },
      },
    };
    markDropTargets(root, drag);
    expect(attribute("input-J4-particles", "data-drop")).toBe("accept");
    expect(attribute("input-J4-volume", "data-drop")).toBe("refuse");
    expect(attribute("input-J4-volume", "data-drop-reason")).toBe("particles are not volumes");
    expect(attribute("slot-J4-particles-0-blob", "data-drop")).toBeUndefined();
    markDropTargets(root, null);
    expect(targets.every((t) => t.attributes.size === 0)).toBe(true);
  });

  it("marks slots for a result drag, pending until the verdicts arrive", () => {
    const { root, attribute } = dropTargets(render(jobOf("J4"), { unfolded: true }));
    markDropTargets(root, {
      source: { kind: "result", job: "J1", output: "particles", result: "blob", version: "F" },
      verdicts: null,
    });
    expect(attribute("slot-J4-particles-0-blob", "data-drop")).toBe("pending");
    expect(attribute("slot-J4-particles-0-ctf", "data-drop")).toBe("pending");
    expect(attribute("input-J4-particles", "data-drop")).toBeUndefined();
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
