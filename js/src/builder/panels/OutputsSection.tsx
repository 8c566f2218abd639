import { useState } from "react";
import { ResultRow } from "../canvas/ResultRow";
import type { RequestClient } from "../client";
import { formatItems } from "../format";
import { pictureKind } from "../pictures";
import type { JobView } from "../protocol";
import { OutputPictures } from "./OutputPictures";

/**
 * The inspector's outputs: each group with its results unfolded, their versions, passthroughs,
 * copy path and download. Results drag onto the canvas's slots as they do from a card. An
 * output with images, micrographs or maps shows them under "Pictures" (one output at a time).
 */
export function OutputsSection({
  job,
  client,
  revision,
}: {
  job: JobView;
  client: RequestClient;
  revision: number;
}) {
  const [shown, setShown] = useState<string | null>(null);
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
            {pictureKind(job, output) && (
              <button
                type="button"
                className="cw-button cw-output-pictures-toggle"
                data-testid={`pictures-${job.uid}-${output.name}`}
                aria-expanded={shown === output.name}
                onClick={() => setShown(shown === output.name ? null : output.name)}
              >
                Pictures
              </button>
            )}
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
          {shown === output.name && (
            <OutputPictures
              key={`${job.uid}/${output.name}`}
              client={client}
              job={job.uid}
              output={output.name}
              kind={pictureKind(job, output) ?? "tiles"}
              revision={revision}
            />
          )}
        </section>
      ))}
    </div>
  );
}
