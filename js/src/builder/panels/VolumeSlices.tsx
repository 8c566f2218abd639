import { useState } from "react";
import type { RequestClient } from "../client";
import { sizeOf } from "../pictures";
import { GreyCanvas } from "./GreyCanvas";
import { NotYet, useAnswer } from "./useAnswer";

const SLICE_DISPLAY = 120;
const PLANES = ["xy", "xz", "yz"] as const;

interface Props {
  client: RequestClient;
  job: string;
  output: string;
}

/** The three central slices of a map (xy at a z the slider moves), and of its half maps
 * side by side when the output holds them; each volume keeps one contrast through z. */
export function VolumeSlices({ client, job, output }: Props) {
  const [z, setZ] = useState<number | null>(null);
  const loaded = useAnswer(client, { type: "volume_slices", job, output, z }, [job, output, z]);
  if (loaded.state !== "ok") {
    return <NotYet loaded={loaded} reading="Reading the map…" testId="slices-error" />;
  }
  const { reply, buffers } = loaded;
  const depth = reply.maps[0]?.shape[0] ?? 1;
  return (
    <section
      className="cw-pictures"
      data-testid="volume-slices"
      aria-label={`Slices of ${job}.${output}`}
    >
      <label className="cw-slices-z">
        <span className="cw-muted">z</span>
        <input
          type="range"
          data-testid="slices-z"
          min={0}
          max={depth - 1}
          value={reply.z}
          onChange={(event) => setZ(Number(event.target.value))}
        />
        <span className="cw-mono">
          {reply.z} / {depth - 1}
        </span>
      </label>
      <div className="cw-slices">
        {reply.maps.map((map, m) => {
          let at = 0;
          return (
            <figure key={map.slot} className="cw-slice-column" data-testid={`slices-${map.slot}`}>
              <figcaption className="cw-mono">{map.slot}</figcaption>
              {map.sizes.map((size, p) => {
                const [h, w] = sizeOf(size);
                const view = buffers[m];
                if (!view) return null;
                const pixels = new Uint8Array(view.buffer, view.byteOffset + at, h * w);
                at += h * w;
                return (
                  <GreyCanvas
                    key={PLANES[p]}
                    pixels={pixels}
                    width={w}
                    height={h}
                    display={SLICE_DISPLAY}
                    label={`${map.slot} ${PLANES[p]}`}
                  />
                );
              })}
            </figure>
          );
        })}
      </div>
    </section>
  );
}
