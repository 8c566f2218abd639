import { useReactFlow, useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { estimateCard, type JobNode } from "./flow";
import { findJob } from "./graph";
import type { GraphView, JobView } from "./protocol";
import type { Box } from "./routes";
import { showCard, type Viewport } from "./views";

/** The job the canvas last scrolled to, its box then, and the view it was given (`moving`
 * while the pan there is under way). */
export interface Shown {
  uid: string;
  box: Box;
  view: Viewport;
  moving: boolean;
}

/**
 * Whether the job last shown is to be shown again at its box now (`box`; undefined: gone): it
 * alone moved or changed size (the cell that made it connected it, and it went beside its
 * parents; `othersMoved`: other jobs moved too, a layout), and the view is still the one it
 * was given or on its way there (the user has not moved it since).
 *
 * >>> followShown(shown, { ...shown.box, y: 900 }, shown.view, false)   // true
 */
export function followShown(
  shown: Shown | null,
  box: Box | undefined,
  now: Viewport,
  othersMoved: boolean,
): boolean {
  if (!shown || !box || othersMoved) {
    return false;
  }
  const same = (a: number, b: number) => Math.abs(a - b) < 0.5;
  const moved = !(
    same(box.x, shown.box.x) &&
    same(box.y, shown.box.y) &&
    same(box.w, shown.box.w) &&
    same(box.h, shown.box.h)
  );
  const { view } = shown;
  const ours =
    shown.moving ||
    (same(now.x, view.x) && same(now.y, view.y) && Math.abs(now.zoom - view.zoom) < 1e-6);
  return moved && ours;
}

/** Whether a job other than `uid` is somewhere else in `after` than in `before`. */
function othersMoved(before: GraphView, after: GraphView, uid: string): boolean {
  const was = new Map(before.jobs.map((job) => [job.uid, job]));
  return after.jobs.some((job) => {
    const old = was.get(job.uid);
    return (
      job.uid !== uid &&
      old !== job &&
      old !== undefined &&
      (old.position[0] !== job.position[0] || old.position[1] !== job.position[1])
    );
  });
}

/** A job's card where the graph puts it, at the size React Flow measured it (or estimated). */
function boxOf(job: JobView, measured: { width?: number; height?: number } | undefined): Box {
  const estimate = estimateCard(job);
  const [x, y] = job.position;
  return {
    x,
    y,
    w: measured?.width ?? estimate.width,
    h: measured?.height ?? estimate.height,
  };
}

/**
 * A job made from a notebook cell (`made_in_python`) is shown once, when its graph arrives,
 * unless the user is dragging (a card, a result, the canvas) or the first view has not been
 * shown yet (`waiting`): the view pans (or zooms out a little, `showCard`) until the job is
 * whole and no card is cut by the canvas's right or bottom edge. If the next edits (the same
 * cell's) move the job (its first connection puts it beside its parents), the view follows it,
 * as long as each moves it, no other job moved and the user has not moved the view since.
 */
export function useShowMade(graph: GraphView, dragging: boolean, waiting: boolean) {
  const reactFlow = useReactFlow<JobNode>();
  const store = useStoreApi<JobNode>();
  const seen = useRef(graph.revision);
  const shown = useRef<Shown | null>(null);
  const previous = useRef(graph);
  const busy = useRef(dragging || waiting);
  busy.current = dragging || waiting;
  useEffect(() => {
    if (dragging) {
      shown.current = null; // a card dropped moves where the user put it, followed no more
    }
  }, [dragging]);
  useEffect(() => {
    const before = previous.current;
    previous.current = graph;
    if (graph.revision === seen.current) {
      return;
    }
    seen.current = graph.revision;
    const state = store.getState();
    if (busy.current || state.paneDragging || state.nodes.some((n) => n.dragging)) {
      shown.current = null;
      return;
    }
    const made = graph.made_in_python ? findJob(graph, graph.made_in_python) : undefined;
    const job = made ?? (shown.current ? findJob(graph, shown.current.uid) : undefined);
    if (!job) {
      return;
    }
    // From the graph: React Flow has not taken the new positions yet.
    const box = boxOf(job, state.nodeLookup.get(job.uid)?.measured);
    const [tx, ty, zoom] = state.transform;
    const now = { x: tx, y: ty, zoom };
    if (!made && !followShown(shown.current, box, now, othersMoved(before, graph, job.uid))) {
      shown.current = null; // followed while each edit moves it, and no further
      return;
    }
    const cards = graph.jobs.map((other) =>
      other === job ? box : boxOf(other, state.nodeLookup.get(other.uid)?.measured),
    );
    const view = showCard(now, state.width, state.height, box, cards);
    const mine: Shown = { uid: job.uid, box, view: view ?? now, moving: view !== null };
    shown.current = mine;
    if (view) {
      void reactFlow.setViewport(view, { duration: 250 }).then(() => {
        mine.moving = false;
      });
    }
  }, [graph, reactFlow, store]);
}
