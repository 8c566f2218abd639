import { type KeyboardEvent, useState } from "react";

/**
 * Keyboard choice in a searchable list (the palette, the job search): arrows move the active
 * item, Enter chooses it, Escape closes. `reset` goes back to the first item (a new query).
 */
export function useListKeys<T>(
  items: readonly T[],
  onChoose: (item: T) => void,
  onClose: () => void,
) {
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, Math.max(items.length - 1, 0));
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(Math.min(activeIndex + 1, items.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (event.key === "Enter") {
      const item = items[activeIndex];
      if (item !== undefined) {
        onChoose(item);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    }
  };
  return { activeIndex, setActive, onKeyDown, reset: () => setActive(0) };
}
