import { useCallback, useEffect, useMemo, useState } from "react";
import type { InputRef, InspectTarget } from "./context";
import { findInput, findJob } from "./graph";
import type { Handoff } from "./panels/HandoffPanel";
import type { Inspected } from "./panels/Inspector";
import type { GraphView } from "./protocol";

/**
 * The panel beside the canvas: the inspector of one job, the hand-off of the selected jobs, or
 * the edits as code, one at a time. The inspector closes when its job is gone, and forgets an input that is.
 */
export function usePanels(graph: GraphView) {
  const [inspected, setInspected] = useState<Inspected | null>(null);
  const [handoff, setHandoffState] = useState<Handoff | null>(null);
  const [code, setCode] = useState(false);

  const inspect = useCallback((target: InspectTarget) => {
    setHandoffState(null);
    setCode(false);
    setInspected((old) => {
      const same = old?.job === target.job;
      const next: Inspected = {
        job: target.job,
        tab: target.tab ?? old?.tab ?? "inputs",
        input: target.input ?? (same ? (old?.input ?? null) : null),
      };
      return old && same && old.tab === next.tab && old.input === next.input ? old : next;
    });
  }, []);
  const setHandoff = useCallback((next: Handoff | null) => {
    if (next) {
      setInspected(null);
      setCode(false);
    }
    setHandoffState(next);
  }, []);
  const closeSide = useCallback(() => {
    setInspected(null);
    setHandoffState(null);
    setCode(false);
  }, []);
  /** The code panel (the toolbar's "Code"), in place of the others. */
  const toggleCode = useCallback(() => {
    setInspected(null);
    setHandoffState(null);
    setCode((open) => !open);
  }, []);

  useEffect(() => {
    if (!inspected) {
      return;
    }
    if (!findJob(graph, inspected.job)) {
      setInspected(null);
    } else if (inspected.input && !findInput(graph, inspected.job, inspected.input)) {
      setInspected({ ...inspected, input: null });
    }
  }, [graph, inspected]);

  /** The input group whose preview shows, marked on its card. */
  const previewed: InputRef | null = useMemo(() => {
    if (inspected?.tab !== "preview") {
      return null;
    }
    const job = findJob(graph, inspected.job);
    const input = inspected.input ?? job?.inputs[0]?.name;
    return input ? { job: inspected.job, input } : null;
  }, [graph, inspected]);

  return { inspected, handoff, code, inspect, setHandoff, toggleCode, closeSide, previewed };
}
