import { useEffect, useMemo, useRef, useState } from "react";
import { bySection, searchCatalog } from "../palette";
import type { CatalogEntry } from "../protocol";
import { useListKeys } from "../useListKeys";
import { SearchBox } from "./SearchBox";

interface Props {
  catalog: readonly CatalogEntry[];
  onChoose: (entry: CatalogEntry) => void;
  onClose: () => void;
}

/** Searchable list of job types; arrows move, Enter adds, Escape or a click outside closes. */
export function Palette({ catalog, onChoose, onClose }: Props) {
  const [query, setQuery] = useState("");
  const matches = useMemo(() => searchCatalog(catalog, query), [catalog, query]);
  const { activeIndex, setActive, onKeyDown, reset } = useListKeys(matches, onChoose, onClose);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onDown = (event: PointerEvent) => {
      // The palette's parent holds the button that opens it: that button toggles it instead.
      const inside = box.current?.parentElement ?? box.current;
      if (inside && !inside.contains(event.target as Node)) {
        onClose();
      }
    };
    window.addEventListener("pointerdown", onDown, true);
    return () => window.removeEventListener("pointerdown", onDown, true);
  }, [onClose]);

  useEffect(() => {
    box.current
      ?.querySelector(`[data-index="${activeIndex}"]`)
      ?.scrollIntoView?.({ block: "nearest" });
  }, [activeIndex]);

  let index = 0;
  return (
    <div className="cw-palette" ref={box} data-testid="palette">
      <SearchBox
        testId="palette-search"
        placeholder="Search job types…"
        label="Search job types"
        value={query}
        onChange={(value) => {
          setQuery(value);
          reset();
        }}
        onKeyDown={onKeyDown}
      />
      <div className="cw-palette-list" role="listbox" aria-label="Job types">
        {matches.length === 0 && <div className="cw-palette-empty">No job type matches.</div>}
        {bySection(matches).map(([section, entries]) => (
          <div key={section} className="cw-palette-section">
            <div className="cw-palette-heading">{section}</div>
            {entries.map((entry) => {
              const i = index++;
              return (
                <div
                  key={entry.key}
                  role="option"
                  tabIndex={-1}
                  aria-selected={i === activeIndex}
                  data-index={i}
                  data-testid={`palette-${entry.key}`}
                  className="cw-palette-entry"
                  title={entry.description}
                  onPointerEnter={() => setActive(i)}
                  onClick={() => onChoose(entry)}
                  onKeyDown={(event) => event.key === "Enter" && onChoose(entry)}
                >
                  <span className="cw-palette-title">{entry.title}</span>
                  <span className="cw-palette-key">{entry.key}</span>
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
