import { useContext } from "react";
import { slotTargetId } from "../compat";
import { ActionsContext } from "../context";
import { slotHandle } from "../flow";
import { formatVersion } from "../format";
import type { SlotSourceView, SlotView } from "../protocol";
import { Port } from "./Port";
import { SlotName } from "./SlotName";

interface Props {
  uid: string;
  input: string;
  connection: number;
  slot: SlotView;
  source: SlotSourceView | undefined;
  /** The override comes from another job: an edge ends on this row, its handle shows. */
  edge: boolean;
}

/** One slot of one connection: what fills it, and a drop target for result drags. */
export function SlotRow({ uid, input, connection, slot, source, edge }: Props) {
  const { actions, readOnly } = useContext(ActionsContext);
  const targetId = slotTargetId(uid, input, connection, slot.name);

  return (
    <li
      className="cw-slot"
      data-testid={targetId}
      data-target={targetId}
      data-job={uid}
      data-drop-kind="slot"
      data-filled={source ? "true" : "false"}
      data-override={source?.override ? "true" : undefined}
      title={slot.title || slot.type}
    >
      <Port type="target" id={slotHandle(input, connection, slot.name)} hidden={!edge} />
      <SlotName slot={slot} />
      {source ? (
        <>
          <span className="cw-slot-source" title={`${source.label} (${source.result_type})`}>
            {source.label}
          </span>
          <span className="cw-slot-version">{formatVersion(source.version)}</span>
          {source.override && (
            <span
              className="cw-badge cw-badge-override"
              data-testid={`override-${uid}-${input}-${connection}-${slot.name}`}
              title="Filled from elsewhere than the connection's own group"
            >
              override
            </span>
          )}
        </>
      ) : (
        <span className="cw-slot-empty">{slot.required ? "missing" : "empty"}</span>
      )}
      {!slot.required && source && !readOnly && (
        <button
          type="button"
          className="cw-icon-button nodrag"
          data-testid={`clear-${uid}-${input}-${connection}-${slot.name}`}
          title={`Clear ${slot.name}: the job runs without it`}
          aria-label={`Clear ${slot.name}`}
          onClick={() =>
            actions.command({ op: "clear_slot", job: uid, input, connection, slot: slot.name })
          }
        >
          ×
        </button>
      )}
    </li>
  );
}
