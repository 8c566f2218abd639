import { useCallback, useEffect, useRef, useState } from "react";
import { type JobEdge, pendingEdge } from "./flow";
import type { Command, GraphView } from "./protocol";

/**
 * Sends a drop's command, drawing the connection it makes at once (`pendingEdge`) until the
 * graph holding the edit arrives, or Python refuses it: with thousands of jobs the edit's way
 * through the kernel and back takes a tenth of a second or more, while the drop's target had
 * already accepted the source.
 *
 * >>> const { pending, sendDrop } = usePendingEdge(graph, send);
 */
export function usePendingEdge(graph: GraphView, send: (command: Command) => Promise<boolean>) {
  const [pending, setPending] = useState<{ edge: JobEdge; revision: number } | null>(null);
  const graphRef = useRef(graph);
  graphRef.current = graph;

  // A later graph holds the edit (or its refusal left the graph as it was and is shown).
  useEffect(() => {
    setPending((old) => (old && graph.revision > old.revision ? null : old));
  }, [graph.revision]);

  const sendDrop = useCallback(
    async (command: Command) => {
      const edge = pendingEdge(command, graphRef.current);
      if (edge) {
        setPending({ edge, revision: graphRef.current.revision });
      }
      const done = await send(command);
      if (!done && edge) {
        setPending((old) => (old?.edge === edge ? null : old));
      }
      return done;
    },
    [send],
  );
  return { pending: pending?.edge ?? null, sendDrop };
}
