import { BaseEdge, type EdgeProps, getBezierPath, useStoreApi } from "@xyflow/react";
import { createContext, memo, useContext, useMemo, useReducer } from "react";
import { labelSize, labelSpot } from "../edgeLabels";
import type { JobEdge, JobNode } from "../flow";
import {
  type Box,
  CardIndex,
  type Point,
  type Route,
  routeAround,
  routeFits,
  routePath,
  snapRoute,
} from "../routes";
import { cardBox, type FlowState } from "./paintJobs";

/** A route found for an edge (null: none clear), and the ends it was found for. */
interface Detour {
  ends: Route;
  route: Route | null;
}

/** How far (px) an edge's ends may be from those its detour was found for: a card drawn far
 * or near puts its handles a few pixels apart. */
const DETOUR_TOLERANCE = 8;

/** Time (ms) one frame may spend finding detours; the edges past it find theirs in the next
 * frames (hundreds of long edges in view at once take a few hundred ms in all). */
const FRAME_BUDGET = 12;

/**
 * Routes found around the cards for edges the layout did not route, by edge id, and the cards
 * filed by where they stand, kept while the graph stays the same: an edge scrolled out of view
 * and back, or drawn again at another zoom (its ends a few pixels off), takes its route from
 * here rather than searching again. `Builder` keeps one, emptied when the edges change
 * (`keepFor`): the same object all along, so that no edge drawn is drawn again for a new one.
 */
export class Detours {
  readonly routes = new Map<string, Detour>();
  private cards: CardIndex | null = null;
  private edges: unknown = null;
  /** The nodes the cards were last checked against, and where each card was filed. */
  private nodes: unknown = null;
  private readonly at = new Map<string, { x: number; y: number }>();
  /** This frame's time spent finding detours, and the edges waiting for the next frames. */
  private spent = 0;
  private frame = 0;
  private found = 0;
  private readonly waiting = new Map<string, () => void>();

  /**
   * The detour of edge `id` between its ends, kept or found now: undefined when this frame's
   * time for finding them is spent, `redraw` being called in a later frame to ask again.
   */
  find(
    id: string,
    ends: [Point, Point],
    state: () => FlowState,
    redraw: () => void,
  ): Route | null | undefined {
    const [source, target] = ends;
    const known = this.routes.get(id);
    if (known && routeFits(known.ends, source, target, DETOUR_TOLERANCE)) {
      return known.route && snapRoute(known.route, source, target);
    }
    this.nextFrame();
    if (this.spent >= FRAME_BUDGET) {
      this.waiting.set(id, redraw);
      return undefined;
    }
    const started = performance.now();
    const route = routeAround(source, target, this.index(state()));
    this.spent += performance.now() - started;
    this.found += 1;
    this.routes.set(id, { ends: [source, target], route });
    return route;
  }

  /** At the next frame, the time is new, and as many waiting edges as a frame found detours
   * for (and a few more) are asked to draw again, the latest asked first. */
  private nextFrame(): void {
    if (this.frame !== 0) {
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const batch = Math.max(16, Math.ceil(1.5 * this.found));
      this.spent = 0;
      this.found = 0;
      // The latest first: an edge just made (a drop) is not kept waiting behind hundreds
      // scrolled into view before it.
      for (const [id, redraw] of [...this.waiting].reverse().slice(0, batch)) {
        this.waiting.delete(id);
        redraw();
      }
      if (this.waiting.size > 0) this.nextFrame();
    });
  }

  /** Forget the routes and cards of other edges than `edges` (a new graph's). */
  keepFor(edges: unknown): void {
    if (edges !== this.edges) {
      this.edges = edges;
      this.routes.clear();
      this.cards = null;
    }
  }

  /** Every card's box (as drawn, or estimated), filed once per graph and again when a card
   * has moved since on the canvas (a layout, a drag): cards measured while the graph stays the
   * same change their size by a few pixels at most, and an edge's label is placed clear of
   * the cards where they stand. */
  index(state: FlowState): CardIndex {
    if (this.cards !== null && state.nodes !== this.nodes) {
      this.nodes = state.nodes; // looked at once per set of nodes, not by every edge
      if (this.moved(state)) this.cards = null;
    }
    if (this.cards === null) {
      const boxes: Box[] = [];
      this.at.clear();
      for (const [id, node] of state.nodeLookup) {
        const box = cardBox(state, id);
        if (box) boxes.push(box);
        const { x, y } = node.internals.positionAbsolute;
        this.at.set(id, { x, y });
      }
      this.cards = new CardIndex(boxes);
      this.nodes = state.nodes;
    }
    return this.cards;
  }

  /** Whether a card was added, removed or moved since the cards were filed. */
  private moved(state: FlowState): boolean {
    if (state.nodeLookup.size !== this.at.size) {
      return true;
    }
    for (const [id, node] of state.nodeLookup) {
      const was = this.at.get(id);
      const now = node.internals.positionAbsolute;
      if (!was || was.x !== now.x || was.y !== now.y) return true;
    }
    return false;
  }
}

export const DetourContext = createContext(new Detours());

/**
 * An edge along the route the last layout gave it, which runs in the gaps between cards, its
 * ends put on the handles as drawn now. Without one (an edge made since, or one a moved card
 * made wrong), along a route found around the cards near it as they stand when it is first
 * drawn (`routeAround`, kept in `DetourContext`), or React Flow's curve where none is clear.
 * Its label (an override's) goes on the longest stretch of the route clear of every card
 * (`labelSpot`), found among the same cards as the detours.
 */
function RoutedEdgeView(props: EdgeProps<JobEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const store = useStoreApi<JobNode>();
  // Read when the route is found, not a reason to find it again: a new graph's detours are
  // used by the edges drawn from then on, and an edge in view keeps its route until its own
  // ends move.
  const detours = useContext(DetourContext);
  const [asked, askAgain] = useReducer((n: number) => n + 1, 0);
  const laidOut = data?.route;
  // undefined: not found yet (this frame's time for finding detours was spent).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `asked` asks again
  const route = useMemo((): Route | null | undefined => {
    const source: Point = [sourceX, sourceY];
    const target: Point = [targetX, targetY];
    if (laidOut && routeFits(laidOut, source, target)) {
      return snapRoute(laidOut, source, target);
    }
    return detours.find(id, [source, target], store.getState, askAgain);
  }, [id, laidOut, sourceX, sourceY, targetX, targetY, store, detours, asked]);
  const text = typeof props.label === "string" ? props.label : "";
  const { path, labelX, labelY } = useMemo(() => {
    if (route === undefined) {
      return { path: "", labelX: 0, labelY: 0 };
    }
    if (!route) {
      const [curve, x, y] = getBezierPath({
        sourceX,
        sourceY,
        sourcePosition,
        targetX,
        targetY,
        targetPosition,
      });
      return { path: curve, labelX: x, labelY: y };
    }
    // Edges are drawn under the cards: a label goes where no card covers it.
    const spot = text ? labelSpot(route, labelSize(text), detours.index(store.getState())) : null;
    return { path: routePath(route), labelX: spot?.x ?? 0, labelY: spot?.y ?? 0 };
  }, [
    route,
    text,
    sourceX,
    sourceY,
    sourcePosition,
    targetX,
    targetY,
    targetPosition,
    detours,
    store,
  ]);
  if (route === undefined) {
    return null; // drawn once its detour is found (`Detours.find`)
  }
  return (
    <BaseEdge
      id={id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      style={props.style}
      markerEnd={props.markerEnd}
      markerStart={props.markerStart}
      interactionWidth={props.interactionWidth}
    />
  );
}

export const RoutedEdge = memo(RoutedEdgeView);
