import { type PointerEvent, useContext, useRef, useState } from "react";
import { formatCount } from "../../format";
import { ActionsContext } from "../context";
import { binRange } from "../pictures";
import type { FieldView, ResultFieldsView } from "../protocol";

const BAR = 12;
const HEIGHT = 48;

interface Props {
  groups: readonly ResultFieldsView[];
  /** The input's rows: the histogram's counts are of a sample when they add up to fewer. */
  rows: number;
}

/** A bin edge as a person reads it: 4 significant digits, without an exponent where it fits
 * ("11820", "0.1234"). */
export function edge(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** "J7.particles.ctf" -> the job and output a field's values come from, or null when there is
 * not exactly one (several connections) or it is not the final version ("@v2"). */
export function fieldSource(field: FieldView): { job: string; output: string } | null {
  const [label] = field.sources;
  if (field.sources.length !== 1 || label === undefined || label.includes("@")) return null;
  const [job, output] = label.split(".");
  return job && output ? { job, output } : null;
}

/**
 * A numeric field's histogram, larger: drag across bars to see how many particles a range
 * keeps; "Make selection job" makes a job of them (`project.select_particles`) from the output
 * the field's values come from.
 */
export function RangeSelect({ groups, rows }: Props) {
  const { actions, readOnly } = useContext(ActionsContext);
  const fields = groups.flatMap((g) => g.fields).filter((f) => f.histogram !== null);
  const [name, setName] = useState(fields[0]?.name ?? "");
  const [bins, setBins] = useState<[number, number] | null>(null);
  const dragging = useRef<number | null>(null);
  const field = fields.find((f) => f.name === name);
  if (!field?.histogram) return null;
  const histogram = field.histogram;
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  const top = Math.max(1, ...histogram.counts);
  const range = bins ? binRange(histogram, bins[0], bins[1]) : null;
  const sampled = total < rows;
  const kept = range ? Math.round((range.count * rows) / Math.max(1, total)) : 0;
  const source = fieldSource(field);

  const bin = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const at = Math.floor(((event.clientX - box.left) / box.width) * histogram.counts.length);
    return Math.max(0, Math.min(histogram.counts.length - 1, at));
  };
  const make = async () => {
    if (!range || !source) return;
    const last = bins && Math.max(...bins) === histogram.counts.length - 1;
    const first = bins && Math.min(...bins) === 0;
    await actions.command({
      op: "select_particles",
      job: source.job,
      output: source.output,
      field: field.name,
      low: first ? null : range.low,
      high: last ? null : range.high,
    });
  };

  return (
    <section
      className="cw-range-select"
      data-testid="range-select"
      aria-label="Select by a field's range"
    >
      <div className="cw-gallery-bar">
        <span className="cw-muted">Select by</span>
        <select
          data-testid="range-field"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setBins(null);
          }}
        >
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      </div>
      <svg
        className="cw-range-bars"
        data-testid="range-histogram"
        width={histogram.counts.length * BAR}
        height={HEIGHT}
        role="img"
        aria-label={`${field.name}: drag across bars to choose a range`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          dragging.current = bin(event);
          setBins([dragging.current, dragging.current]);
        }}
        onPointerMove={(event) => {
          if (dragging.current !== null) setBins([dragging.current, bin(event)]);
        }}
        onPointerUp={() => {
          dragging.current = null;
        }}
      >
        {histogram.counts.map((count, i) => {
          const height = count === 0 ? 0 : Math.max(1, (count / top) * HEIGHT);
          const chosen = bins !== null && i >= Math.min(...bins) && i <= Math.max(...bins);
          return (
            <rect
              // biome-ignore lint/suspicious/noArrayIndexKey: bins are positions
              key={i}
              x={i * BAR}
              y={HEIGHT - height}
              width={BAR - 1}
              height={height}
              data-chosen={chosen}
            />
          );
        })}
      </svg>
      <div className="cw-gallery-bar">
        <span className="cw-muted" data-testid="range-kept">
          {range
            ? `${edge(range.low)} to ${edge(range.high)}: ${sampled ? "about " : ""}${formatCount(kept)} of ${formatCount(rows)} particles`
            : `${edge(histogram.low)} to ${edge(histogram.high)}: drag across the bars`}
        </span>
        <span className="cw-spacer" />
        <button
          type="button"
          className="cw-button cw-button-primary"
          data-testid="range-make-job"
          disabled={readOnly || !range || !source}
          title={source ? "" : "the field's values come from more than one output"}
          onClick={make}
        >
          Make selection job
        </button>
      </div>
    </section>
  );
}
