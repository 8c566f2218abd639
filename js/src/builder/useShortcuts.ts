import type { KeyboardEvent, PointerEvent, RefObject } from "react";

const EDITABLE = "input, textarea, select, [contenteditable]";

interface Handlers {
  rootRef: RefObject<HTMLElement | null>;
  /** O: fold or unfold the outputs of every card, as in CryoSPARC. */
  toggleFold: () => void;
  /** Ctrl/Cmd+K. */
  search: () => void;
  undo: () => void;
  redo: () => void;
  /** Escape, outside a text box: close the panel beside the canvas. */
  closePanel: () => void;
}

/**
 * The widget's keyboard shortcuts, on its root element. JupyterLab handles keys in the bubbling
 * phase on document: stopping them here keeps its shortcuts (and its own undo) out of the
 * widget; data-lm-suppress-shortcuts on the root tells Lumino too.
 */
export function useShortcuts({ rootRef, toggleFold, search, undo, redo, closePanel }: Handlers) {
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if ((event.target as Element).closest(EDITABLE)) {
      event.stopPropagation(); // typing stays in the box
      return;
    }
    const key = event.key.toLowerCase();
    const modified = event.ctrlKey || event.metaKey || event.altKey;
    if (key === "o" && !modified) {
      toggleFold();
    } else if (key === "escape" && !modified) {
      closePanel();
    } else if (!(event.ctrlKey || event.metaKey) || event.altKey) {
      return;
    } else if (key === "k" && !event.shiftKey) {
      search();
    } else if (key === "z" && !event.shiftKey) {
      undo();
    } else if ((key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey)) {
      redo();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };
  // Clicking anywhere on the widget focuses it, so that its keyboard shortcuts apply.
  const onPointerDownCapture = (event: PointerEvent<HTMLElement>) => {
    if (!(event.target as Element).closest(EDITABLE)) {
      rootRef.current?.focus({ preventScroll: true });
    }
  };
  return { onKeyDown, onPointerDownCapture };
}
