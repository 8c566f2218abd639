import { describe, expect, it } from "vitest";
import {
  type DragState,
  decideDrop,
  dropCommand,
  dropState,
  jobTargets,
  refusalReason,
} from "./compat";
import { sampleGraph } from "./fixtures";
import { findJob } from "./graph";
import type { DragSource } from "./protocol";

const group: DragSource = { kind: "group", job: "J3", output: "particles" };
const blob: DragSource = {
  kind: "result",
  job: "J1",
  output: "particles",
  result: "blob",
  version: 0,
};

const groupDrag: DragState = {
  source: group,
  verdicts: {
    "input-J4-particles": { ok: true, reason: "" },
    "input-J4-volume": { ok: false, reason: "J3.particles holds particles, not volumes" },
  },
};

/** The drop targets of one job of the sample graph. */
function targetsOf(uid: string) {
  const job = findJob(sampleGraph(), uid);
  if (!job) throw new Error(`no ${uid}`);
  return jobTargets(job);
}

describe("jobTargets", () => {
  it("lists every input group and connection slot of building jobs only", () => {
    const targets = targetsOf("J4");
    expect([...targets.keys()]).toEqual([
      "input-J4-particles",
      "slot-J4-particles-0-blob",
      "slot-J4-particles-0-ctf",
      "slot-J4-particles-0-alignments3D",
      "input-J4-volume",
    ]);
    expect(targets.get("slot-J4-particles-0-ctf")).toEqual({
      kind: "slot",
      job: "J4",
      input: "particles",
      connection: 0,
      slot: "ctf",
    });
    expect(targetsOf("J3").size).toBe(0);
  });

  it("keeps a job's targets while its view is the same object", () => {
    const job = findJob(sampleGraph(), "J4");
    if (!job) throw new Error("no J4");
    expect(jobTargets(job)).toBe(jobTargets(job));
    expect(jobTargets({ ...job })).not.toBe(jobTargets(job));
    expect(jobTargets({ ...job })).toEqual(jobTargets(job));
  });
});

describe("dropState", () => {
  it("colours targets of the dragged kind by their verdict", () => {
    expect(dropState(groupDrag, "input", "input-J4-particles")).toBe("accept");
    expect(dropState(groupDrag, "input", "input-J4-volume")).toBe("refuse");
    // No verdict for a target refuses it rather than inviting a drop.
    expect(dropState(groupDrag, "input", "input-J9-particles")).toBe("refuse");
  });

  it("leaves targets of the other kind, and all targets without a drag, alone", () => {
    expect(dropState(groupDrag, "slot", "slot-J4-particles-0-blob")).toBeUndefined();
    expect(dropState(null, "input", "input-J4-particles")).toBeUndefined();
    const resultDrag: DragState = { source: blob, verdicts: {} };
    expect(dropState(resultDrag, "input", "input-J4-particles")).toBeUndefined();
    expect(dropState(resultDrag, "slot", "slot-J4-particles-0-blob")).toBe("refuse");
  });

  it("marks every target pending until the verdicts arrive", () => {
    const pending: DragState = { source: blob, verdicts: null };
    expect(dropState(pending, "slot", "slot-J4-particles-0-blob")).toBe("pending");
    expect(refusalReason(pending, "slot-J4-particles-0-blob")).toBeNull();
  });

  it("gives the refusal reason of a refused target", () => {
    expect(refusalReason(groupDrag, "input-J4-volume")).toBe(
      "J3.particles holds particles, not volumes",
    );
    expect(refusalReason(groupDrag, "input-J4-particles")).toBeNull();
    expect(refusalReason(groupDrag, "input-J9-x")).toBe("J3.particles cannot be dropped here.");
  });
});

describe("drop commands", () => {
  const targets = targetsOf("J4");

  it("connects a group to an input group", () => {
    expect(decideDrop(groupDrag, "input-J4-particles", targets)).toEqual({
      action: "send",
      command: {
        op: "connect",
        job: "J4",
        input: "particles",
        source_job: "J3",
        source_output: "particles",
      },
    });
  });

  it("connects one result at a version to a slot", () => {
    const drag: DragState = {
      source: blob,
      verdicts: { "slot-J4-particles-0-blob": { ok: true, reason: "" } },
    };
    expect(decideDrop(drag, "slot-J4-particles-0-blob", targets)).toEqual({
      action: "send",
      command: {
        op: "connect_result",
        job: "J4",
        input: "particles",
        connection: 0,
        slot: "blob",
        source_job: "J1",
        source_output: "particles",
        source_result: "blob",
        version: 0,
      },
    });
  });

  it("explains a drop on a refused target instead of sending it", () => {
    expect(decideDrop(groupDrag, "input-J4-volume", targets)).toEqual({
      action: "refuse",
      message: "J3.particles holds particles, not volumes",
    });
  });

  it("sends a drop made before the verdicts arrive: Python validates it", () => {
    const drag: DragState = { source: group, verdicts: null };
    expect(decideDrop(drag, "input-J4-volume", targets).action).toBe("send");
  });

  it("does nothing on a drop outside any target of the dragged kind", () => {
    expect(decideDrop(groupDrag, null, targets)).toEqual({ action: "none" });
    expect(decideDrop(groupDrag, "slot-J4-particles-0-blob", targets)).toEqual({ action: "none" });
    expect(decideDrop(groupDrag, "input-J9-nothing", targets)).toEqual({ action: "none" });
  });

  it("pairs only groups with inputs and results with slots", () => {
    expect(
      dropCommand(group, { kind: "slot", job: "J4", input: "p", connection: 0, slot: "b" }),
    ).toBeNull();
    expect(dropCommand(blob, { kind: "input", job: "J4", input: "p" })).toBeNull();
  });
});
