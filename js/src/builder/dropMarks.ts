import { type DragState, dropState, refusalReason, type TargetKind } from "./compat";

/**
 * Mark every drop target under `root` with the drag's verdict: `data-drop` ("pending", "accept"
 * or "refuse") and, when refused, `data-drop-reason`; with no drag, remove both.
 *
 * Set on the DOM rather than rendered: a drag starts and ends on hundreds of targets at once, and
 * re-rendering each card's inputs and slots for it took a 200-job canvas hundreds of
 * milliseconds, delaying the drop's round trip by as much.
 */
export function markDropTargets(root: ParentNode, drag: DragState | null): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-drop-kind]")) {
    const id = element.dataset.target ?? "";
    const state = dropState(drag, element.dataset.dropKind as TargetKind, id);
    if (state === undefined) {
      element.removeAttribute("data-drop");
      element.removeAttribute("data-drop-reason");
      continue;
    }
    element.setAttribute("data-drop", state);
    if (state === "refuse") {
      element.setAttribute("data-drop-reason", refusalReason(drag, id) ?? "");
    } else {
      element.removeAttribute("data-drop-reason");
    }
  }
}
