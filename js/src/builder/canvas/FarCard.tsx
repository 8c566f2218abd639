import { Handle, type NodeHandle } from "@xyflow/react";
import type { JobView } from "../protocol";

interface Props {
  job: JobView;
  selected: boolean;
  /** The card's size as last drawn (or estimated), kept so that its edges stay where they are. */
  width: number | undefined;
  height: number | undefined;
  /** Where its edges end (`estimateCard`), for a card first drawn zoomed out. */
  handles: readonly NodeHandle[];
}

/**
 * A job's card when the canvas is zoomed out too far to read one: its status colour, uid and
 * title in large type, and the handles its edges end on. A few elements instead of dozens per
 * card is what keeps panning and zooming smooth with thousands of jobs in view.
 */
export function FarCard({ job, selected, width, height, handles }: Props) {
  return (
    <article
      className={`cw-card cw-far-card cw-status-${job.status}${selected ? " cw-card-selected" : ""}`}
      data-testid={`job-${job.uid}`}
      data-status={job.status}
      data-far="true"
      style={{ width, height }}
      title={`${job.uid} ${job.title} (${job.status})`}
    >
      {handles.map((handle) => (
        <Handle
          key={`${handle.type}:${handle.id}`}
          id={handle.id}
          type={handle.type}
          position={handle.position}
          isConnectable={false}
          className="cw-port cw-far-port"
          style={{ top: handle.y }}
        />
      ))}
      <span className="cw-far-uid">{job.uid}</span>
      <span className="cw-far-title">{job.title}</span>
    </article>
  );
}
