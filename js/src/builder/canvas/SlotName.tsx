import type { SlotView } from "../protocol";

/** A slot's name, starred when the job cannot run without it. */
export function SlotName({ slot }: { slot: SlotView }) {
  return (
    <span className="cw-slot-name">
      {slot.name}
      {slot.required && (
        <abbr className="cw-required" title="required">
          *
        </abbr>
      )}
    </span>
  );
}
