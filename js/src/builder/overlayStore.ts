/** Where the pointer is during a drag, kept outside React state so moves re-render only the ghost. */
export interface Overlay {
  visible: boolean;
  /** Pointer position relative to the widget's root element. */
  x: number;
  y: number;
  /** Size of the widget's root element, to keep the tooltip inside it. */
  width: number;
  height: number;
  /** Target id (`data-target`) of the drop target under the pointer, if any. */
  hover: string | null;
}

export const HIDDEN: Overlay = { visible: false, x: 0, y: 0, width: 0, height: 0, hover: null };

export interface OverlayStore {
  get(): Overlay;
  set(next: Overlay): void;
  subscribe(listener: () => void): () => void;
}

export function createOverlayStore(): OverlayStore {
  let current = HIDDEN;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(next) {
      current = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
