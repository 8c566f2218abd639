import { useSyncExternalStore } from "react";
import { type DragState, dropState, refusalReason } from "../compat";
import { dragLabel } from "../format";
import type { OverlayStore } from "../overlayStore";

const TOOLTIP_ROOM = 330;

/** Over the widget while a drag lasts: the grabbing cursor (elements under it are still the
 * drop targets, `useDrag`). */
export const DRAG_SHIELD = "cw-drag-shield";

/** The ghost that follows the pointer, and why the target under it refuses the drag. */
export function DragOverlay({ drag, store }: { drag: DragState | null; store: OverlayStore }) {
  const overlay = useSyncExternalStore(store.subscribe, store.get, store.get);
  if (!drag) {
    return null;
  }
  const shield = <div className={DRAG_SHIELD} data-testid="drag-shield" aria-hidden="true" />;
  if (!overlay.visible) {
    return shield;
  }
  const kind = drag.source.kind === "group" ? "input" : "slot";
  const state = overlay.hover === null ? undefined : dropState(drag, kind, overlay.hover);
  const reason = overlay.hover === null ? null : refusalReason(drag, overlay.hover);
  // Beside the pointer, on whichever side keeps it inside the widget (which clips overflow).
  const left = overlay.x > overlay.width - TOOLTIP_ROOM;
  const up = overlay.y > overlay.height - 90;
  const x = left ? `calc(${overlay.x - 14}px - 100%)` : `${overlay.x + 14}px`;
  const y = up ? `calc(${overlay.y - 10}px - 100%)` : `${overlay.y + 10}px`;
  return (
    <>
      {shield}
      <div
        className={`cw-drag-overlay${left ? " cw-drag-overlay-left" : ""}`}
        style={{ transform: `translate(${x}, ${y})` }}
        aria-hidden="true"
      >
        <div className="cw-ghost" data-testid="drag-ghost" data-drop={state}>
          {dragLabel(drag.source)}
        </div>
        {drag.verdicts === null && <div className="cw-drag-note">checking targets…</div>}
        {reason !== null && (
          <div className="cw-drag-reason" data-testid="drag-reason">
            {reason}
          </div>
        )}
      </div>
    </>
  );
}
