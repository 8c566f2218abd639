import { BaseEdge, type EdgeProps, getBezierPath, useStoreApi } from "@xyflow/react";
import { memo, useMemo } from "react";
import type { JobEdge, JobNode } from "../flow";
import {
  type Box,
  boxesNear,
  type Route,
  routeAround,
  routeFits,
  routePath,
  snapRoute,
} from "../routes";
import { cardBox, type FlowState } from "./paintJobs";

/** Every card's box, for a route to go around. */
function* cardBoxes(state: FlowState): Generator<Box> {
  for (const id of state.nodeLookup.keys()) {
    const box = cardBox(state, id);
    if (box) yield box;
  }
}

/**
 * An edge along the route the last layout gave it, which runs in the gaps between cards, its
 * ends put on the handles as drawn now. Without one (an edge made since, or one a moved card
 * made wrong), along a route found around the cards near it as they stand when it is drawn
 * (`routeAround`), or React Flow's curve where none is clear.
 */
function RoutedEdgeView(props: EdgeProps<JobEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const store = useStoreApi<JobNode>();
  const laidOut = data?.route;
  const route = useMemo((): Route | null => {
    const source: [number, number] = [sourceX, sourceY];
    const target: [number, number] = [targetX, targetY];
    if (laidOut && routeFits(laidOut, source, target)) {
      return snapRoute(laidOut, source, target);
    }
    const near = boxesNear(cardBoxes(store.getState()), source, target);
    return routeAround(source, target, near);
  }, [laidOut, sourceX, sourceY, targetX, targetY, store]);
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route) {
    ({ path, labelX, labelY } = routePath(route));
  } else {
    [path, labelX, labelY] = getBezierPath({
      sourceX,
      sourceY,
      sourcePosition,
      targetX,
      targetY,
      targetPosition,
    });
  }
  return (
    <BaseEdge
      id={props.id}
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
