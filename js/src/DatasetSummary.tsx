import { describeGroup, fieldLabel, formatDtype, pluralize, visibleGroups } from "./format";
import type { GroupSummary, DatasetSummary as Summary } from "./model";
import css from "./styles.css";

function GroupSection({ group }: { group: GroupSummary }) {
  const { title, detail } = describeGroup(group);
  return (
    <section className="cw-group" data-testid={`group-${group.prefix}`}>
      <header className="cw-group-header">
        <h4 className="cw-group-title">{title}</h4>
        <span className="cw-summary-muted">{detail}</span>
      </header>
      <table className="cw-fields">
        <tbody>
          {group.fields.map((field) => (
            <tr key={field.name}>
              <td>{fieldLabel(group.prefix, field)}</td>
              <td className="cw-field-dtype">{formatDtype(field.dtype, field.shape)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DatasetSummary({ summary }: { summary: Partial<Summary> | undefined }) {
  // The trait starts as {} on the Python side until a summary is assigned.
  const groups = visibleGroups(summary?.groups ?? []);
  return (
    <div className="cw-summary" data-testid="dataset-summary">
      <style>{css}</style>
      <header className="cw-summary-header">
        <span className="cw-summary-rows">{pluralize(summary?.rows ?? 0, "row")}</span>
        <span className="cw-summary-path">{summary?.path ?? "in memory"}</span>
        <span className="cw-summary-muted">{pluralize(groups.length, "group")}</span>
      </header>
      <div className="cw-groups">
        {groups.map((group) => (
          <GroupSection key={group.prefix} group={group} />
        ))}
      </div>
    </div>
  );
}
