import { memo, useContext, useEffect, useState } from "react";
import { ActionsContext, FoldContext } from "../context";
import { outputHandle } from "../flow";
import { formatItems } from "../format";
import type { OutputView } from "../protocol";
import { Port } from "./Port";
import { ResultRow } from "./ResultRow";

interface Props {
  uid: string;
  output: OutputView;
  /** Results shown at first (completed jobs); the group row always shows. */
  expanded: boolean;
}

/** An output group: its row drags the whole group; its results drag one result each. */
export const OutputGroup = memo(function OutputGroup({ uid, output, expanded }: Props) {
  const { actions } = useContext(ActionsContext);
  const fold = useContext(FoldContext);
  // After O was pressed, a card drawn later follows it too.
  const [open, setOpen] = useState(fold.version > 0 ? fold.open : expanded);
  useEffect(() => {
    if (fold.version > 0) {
      setOpen(fold.open);
    }
  }, [fold]);
  const id = `${uid}-${output.name}`;
  const passthroughs = output.results.filter((r) => r.passthrough).length;

  return (
    <section className="cw-output">
      <div
        className="cw-output-row nodrag"
        data-testid={`output-${id}`}
        title={`Drag ${uid}.${output.name} onto an input`}
        onPointerDown={(event) =>
          actions.startDrag({ kind: "group", job: uid, output: output.name }, event)
        }
      >
        <button
          type="button"
          className="cw-expander"
          data-testid={`expand-${id}`}
          aria-expanded={open}
          aria-label={`${open ? "Hide" : "Show"} the results of ${output.name}`}
          onClick={() => setOpen((value) => !value)}
        >
          {open ? "▾" : "▸"}
        </button>
        <span className="cw-output-name">{output.name}</span>
        <span className="cw-output-count">{formatItems(output.num_items, output.type)}</span>
        {!open && (
          <span
            className="cw-output-meta"
            title={passthroughs > 0 ? `${passthroughs} passed through` : undefined}
          >
            {output.results.length} {output.results.length === 1 ? "result" : "results"}
          </span>
        )}
        <Port type="source" id={outputHandle(output.name)} />
      </div>
      {open && (
        <ul className="cw-results" data-testid={`results-${id}`}>
          {output.results.map((result) => (
            <ResultRow key={result.name} uid={uid} group={output.name} result={result} />
          ))}
        </ul>
      )}
    </section>
  );
});
