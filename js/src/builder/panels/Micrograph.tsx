import { useEffect, useState } from "react";
import type { RequestClient } from "../client";
import { sizeOf } from "../pictures";
import type { MicrographReply } from "../protocol";
import { GreyCanvas } from "./GreyCanvas";

const DISPLAY = 300;

type Loaded =
  | { state: "loading" }
  | { state: "error"; error: string }
  | { state: "ok"; reply: MicrographReply; buffers: DataView[] };

interface Props {
  client: RequestClient;
  job: string;
  output: string;
}

/** One exposure's micrograph, shrunk in Python, with the job's picks on it as circles. */
export function Micrograph({ client, job, output }: Props) {
  const [index, setIndex] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });

  useEffect(() => {
    let live = true;
    client.request({ type: "micrograph", job, output, index }).then(
      ({ reply, buffers }) => live && setLoaded({ state: "ok", reply, buffers }),
      (error: Error) => live && setLoaded({ state: "error", error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, job, output, index]);

  if (loaded.state === "loading") return <div className="cw-muted">Reading the micrograph…</div>;
  if (loaded.state === "error") {
    return (
      <div className="cw-preview-error" data-testid="micrograph-error">
        {loaded.error}
      </div>
    );
  }
  const { reply, buffers } = loaded;
  const [h, w] = sizeOf(reply.size);
  const [pixels, places] = buffers;
  const image = pixels
    ? new Uint8Array(pixels.buffer, pixels.byteOffset, h * w)
    : new Uint8Array(0);
  // Copied out: a float32 view needs an offset that is a multiple of 4.
  const picks = places
    ? new Float32Array(places.buffer.slice(places.byteOffset, places.byteOffset + reply.picks * 8))
    : new Float32Array(0);
  const radius = reply.radius > 0 ? reply.radius : Math.max(3, w / 60);
  return (
    <section
      className="cw-pictures"
      data-testid="micrograph"
      data-picks={reply.picks}
      aria-label={`Micrograph of ${job}.${output}`}
    >
      <div className="cw-pager">
        <button
          type="button"
          className="cw-button"
          data-testid="micrograph-prev"
          disabled={index === 0}
          onClick={() => setIndex(index - 1)}
        >
          ‹
        </button>
        <span className="cw-muted" title={reply.path}>
          exposure {reply.index + 1} of {reply.total} · {reply.shape.join(" x ")} px · {reply.picks}{" "}
          picks
        </span>
        <button
          type="button"
          className="cw-button"
          data-testid="micrograph-next"
          disabled={index + 1 >= reply.total}
          onClick={() => setIndex(index + 1)}
        >
          ›
        </button>
      </div>
      <div className="cw-micrograph" style={{ width: DISPLAY, height: (DISPLAY * h) / w }}>
        <GreyCanvas pixels={image} width={w} height={h} display={DISPLAY} label={reply.path} />
        <svg
          className="cw-picks"
          viewBox={`0 0 ${w} ${h}`}
          width={DISPLAY}
          height={(DISPLAY * h) / w}
        >
          <title>{`${reply.picks} picks`}</title>
          {Array.from({ length: reply.picks }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: picks are rows
            <circle key={i} cx={picks[2 * i]} cy={picks[2 * i + 1]} r={radius} />
          ))}
        </svg>
      </div>
    </section>
  );
}
