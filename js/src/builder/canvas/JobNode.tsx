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
  const size = useStore(
    useCallback(
      (s: ReactFlowState) => {
        const node = s.nodeLookup.get(id);
        return `${node?.measured.width ?? node?.initialWidth ?? ""}x${node?.measured.height ?? node?.initialHeight ?? ""}`;
      },
      [id],
    ),
  );
  const handles = useMemo(() => (far ? estimateCard(data.job).handles : []), [far, data.job]);
  if (!far) {
    return <JobCard job={data.job} selected={selected} />;
  }
  const [width, height] = size.split("x").map((n) => (n === "" ? undefined : Number(n)));
  return (
    <FarCard job={data.job} selected={selected} width={width} height={height} handles={handles} />
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
