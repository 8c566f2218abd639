import { useStoreApi } from "@xyflow/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { cardBox, covers, type FlowState, redrawOnChange, viewBox } from "./canvas/paintJobs";
import type { JobEdge, JobNode } from "./flow";
import type { Box } from "./routes";
import { boundsOf } from "./views";

/** The part of the canvas around the view whose edges React Flow holds: the view and one
 * view more on every side. */
const AROUND = 1;

const NO_EDGES: JobEdge[] = [];

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The edges that could be drawn in `area`: those whose cards' box (the two cards and all
 * between, as React Flow judges an edge in view) meets it, and those of a card React Flow
 * does not hold yet.
 */
export function edgesIn(edges: readonly JobEdge[], state: FlowState, area: Box): JobEdge[] {
  return edges.filter((edge) => {
    const a = cardBox(state, edge.source);
    const b = cardBox(state, edge.target);
    const box = a && b && boundsOf([a, b]);
    return !box || overlaps(box, area);
  });
}

/** Whether two lists hold the same edges in the same order. */
function sameEdges(a: readonly JobEdge[], b: readonly JobEdge[]): boolean {
  return a.length === b.length && a.every((edge, i) => edge === b[i]);
}

/** The part of the canvas whose edges React Flow holds, and the cards it was chosen among. */
interface Near {
  area: Box | null;
  cards: unknown;
}

/**
 * The edges React Flow is given: those near the view (`AROUND`), not all of them. React Flow
 * files every edge it holds again on each edit (lookups by node and handle), and looks at
 * each one on every change of its store to tell which are in view: with thousands of jobs,
 * tens of milliseconds an edit for edges nobody sees. The edges near the view are chosen again
 * when the view leaves the part they were chosen for (or zooms in far past it), when cards
 * move or change size, and when the edges change; React Flow then draws those in view among
 * them, as before. The same list is kept while the choice is the same.
 *
 * >>> const near = useEdgesNear(routedEdges);   // for <ReactFlow edges={near}>
 */
export function useEdgesNear(edges: JobEdge[]): JobEdge[] {
  const store = useStoreApi<JobNode>();
  const [near, setNear] = useState<Near>({ area: null, cards: null });

  useEffect(() => {
    let area: Box | null = null;
    // At most once a frame, when the view or the cards change.
    return redrawOnChange(store, (state) => {
      if (state.width === 0 || state.height === 0) {
        return; // nothing is in view yet
      }
      const view = viewBox(state);
      const inside = area !== null && covers(area, view) && view.w * view.h * 16 >= area.w * area.h; // not zoomed in far past it
      if (!inside) {
        area = {
          x: view.x - AROUND * view.w,
          y: view.y - AROUND * view.h,
          w: (1 + 2 * AROUND) * view.w,
          h: (1 + 2 * AROUND) * view.h,
        };
      }
      const chosen = area;
      // React Flow changes its nodes (not its lookup, changed in place) when cards move or
      // are measured.
      setNear((old) =>
        old.area === chosen && old.cards === state.nodes
          ? old
          : { area: chosen, cards: state.nodes },
      );
    }).stop;
  }, [store]);

  const last = useRef<JobEdge[]>(NO_EDGES);
  return useMemo(() => {
    const next = near.area ? edgesIn(edges, store.getState(), near.area) : NO_EDGES;
    if (!sameEdges(last.current, next)) {
      last.current = next;
    }
    return last.current;
  }, [edges, near, store]);
}
