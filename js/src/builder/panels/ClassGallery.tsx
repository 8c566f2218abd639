import { type PointerEvent, useContext, useEffect, useRef, useState } from "react";
import { formatCount, pluralize } from "../../format";
import type { RequestClient } from "../client";
import { ActionsContext } from "../context";
import {
  chosenClasses,
  dragOver,
  type GallerySelection,
  NOTHING_CHOSEN,
  type Press,
  pictureAt,
  press,
  sizeOf,
} from "../pictures";
import { GreyCanvas } from "./GreyCanvas";
import { bufferAt, NotYet, useAnswer } from "./useAnswer";

const TILE_DISPLAY = 64;

interface Props {
  client: RequestClient;
  job: string;
  output: string;
}

function how(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): Press {
  if (event.shiftKey) return "range";
  return event.ctrlKey || event.metaKey ? "toggle" : "only";
}

/**
 * A 2D classification's class averages, most particles first, each with its class number and
 * particle count. Click chooses a class, shift-click a run of them, ctrl/cmd-click adds or
 * removes one, a drag across tiles chooses those it crosses; "Make selection job" makes a
 * Select 2D job of the chosen classes (`project.select_classes`), shown beside its parent.
 */
export function ClassGallery({ client, job, output }: Props) {
  const { actions, readOnly } = useContext(ActionsContext);
  const loaded = useAnswer(client, { type: "class_gallery", job, output }, [job, output]);
  const [selection, setSelection] = useState<GallerySelection>(NOTHING_CHOSEN);
  const drag = useRef<{ start: number; base: GallerySelection } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const end = () => {
      drag.current = null;
    };
    window.addEventListener("pointerup", end);
    return () => window.removeEventListener("pointerup", end);
  }, []);

  if (loaded.state !== "ok") {
    return <NotYet loaded={loaded} reading="Reading class averages…" testId="gallery-error" />;
  }
  const { reply } = loaded;
  const buffer = bufferAt(loaded.buffers, 0);
  const [h, w] = sizeOf(reply.size);
  const chosen = chosenClasses(selection, reply.classes, reply.counts);

  const down = (position: number, event: PointerEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const kind = how(event);
    drag.current = { start: position, base: kind === "only" ? NOTHING_CHOSEN : selection };
    setSelection(press(selection, position, kind));
  };
  const enter = (position: number, event: PointerEvent) => {
    const dragging = drag.current;
    if (!dragging || (event.buttons & 1) === 0 || position === dragging.start) return;
    setSelection(dragOver(dragging.base, dragging.start, position));
  };
  const make = async () => {
    setBusy(true);
    const done = await actions.command({ op: "select_classes", job, classes: chosen.classes });
    setBusy(false);
    if (done) setSelection(NOTHING_CHOSEN);
  };

  return (
    <section
      className="cw-pictures cw-gallery"
      data-testid="class-gallery"
      aria-label={`Class averages of ${job}.${output}`}
    >
      <div className="cw-gallery-bar">
        <span className="cw-muted" data-testid="gallery-chosen">
          {chosen.classes.length === 0
            ? `${pluralize(reply.classes.length, "class", "classes")}, most particles first`
            : `${pluralize(chosen.classes.length, "class", "classes")} chosen: ${formatCount(chosen.particles)} of ${formatCount(reply.particles)} particles`}
        </span>
        <span className="cw-spacer" />
        <button
          type="button"
          className="cw-button"
          data-testid="gallery-clear"
          disabled={chosen.classes.length === 0}
          onClick={() => setSelection(NOTHING_CHOSEN)}
        >
          Clear
        </button>
        <button
          type="button"
          className="cw-button cw-button-primary"
          data-testid="gallery-make-job"
          disabled={readOnly || busy || chosen.classes.length === 0}
          title={`project.select_classes(${JSON.stringify(job)}, [${chosen.classes.join(", ")}])`}
          onClick={make}
        >
          Make selection job
        </button>
      </div>
      <div className="cw-gallery-tiles" role="listbox" aria-multiselectable="true">
        {reply.classes.map((klass, position) => (
          <div
            key={klass}
            className="cw-class-tile"
            data-testid={`class-tile-${klass}`}
            data-chosen={selection.chosen.has(position)}
            role="option"
            aria-selected={selection.chosen.has(position)}
            onPointerDown={(event) => down(position, event)}
            onPointerEnter={(event) => enter(position, event)}
            tabIndex={0}
            onKeyDown={(event) => {
              if (event.key !== " " && event.key !== "Enter") return;
              event.preventDefault();
              setSelection(press(selection, position, how(event)));
            }}
          >
            <GreyCanvas
              pixels={pictureAt(buffer, reply.size, position)}
              width={w}
              height={h}
              display={TILE_DISPLAY}
              label={`class ${klass}`}
            />
            <span className="cw-class-label">
              <span className="cw-class-number">{klass}</span>
              <span className="cw-class-count">{formatCount(reply.counts[position] ?? 0)}</span>
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
