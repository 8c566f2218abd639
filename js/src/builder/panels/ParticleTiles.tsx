import { useState } from "react";
import type { RequestClient } from "../client";
import { pageLabel } from "../format";
import { pictureAt, sizeOf } from "../pictures";
import { GreyCanvas } from "./GreyCanvas";
import { Pager } from "./Pager";
import { bufferAt, NotYet, useAnswer } from "./useAnswer";

export const TILES_PAGE = 48;
/** Tiles are drawn this many CSS pixels wide, whatever their size (96 px at most). */
const TILE_DISPLAY = 56;

export interface TilesSource {
  job: string;
  side: "input" | "output";
  name: string;
  slot: string;
}

interface Props {
  client: RequestClient;
  source: TilesSource;
  /** The graph's revision: a new one asks again (an override may change the images). */
  revision: number;
}

/** A montage of particle images, a page at a time; tiles come with their contrast set. */
export function ParticleTiles({ client, source, revision }: Props) {
  const { job, side, name, slot } = source;
  const [offset, setOffset] = useState(0);
  const page = useAnswer(
    client,
    { type: "tiles", job, side, name, slot, offset, limit: TILES_PAGE },
    [job, side, name, slot, offset, revision], // a new revision means new contents
  );
  if (page.state !== "ok") {
    return <NotYet loaded={page} reading="Reading images…" testId="tiles-error" />;
  }
  const { reply } = page;
  const buffer = bufferAt(page.buffers, 0);
  const [h, w] = sizeOf(reply.size);
  const box = reply.box.join(" x ");
  return (
    <section
      className="cw-pictures"
      data-testid="tiles"
      data-tile-size={w}
      aria-label={`Images of ${job}.${name}`}
    >
      <Pager
        testId="tiles"
        offset={offset}
        step={TILES_PAGE}
        total={reply.total}
        onMove={setOffset}
      >
        {pageLabel(reply.offset, reply.count, reply.total)}
        {box && ` · ${box} px${w !== reply.box[1] ? ` shown at ${h} x ${w}` : ""}`}
      </Pager>
      <div className="cw-tiles">
        {Array.from({ length: reply.count }, (_, i) => (
          <GreyCanvas
            // biome-ignore lint/suspicious/noArrayIndexKey: tiles are rows of the page
            key={i}
            pixels={pictureAt(buffer, reply.size, i)}
            width={w}
            height={h}
            display={TILE_DISPLAY}
            label={`row ${reply.offset + i}`}
          />
        ))}
      </div>
    </section>
  );
}
