import { type NodeProps, type ReactFlowState, useStore } from "@xyflow/react";
import { memo, useCallback, useMemo } from "react";
import { estimateCard, type JobNode as JobNodeType } from "../flow";
import { FarCard } from "./FarCard";
import { JobCard } from "./JobCard";

/** Below this zoom a card's 13 px text is under 5 px on screen: cards are drawn as FarCards. */
export const FAR_ZOOM = 0.35;

const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

function JobNodeView({ id, data, selected }: NodeProps<JobNodeType>) {
  const far = useStore(isFar);
  const width = useStore(
    useCallback((s: ReactFlowState) => s.nodeLookup.get(id)?.measured.width, [id]),
  );
  const height = useStore(
    useCallback((s: ReactFlowState) => s.nodeLookup.get(id)?.measured.height, [id]),
  );
  // Where its edges end, and its size until it has been measured (never drawn yet).
  const estimate = useMemo(() => (far ? estimateCard(data.job) : null), [far, data.job]);
  if (!estimate) {
    return <JobCard job={data.job} selected={selected} />;
  }
  return (
    <FarCard
      job={data.job}
      selected={selected}
      width={width ?? estimate.width}
      height={height ?? estimate.height}
      handles={estimate.handles}
    />
  );
}

/**
 * React Flow's node for a job. React Flow passes new props on every move (positions, dragging);
 * the card depends only on its data and selection, so those are all that is compared (the zoom
 * and the card's size come from the store).
 */
export const JobNode = memo(
  JobNodeView,
  (prev, next) => prev.data === next.data && prev.selected === next.selected,
);
