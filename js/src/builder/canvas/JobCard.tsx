import { useContext } from "react";
import { ActionsContext } from "../context";
import { JOB_IN, JOB_OUT, showsInputs } from "../flow";
import { statusLabel } from "../format";
import type { JobView } from "../protocol";
import { InputGroup } from "./InputGroup";
import { JobTitle } from "./JobTitle";
import { OutputGroup } from "./OutputGroup";
import { Port } from "./Port";

/** A job's card: header, title, tags, inputs (building jobs), outputs with their results. */
export function JobCard({ job, selected = false }: { job: JobView; selected?: boolean }) {
  const { actions, readOnly } = useContext(ActionsContext);
  const editable = !readOnly && !job.external;

  return (
    <article
      className={`cw-card cw-status-${job.status}${selected ? " cw-card-selected" : ""}`}
      data-testid={`job-${job.uid}`}
      data-status={job.status}
    >
      {/* Card-level ports: for jobs whose input rows are not shown, and as a fallback. */}
      {!showsInputs(job) && <Port type="target" id={JOB_IN} />}
      <Port type="source" id={JOB_OUT} />
      <header className="cw-card-head">
        <span className="cw-uid">{job.uid}</span>
        <span className="cw-type" title={`${job.type_title} (${job.type})`}>
          {job.type_title}
        </span>
        {job.external && (
          <span className="cw-badge" title="From an opened CryoSPARC project: read-only">
            external
          </span>
        )}
        <span className="cw-status" data-testid={`status-${job.uid}`}>
          {statusLabel(job.status)}
        </span>
        <button
          type="button"
          className="cw-icon-button nodrag"
          data-testid={`params-${job.uid}`}
          title={`Parameters of ${job.uid}`}
          aria-label={`Parameters of ${job.uid}`}
          onClick={() => actions.inspect({ job: job.uid, tab: "params" })}
        >
          ⚙
        </button>
        {editable && job.status === "building" && (
          <button
            type="button"
            className="cw-icon-button cw-delete nodrag"
            data-testid={`delete-${job.uid}`}
            title={`Delete ${job.uid}`}
            aria-label={`Delete ${job.uid}`}
            onClick={() => actions.command({ op: "delete_job", job: job.uid })}
          >
            ×
          </button>
        )}
      </header>
      <JobTitle
        uid={job.uid}
        title={job.title}
        editable={editable}
        onRename={(title) => actions.command({ op: "set_title", job: job.uid, title })}
      />
      {job.tags.length > 0 && (
        <div className="cw-tags">
          {job.tags.map((tag) => (
            <span key={tag} className="cw-tag">
              {tag}
            </span>
          ))}
        </div>
      )}
      {showsInputs(job) && job.inputs.length > 0 && (
        <div className="cw-inputs">
          {job.inputs.map((input) => (
            <InputGroup key={input.name} uid={job.uid} input={input} />
          ))}
        </div>
      )}
      {job.outputs.length > 0 && (
        <div className="cw-outputs">
          {job.outputs.map((output) => (
            <OutputGroup
              // Compact cards: results folded until asked for (the group's ▸, or O for all).
              key={output.name}
              uid={job.uid}
              output={output}
              expanded={false}
            />
          ))}
        </div>
      )}
    </article>
  );
}
