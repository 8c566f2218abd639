import type { JobView } from "../protocol";

interface Props {
  job: JobView;
  selected: boolean;
  /** The card's height as last drawn (or estimated), kept so that edges still meet it. */
  height: number | undefined;
}

/**
 * A job's card when the canvas is zoomed out too far to read one: its status colour, uid and
 * title in large type, nothing else. A few elements instead of dozens per card is what keeps
 * panning and zooming smooth with thousands of jobs in view.
 */
export function FarCard({ job, selected, height }: Props) {
  return (
    <article
      className={`cw-card cw-far-card cw-status-${job.status}${selected ? " cw-card-selected" : ""}`}
      data-testid={`job-${job.uid}`}
      data-status={job.status}
      data-far="true"
      style={{ height }}
      title={`${job.uid} ${job.title} (${job.status})`}
    >
      <span className="cw-far-uid">{job.uid}</span>
      <span className="cw-far-title">{job.title}</span>
    </article>
  );
}
