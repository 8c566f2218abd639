import { useContext } from "react";
import { SlotName } from "../canvas/SlotName";
import { ActionsContext } from "../context";
import { formatVersion, groupLabel, requirementsText } from "../format";
import type { ConnectionView, GraphView, InputView, JobView, SlotView } from "../protocol";
import { slotCandidates } from "../slotCandidates";

interface Props {
  graph: GraphView;
  job: JobView;
  /** A building job of a project open for writing. */
  editable: boolean;
  onPreview: (input: string) => void;
}

/** The inspector's inputs: each group with its status and reasons, connections and slots. */
export function InputsSection({ graph, job, editable, onPreview }: Props) {
  return (
    <div className="cw-inspect-inputs">
      {job.inputs.map((input) => (
        <InputDetails
          key={input.name}
          graph={graph}
          job={job}
          input={input}
          editable={editable}
          onPreview={onPreview}
        />
      ))}
    </div>
  );
}

function InputDetails({ graph, job, input, editable, onPreview }: Props & { input: InputView }) {
  const { actions } = useContext(ActionsContext);
  const id = `${job.uid}-${input.name}`;
  return (
    <section
      className="cw-inspect-input"
      data-testid={`inspect-input-${id}`}
      data-status={input.status}
    >
      <header className="cw-inspect-input-head">
        <span className="cw-input-name">{input.name}</span>
        <span className="cw-input-title">{input.title}</span>
        <span className={`cw-input-status cw-input-status-${input.status}`}>{input.status}</span>
        {job.status === "building" && (
          <button
            type="button"
            className="cw-link-button"
            data-testid={`inspect-preview-${id}`}
            onClick={() => onPreview(input.name)}
          >
            Preview
          </button>
        )}
      </header>
      <div className="cw-muted cw-inspect-req">{requirementsText(input)}</div>
      {input.problems.length > 0 && (
        <ul className="cw-problems cw-inspect-problems">
          {input.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {input.connections.length === 0 && (
        <div className="cw-muted cw-inspect-empty">
          No connection yet: drag an output group onto this input on the canvas.
        </div>
      )}
      {input.connections.map((connection, index) => (
        <div
          // Connections have no identity of their own; their index is what commands name.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={index}
          className="cw-inspect-connection"
          data-testid={`inspect-connection-${id}-${index}`}
        >
          <div className="cw-connection-head">
            <span className="cw-connection-index">{index}</span>
            <span className="cw-connection-source">
              {connection.job}.{connection.group}
            </span>
            {editable && (
              <button
                type="button"
                className="cw-icon-button"
                data-testid={`inspect-disconnect-${id}-${index}`}
                title={`Remove ${groupLabel(connection.job, connection.group)} from ${input.name}`}
                aria-label={`Remove connection ${index}`}
                onClick={() =>
                  actions.command({
                    op: "disconnect",
                    job: job.uid,
                    input: input.name,
                    connection: index,
                  })
                }
              >
                ×
              </button>
            )}
          </div>
          <ul className="cw-inspect-slots">
            {input.slots.map((slot) => (
              <SlotDetails
                key={slot.name}
                graph={graph}
                job={job.uid}
                input={input.name}
                index={index}
                connection={connection}
                slot={slot}
                editable={editable}
              />
            ))}
          </ul>
          <Passthroughs connection={connection} />
        </div>
      ))}
    </section>
  );
}

function Passthroughs({ connection }: { connection: ConnectionView }) {
  const passed = connection.slots.filter((source) => source.slot === null);
  if (passed.length === 0) {
    return null;
  }
  return (
    <div className="cw-passthroughs" title="Carried along unread">
      passthrough: {passed.map((source) => source.label).join(", ")}
    </div>
  );
}

interface SlotProps {
  graph: GraphView;
  job: string;
  input: string;
  index: number;
  connection: ConnectionView;
  slot: SlotView;
  editable: boolean;
}

/** Why a slot is empty: cleared by the user, or absent from the connected group. */
function emptyReason(graph: GraphView, connection: ConnectionView, slot: SlotView): string {
  const group = graph.jobs
    .find((j) => j.uid === connection.job)
    ?.outputs.find((o) => o.name === connection.group);
  const offered = group?.results.some((r) => r.name === slot.name) ?? false;
  if (offered && !slot.required) {
    return "cleared: the job runs without it";
  }
  const what = slot.required ? "missing" : "empty";
  return `${what}: ${groupLabel(connection.job, connection.group)} has no ${slot.name}`;
}

function SlotDetails({ graph, job, input, index, connection, slot, editable }: SlotProps) {
  const { actions } = useContext(ActionsContext);
  const source = connection.slots.find((s) => s.slot === slot.name);
  const id = `${job}-${input}-${index}-${slot.name}`;
  const candidates = editable
    ? slotCandidates(graph, { job, input, connection: index, slot: slot.name })
    : [];
  const override = (value: string) => {
    const chosen = candidates[Number(value)];
    if (value === "" || !chosen) {
      return;
    }
    void actions.command({
      op: "connect_result",
      job,
      input,
      connection: index,
      slot: slot.name,
      source_job: chosen.job,
      source_output: chosen.output,
      source_result: chosen.result,
      version: chosen.version,
    });
  };
  return (
    <li
      className="cw-inspect-slot"
      data-testid={`inspect-slot-${id}`}
      data-filled={source ? "true" : "false"}
      data-override={source?.override ? "true" : undefined}
      title={`${slot.title || slot.name}: ${slot.type}`}
    >
      <SlotName slot={slot} />
      {source ? (
        <span className="cw-inspect-source">
          <span className="cw-mono">{source.label}</span>{" "}
          <span className="cw-slot-version">{formatVersion(source.version)}</span>
          {source.override && <span className="cw-badge cw-badge-override">override</span>}
        </span>
      ) : (
        <span className="cw-slot-empty" data-testid={`inspect-empty-${id}`}>
          {emptyReason(graph, connection, slot)}
        </span>
      )}
      {editable && candidates.length > 0 && (
        <select
          className="cw-version"
          data-testid={`inspect-override-${id}`}
          aria-label={`Fill ${slot.name} with another result`}
          title={`Fill ${slot.name} with a ${slot.type} result of another job`}
          value=""
          onChange={(event) => override(event.target.value)}
        >
          <option value="">override…</option>
          {candidates.map((candidate, i) => (
            <option key={candidate.label} value={i} disabled={candidate.current}>
              {candidate.label}
              {candidate.version === "F" ? " (final)" : ""}
              {candidate.current ? " ✓" : ""}
            </option>
          ))}
        </select>
      )}
      {editable && !slot.required && source && (
        <button
          type="button"
          className="cw-icon-button"
          data-testid={`inspect-clear-${id}`}
          title={`Clear ${slot.name}: the job runs without it`}
          aria-label={`Clear ${slot.name}`}
          onClick={() =>
            actions.command({ op: "clear_slot", job, input, connection: index, slot: slot.name })
          }
        >
          ×
        </button>
      )}
    </li>
  );
}
