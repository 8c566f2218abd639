import { dragLabel } from "./format";
import type { GraphView, Version } from "./protocol";

/** One slot of one connection of a building job's input. */
export interface SlotRef {
  job: string;
  input: string;
  connection: number;
  slot: string;
}

/** A result, at one version, that could fill a slot: what `connect_result` names. */
export interface SlotCandidate {
  job: string;
  output: string;
  result: string;
  version: Version;
  /** "J1.particles.blob", "J3.particles.alignments3D@v1". */
  label: string;
  /** What fills the slot now. */
  current: boolean;
}

/** Uids of the jobs that read `uid`'s outputs, directly or further down (a cycle if they fed it). */
export function downstreamOf(graph: GraphView, uid: string): Set<string> {
  const readers = new Map<string, Set<string>>();
  for (const job of graph.jobs) {
    for (const input of job.inputs) {
      for (const connection of input.connections) {
        for (const source of [connection.job, ...connection.slots.map((s) => s.job)]) {
          const set = readers.get(source) ?? new Set<string>();
          set.add(job.uid);
          readers.set(source, set);
        }
      }
    }
  }
  const found = new Set<string>();
  const queue = [uid];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const reader of readers.get(next) ?? []) {
      if (!found.has(reader)) {
        found.add(reader);
        queue.push(reader);
      }
    }
  }
  return found;
}

/**
 * The results of other jobs that match a slot's result type, final first then each saved version
 * when there are several: the choices for overriding the slot. Jobs downstream of the slot's job
 * are left out (the override would close a cycle). Python checks the chosen one again.
 */
export function slotCandidates(graph: GraphView, target: SlotRef): SlotCandidate[] {
  const job = graph.jobs.find((j) => j.uid === target.job);
  const input = job?.inputs.find((i) => i.name === target.input);
  const slot = input?.slots.find((s) => s.name === target.slot);
  if (!input || !slot) {
    return [];
  }
  const filled = input.connections[target.connection]?.slots.find((s) => s.slot === slot.name);
  const excluded = downstreamOf(graph, target.job);
  excluded.add(target.job);
  const candidates: SlotCandidate[] = [];
  for (const other of graph.jobs) {
    if (excluded.has(other.uid)) {
      continue;
    }
    for (const output of other.outputs) {
      for (const result of output.results) {
        if (result.type !== slot.type) {
          continue;
        }
        const versions: Version[] = ["F", ...(result.versions.length > 1 ? result.versions : [])];
        for (const version of versions) {
          const source = { job: other.uid, output: output.name, result: result.name, version };
          candidates.push({
            ...source,
            label: dragLabel({ kind: "result", ...source }),
            current:
              filled !== undefined &&
              filled.job === other.uid &&
              filled.group === output.name &&
              filled.result === result.name &&
              filled.version === version,
          });
        }
      }
    }
  }
  return candidates;
}
