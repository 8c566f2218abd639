import { BaseEdge, type EdgeProps, getBezierPath } from "@xyflow/react";
import { memo } from "react";
import type { JobEdge } from "../flow";
import { routeFits, routePath, snapRoute } from "../routes";

/**
 * An edge along the route the last layout gave it, which runs in the gaps between cards, its
 * ends put on the handles as drawn now; without a route (an edge made since, or one a moved
 * card made wrong), React Flow's curve.
 */
function RoutedEdgeView(props: EdgeProps<JobEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const route = data?.route;
  const source: [number, number] = [sourceX, sourceY];
  const target: [number, number] = [targetX, targetY];
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route && routeFits(route, source, target)) {
    ({ path, labelX, labelY } = routePath(snapRoute(route, source, target)));
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
