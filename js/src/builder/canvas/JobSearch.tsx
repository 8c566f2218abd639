import { useMemo, useState } from "react";
import { searchJobs } from "../palette";
import type { JobView } from "../protocol";
import { useListKeys } from "../useListKeys";
import { SearchBox } from "./SearchBox";

const SHOWN = 50;

interface Props {
  jobs: readonly JobView[];
  onChoose: (uid: string) => void;
  onClose: () => void;
}

/** Find a job by uid, type or title (Ctrl/Cmd+K): arrows move, Enter goes to it, Escape closes. */
export function JobSearch({ jobs, onChoose, onClose }: Props) {
  const [query, setQuery] = useState("");
  const matches = useMemo(() => searchJobs(jobs, query).slice(0, SHOWN), [jobs, query]);
  const { activeIndex, onKeyDown, reset } = useListKeys(
    matches,
    (job) => onChoose(job.uid),
    onClose,
  );

  return (
    <div className="cw-palette cw-job-search" data-testid="job-search">
      <SearchBox
        testId="job-search-input"
        placeholder="Find a job: uid, type or title…"
        label="Find a job"
        value={query}
        onChange={(value) => {
          setQuery(value);
          reset();
        }}
        onKeyDown={onKeyDown}
        onBlur={onClose}
      />
      <div className="cw-palette-list" role="listbox" aria-label="Jobs">
        {matches.length === 0 && <div className="cw-palette-empty">No job matches.</div>}
        {matches.map((job, index) => (
          <div
            key={job.uid}
            role="option"
            tabIndex={-1}
            aria-selected={index === activeIndex}
            className="cw-palette-entry"
            data-testid={`job-search-${job.uid}`}
            // Chosen on pointer down: the input's blur (which closes the search) comes after.
            onPointerDown={(event) => {
              event.preventDefault();
              onChoose(job.uid);
            }}
          >
            <span className="cw-uid">{job.uid}</span> {job.type_title}
            {job.title !== job.type_title && <span className="cw-muted"> · {job.title}</span>}
          </div>
        ))}
      </div>
    </div>
  );
}
