import { formatDtype, pluralize } from "../../format";
import type { Histogram, ResultFieldsView } from "../protocol";

const BAR_WIDTH = 4;
const HEIGHT = 14;

/** A field's distribution as small bars, its range in the tooltip. */
export function Sparkbars({ histogram, name }: { histogram: Histogram; name: string }) {
  const top = Math.max(1, ...histogram.counts);
  const width = histogram.counts.length * BAR_WIDTH;
  return (
    <svg
      className="cw-sparkbars"
      data-testid={`histogram-${name}`}
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label={`${name}: ${histogram.low} to ${histogram.high}`}
    >
      <title>{`${histogram.low.toPrecision(4)} … ${histogram.high.toPrecision(4)}`}</title>
      {histogram.counts.map((count, i) => {
        const height = count === 0 ? 0 : Math.max(1, (count / top) * HEIGHT);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bins are positions
            key={i}
            x={i * BAR_WIDTH}
            y={HEIGHT - height}
            width={BAR_WIDTH - 1}
            height={height}
          />
        );
      })}
    </svg>
  );
}

function fieldName(prefix: string, name: string): string {
  return prefix && name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : name;
}

/** The resolved input's fields grouped by result, each with where its values come from. */
export function FieldGroups({ groups }: { groups: readonly ResultFieldsView[] }) {
  return (
    <div className="cw-field-groups" data-testid="preview-fields">
      {groups.map((group) => {
        const sources = [...new Set(group.fields.flatMap((field) => field.sources))];
        return (
          <details
            key={group.prefix}
            className="cw-field-group"
            data-testid={`preview-group-${group.prefix || "uid"}`}
          >
            <summary>
              <span className="cw-field-prefix">{group.prefix || "uid"}</span>
              <span className="cw-muted">{pluralize(group.fields.length, "field")}</span>
              <span className="cw-provenance" title="Where these values come from">
                {sources.join(", ")}
              </span>
            </summary>
            <table className="cw-field-table">
              <tbody>
                {group.fields.map((field) => (
                  <tr key={field.name}>
                    <td className="cw-mono">{fieldName(group.prefix, field.name)}</td>
                    <td className="cw-muted">{formatDtype(field.dtype, field.shape)}</td>
                    <td>
                      {field.histogram && (
                        <Sparkbars histogram={field.histogram} name={field.name} />
                      )}
                    </td>
                    <td className="cw-provenance">{field.sources.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        );
      })}
    </div>
  );
}
