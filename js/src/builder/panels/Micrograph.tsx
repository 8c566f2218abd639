import { useState } from "react";
import type { RequestClient } from "../client";
import { sizeOf } from "../pictures";
import { GreyCanvas } from "./GreyCanvas";
import { Pager } from "./Pager";
import { NotYet, useAnswer } from "./useAnswer";

const DISPLAY = 300;

interface Props {
  client: RequestClient;
  job: string;
  output: string;
}

/** One exposure's micrograph, shrunk in Python, with the job's picks on it as circles. */
export function Micrograph({ client, job, output }: Props) {
  const [index, setIndex] = useState(0);
  const loaded = useAnswer(client, { type: "micrograph", job, output, index }, [
    job,
    output,
    index,
  ]);
  if (loaded.state !== "ok") {
    return <NotYet loaded={loaded} reading="Reading the micrograph…" testId="micrograph-error" />;
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
      <Pager
        testId="micrograph"
        offset={index}
        step={1}
        total={reply.total}
        onMove={setIndex}
        title={reply.path}
      >
        exposure {reply.index + 1} of {reply.total} · {reply.shape.join(" x ")} px · {reply.picks}{" "}
        picks
      </Pager>
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
