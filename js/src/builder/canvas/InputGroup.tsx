import { useContext } from "react";
import { inputTargetId } from "../compat";
import { ActionsContext, SelectionContext } from "../context";
import { hasOverrideEdge, inputHandle } from "../flow";
import { requirementsText, slotSummary } from "../format";
import type { ConnectionView, InputView } from "../protocol";
import { Port } from "./Port";
import { SlotRow } from "./SlotRow";

interface Props {
  uid: string;
  input: InputView;
}

/** An input group of a building job: a drop target for group drags, its connections and slots. */
export function InputGroup({ uid, input }: Props) {
  const { actions } = useContext(ActionsContext);
  const selection = useContext(SelectionContext);
  const targetId = inputTargetId(uid, input.name);
  const selected = selection?.job === uid && selection.input === input.name;

  return (
    <section
      className="cw-input"
      data-testid={targetId}
      data-status={input.status}
      data-drop-kind="input"
      data-selected={selected ? "true" : undefined}
    >
      <Port type="target" id={inputHandle(input.name)} />
      <button
        type="button"
        className="cw-input-head nodrag"
        data-testid={`input-head-${uid}-${input.name}`}
        title="Preview the resolved input"
        onClick={() => actions.selectInput(uid, input.name)}
      >
        <span className="cw-input-name">{input.name}</span>
        <span className="cw-input-title">{input.title}</span>
        <span className={`cw-input-status cw-input-status-${input.status}`}>{input.status}</span>
      </button>
      <div className="cw-input-req" title="Slots marked * are required">
        {requirementsText(input)} · slots {slotSummary(input.slots)}
      </div>
      {input.problems.length > 0 && (
        <ul className="cw-problems" data-testid={`problems-${uid}-${input.name}`}>
          {input.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {input.connections.length === 0 ? (
        <div className="cw-drop-hint">Drop an output group here</div>
      ) : (
        input.connections.map((connection, index) => (
          <Connection
            // Connections have no identity of their own; their index is what commands name.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            uid={uid}
            input={input}
            index={index}
            connection={connection}
          />
        ))
      )}
    </section>
  );
}

interface ConnectionProps {
  uid: string;
  input: InputView;
  index: number;
  connection: ConnectionView;
}

function Connection({ uid, input, index, connection }: ConnectionProps) {
  const { actions, readOnly } = useContext(ActionsContext);
  const passthroughs = connection.slots.filter((source) => source.slot === null);
  return (
    <div className="cw-connection" data-testid={`connection-${uid}-${input.name}-${index}`}>
      <div className="cw-connection-head">
        <span className="cw-connection-index">{index}</span>
        <span className="cw-connection-source">
          {connection.job}.{connection.group}
        </span>
        {!readOnly && (
          <button
            type="button"
            className="cw-icon-button nodrag"
            data-testid={`disconnect-${uid}-${input.name}-${index}`}
            title={`Remove ${connection.job}.${connection.group} from ${input.name}`}
            aria-label={`Remove connection ${index}`}
            onClick={() =>
              actions.command({ op: "disconnect", job: uid, input: input.name, connection: index })
            }
          >
            ×
          </button>
        )}
      </div>
      <ul className="cw-slots">
        {input.slots.map((slot) => {
          const source = connection.slots.find((s) => s.slot === slot.name);
          return (
            <SlotRow
              key={slot.name}
              uid={uid}
              input={input.name}
              connection={index}
              slot={slot}
              source={source}
              edge={source !== undefined && hasOverrideEdge(connection, source)}
            />
          );
        })}
      </ul>
      {passthroughs.length > 0 && (
        <div className="cw-passthroughs" title="Carried along unread">
          passthrough: {passthroughs.map((source) => source.label).join(", ")}
        </div>
      )}
    </div>
  );
}
