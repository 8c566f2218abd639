import { formatCell } from "../format";
import { cellAt, type DecodedColumn } from "../rows";

/** One page of a resolved input's rows. */
export function RowsTable({
  columns,
  offset,
  count,
}: {
  columns: readonly DecodedColumn[];
  offset: number;
  count: number;
}) {
  const rows = Array.from({ length: count }, (_, i) => i);
  return (
    <div className="cw-table-scroll">
      <table className="cw-rows" data-testid="preview-table">
        <thead>
          <tr>
            <th className="cw-row-index">#</th>
            {columns.map((column) => (
              <th key={column.name} title={column.kind}>
                {column.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={offset + row}>
              <td className="cw-row-index">{offset + row}</td>
              {columns.map((column) => (
                <td key={column.name} data-kind={column.kind}>
                  {formatCell(cellAt(column, row), column.kind)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
