import { dragLabel } from "./format";
import { findJob } from "./graph";
import type { Command, DragSource, GraphView, JobView, Verdict } from "./protocol";

/** How a target looks during a drag. */
export type DropState = "accept" | "refuse" | "pending";

/** Group drags land on input groups, result drags on the slots of a connection. */
export type TargetKind = "input" | "slot";

export type TargetRef =
  | { kind: "input"; job: string; input: string }
  | { kind: "slot"; job: string; input: string; connection: number; slot: string };

/** A drag in progress: `verdicts` is null until the compatibility reply arrives. */
export interface DragState {
  source: DragSource;
  verdicts: Record<string, Verdict> | null;
}

/** A drop target's id: its element's `data-target`, and its key in compatibility replies. */
export function inputTargetId(job: string, input: string): string {
  return `input-${job}-${input}`;
}

export function slotTargetId(job: string, input: string, connection: number, slot: string): string {
  return `slot-${job}-${input}-${connection}-${slot}`;
}

export function targetKindFor(source: DragSource): TargetKind {
  return source.kind === "group" ? "input" : "slot";
}

const targetsOf = new WeakMap<JobView, ReadonlyMap<string, TargetRef>>();
/** The targets of a job that has none (not building, or not in the graph). */
export const NO_TARGETS: ReadonlyMap<string, TargetRef> = new Map();

/**
 * A job's drop targets by target id, the `data-target` of their elements (their test id is
 * the same string, for tests only): the input groups and the slots of every connection of a
 * building job, none of any other. Ids are looked up here, never parsed, since uids, group and
 * slot names may themselves hold dashes. Kept per `JobView`: a job an edit did not touch keeps
 * its object (graphStore.ts), and a drop looks at the one job it lands on, not at thousands.
 */
export function jobTargets(job: JobView): ReadonlyMap<string, TargetRef> {
  if (job.status !== "building") {
    return NO_TARGETS;
  }
  let targets = targetsOf.get(job);
  if (targets === undefined) {
    const found = new Map<string, TargetRef>();
    for (const input of job.inputs) {
      found.set(inputTargetId(job.uid, input.name), {
        kind: "input",
        job: job.uid,
        input: input.name,
      });
      input.connections.forEach((_, connection) => {
        for (const slot of input.slots) {
          found.set(slotTargetId(job.uid, input.name, connection, slot.name), {
            kind: "slot",
            job: job.uid,
            input: input.name,
            connection,
            slot: slot.name,
          });
        }
      });
    }
    targetsOf.set(job, found);
    targets = found;
  }
  return targets;
}

/** The drop targets of job `uid` of the graph (none if it has no such job). */
export function targetsIn(graph: GraphView, uid: string): ReadonlyMap<string, TargetRef> {
  const job = findJob(graph, uid);
  return job ? jobTargets(job) : NO_TARGETS;
}

/** A target the compatibility reply did not mention (it should mention every one). */
export function noVerdict(source: DragSource): string {
  return `${dragLabel(source)} cannot be dropped here.`;
}

/** The data-drop attribute of a target of kind `kind`; undefined when it is not in play. */
export function dropState(
  drag: DragState | null,
  kind: TargetKind,
  targetId: string,
): DropState | undefined {
  if (!drag || targetKindFor(drag.source) !== kind) {
    return undefined;
  }
  if (!drag.verdicts) {
    return "pending";
  }
  return drag.verdicts[targetId]?.ok ? "accept" : "refuse";
}

/** Why a target refuses the drag, or null when it accepts or the verdict is not in yet. */
export function refusalReason(drag: DragState | null, targetId: string): string | null {
  if (!drag?.verdicts) {
    return null;
  }
  const verdict = drag.verdicts[targetId];
  if (verdict?.ok) {
    return null;
  }
  return verdict?.reason || noVerdict(drag.source);
}

/** The command a drop sends, or null when source and target do not go together. */
export function dropCommand(source: DragSource, target: TargetRef): Command | null {
  if (source.kind === "group" && target.kind === "input") {
    return {
      op: "connect",
      job: target.job,
      input: target.input,
      source_job: source.job,
      source_output: source.output,
    };
  }
  if (source.kind === "result" && target.kind === "slot") {
    return {
      op: "connect_result",
      job: target.job,
      input: target.input,
      connection: target.connection,
      slot: target.slot,
      source_job: source.job,
      source_output: source.output,
      source_result: source.result,
      version: source.version,
    };
  }
  return null;
}

export type DropDecision =
  | { action: "none" }
  | { action: "send"; command: Command }
  | { action: "refuse"; message: string };

/**
 * What releasing the pointer over `targetId` does. Before the verdicts arrive the command is sent
 * anyway: Python validates every command and answers a refusal with its reason.
 */
export function decideDrop(
  drag: DragState,
  targetId: string | null,
  targets: ReadonlyMap<string, TargetRef>,
): DropDecision {
  const target = targetId === null ? undefined : targets.get(targetId);
  if (!target || !targetId || target.kind !== targetKindFor(drag.source)) {
    return { action: "none" };
  }
  const reason = refusalReason(drag, targetId);
  if (reason !== null) {
    // Python's reasons name the source and the target already.
    return { action: "refuse", message: reason };
  }
  const command = dropCommand(drag.source, target);
  return command ? { action: "send", command } : { action: "none" };
}
