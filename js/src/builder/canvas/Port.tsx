import { Handle, Position, useNodeId } from "@xyflow/react";

/**
 * Where edges end on a card. Ports never start connections (the canvas connects by dragging
 * output rows); outside React Flow (static rendering in tests) they render nothing.
 */
export function Port({ id, type }: { id: string; type: "source" | "target" }) {
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
      className={`cw-port cw-port-${type}`}
    />
  );
}
