import { Handle, Position, useNodeId, useUpdateNodeInternals } from "@xyflow/react";
import { useEffect, useRef } from "react";

interface Props {
  id: string;
  type: "source" | "target";
  /** There for an edge that may come (a slot's, until it is overridden), not drawn. */
  hidden?: boolean;
}

/**
 * Where edges end on a card. Ports never start connections (the canvas connects by dragging
 * output rows); outside React Flow (static rendering in tests) they render nothing.
 */
export function Port({ id, type, hidden = false }: Props) {
  const nodeId = useNodeId();
  if (nodeId === null) {
    return null;
  }
  return (
    <Handle
      id={id}
      type={type}
      position={type === "source" ? Position.Right : Position.Left}
      isConnectable={false}
      className={`cw-port cw-port-${type}${hidden ? " cw-port-hidden" : ""}`}
    />
  );
}

/**
 * Has React Flow measure its card's handles again when `handles` (the ids a part of the card
 * draws) changes after the first render. React Flow measures them when the card's size changes,
 * and a new connection on a folded input adds slot handles without changing it.
 */
export function RemeasureHandles({ handles }: { handles: string }) {
  const nodeId = useNodeId();
  return nodeId === null ? null : <Remeasure nodeId={nodeId} handles={handles} />;
}

function Remeasure({ nodeId, handles }: { nodeId: string; handles: string }) {
  const updateNodeInternals = useUpdateNodeInternals();
  const drawn = useRef(handles);
  useEffect(() => {
    if (drawn.current !== handles) {
      drawn.current = handles;
      updateNodeInternals(nodeId);
    }
  }, [nodeId, handles, updateNodeInternals]);
  return null;
}
