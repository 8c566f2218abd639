import { formatDtype, pluralize } from "../../format";
import type { ResultFieldsView } from "../protocol";

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
