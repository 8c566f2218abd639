import { useContext, useEffect, useState } from "react";
import { pluralize } from "../../format";
import { inputTargetId } from "../compat";
import { ActionsContext, FoldContext, SelectionContext } from "../context";
import { hasOverrideEdge, inputHandle, slotHandle } from "../flow";
import { groupLabel, requirementsText, slotSummary } from "../format";
import type { ConnectionView, InputView } from "../protocol";
import { Port, RemeasureHandles } from "./Port";
import { SlotRow } from "./SlotRow";

interface Props {
  uid: string;
  input: InputView;
}

/**
 * The handle of every slot of every connection, overridden or not: an override's edge then
 * finds its handle already measured. Folded, they sit on the group's line, stacked.
 */
function slotHandles(input: InputView): string[] {
  return input.connections.flatMap((_, index) =>
    input.slots.map((slot) => slotHandle(input.name, index, slot.name)),
  );
}

/** The status's tooltip: why it is unmet, whom it waits for, or what it asks for when met. */
function statusReason(input: InputView): string {
  return input.problems.length > 0 ? input.problems.join("\n") : requirementsText(input);
}

/**
 * An input group of a building job, one line: name, status (the reason on hover) and how many
 * groups it reads; a drop target for group drags. Its ▸ unfolds the connections and their slots,
 * drop targets for result drags; a click on the line shows its preview in the inspector.
 */
export function InputGroup({ uid, input }: Props) {
  const { actions } = useContext(ActionsContext);
  const selection = useContext(SelectionContext);
  const fold = useContext(FoldContext);
  // Folded at first; O unfolds (and folds) every card's slots with its results.
  const [open, setOpen] = useState(fold.version > 0 && fold.open);
  useEffect(() => {
    if (fold.version > 0) {
      setOpen(fold.open);
    }
  }, [fold]);
  const targetId = inputTargetId(uid, input.name);
  const selected = selection?.job === uid && selection.input === input.name;
  const count = input.connections.length;
  const handles = slotHandles(input);

  return (
    <section
      className="cw-input"
      data-testid={targetId}
      data-target={targetId}
      data-job={uid}
      data-status={input.status}
      data-drop-kind="input"
      data-open={open ? "true" : undefined}
      data-selected={selected ? "true" : undefined}
    >
      <Port type="target" id={inputHandle(input.name)} />
      <RemeasureHandles handles={`${open}:${handles.join(",")}`} />
      {!open && handles.map((id) => <Port key={id} type="target" id={id} hidden />)}
      <div className="cw-input-row">
        <button
          type="button"
          className="cw-expander nodrag"
          data-testid={`input-expand-${uid}-${input.name}`}
          aria-expanded={open}
          aria-label={`${open ? "Hide" : "Show"} the slots of ${input.name}`}
          onClick={() => setOpen((value) => !value)}
        >
          {open ? "▾" : "▸"}
        </button>
        <button
          type="button"
          className="cw-input-head nodrag"
          data-testid={`input-head-${uid}-${input.name}`}
          title={`${input.title}: preview the resolved input`}
          onClick={() => actions.inspect({ job: uid, tab: "preview", input: input.name })}
        >
          <span className="cw-input-name">{input.name}</span>
          <span
            className={`cw-input-status cw-input-status-${input.status}`}
            data-testid={`input-status-${uid}-${input.name}`}
            title={statusReason(input)}
          >
            {input.status}
          </span>
          <span
            className="cw-input-count"
            title={input.connections.map((c) => groupLabel(c.job, c.group)).join(", ") || undefined}
          >
            {count === 0 ? "no group" : pluralize(count, "group")}
          </span>
        </button>
      </div>
      {open && (
        <>
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
        </>
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
            title={`Remove ${groupLabel(connection.job, connection.group)} from ${input.name}`}
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
