import { ResultRow } from "../canvas/ResultRow";
import { formatItems } from "../format";
import type { JobView } from "../protocol";

/**
 * The inspector's outputs: each group with its results unfolded, their versions, passthroughs,
 * copy path and download. Results drag onto the canvas's slots as they do from a card.
 */
export function OutputsSection({ job }: { job: JobView }) {
  return (
    <div className="cw-inspect-outputs">
      {job.outputs.map((output) => (
        <section
          key={output.name}
          className="cw-inspect-output"
          data-testid={`inspect-output-${job.uid}-${output.name}`}
        >
          <header className="cw-inspect-output-head">
            <span className="cw-output-name">{output.name}</span>
            {output.title !== output.name && <span className="cw-muted">{output.title}</span>}
            <span className="cw-spacer" />
            <span className="cw-output-count">{formatItems(output.num_items, output.type)}</span>
          </header>
          <ul className="cw-results">
            {output.results.map((result) => (
              <ResultRow
                key={result.name}
                uid={job.uid}
                group={output.name}
                result={result}
                testPrefix="inspect-"
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
