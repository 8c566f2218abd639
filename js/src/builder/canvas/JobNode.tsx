import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { JobNode as JobNodeType } from "../flow";
import { JobCard } from "./JobCard";

function JobNodeView({ data, selected }: NodeProps<JobNodeType>) {
  return <JobCard job={data.job} selected={selected} />;
}

/**
 * React Flow's node for a job. React Flow passes new props on every move (positions, dragging);
 * the card depends only on its data and selection, so those are all that is compared.
 */
export const JobNode = memo(
  JobNodeView,
  (prev, next) => prev.data === next.data && prev.selected === next.selected,
);
