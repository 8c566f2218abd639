import { useEffect, useState } from "react";
import { pluralize } from "../../format";
import type { RequestClient } from "../client";
import type { InputRef } from "../context";
import { pageLabel } from "../format";
import type { PreviewReply } from "../protocol";
import { type DecodedColumn, decodeColumns } from "../rows";
import { FieldGroups } from "./FieldGroups";
import { Pager } from "./Pager";
import { RangeSelect } from "./RangeSelect";
import { RowsTable } from "./RowsTable";

export const PAGE_SIZE = 25;

interface Page {
  offset: number;
  count: number;
  total: number;
  columns: DecodedColumn[];
}

type Loaded<T> =
  | { state: "loading" }
  | { state: "error"; error: string }
  | { state: "ok"; value: T };

interface Props {
  client: RequestClient;
  selection: InputRef;
  /** The graph's revision: a new one re-resolves the input, which may have changed. */
  revision: number;
}

/**
 * The inspector's preview: what a building job's input resolves to (rows, fields by result with
 * their provenance, a histogram per numeric field), and its rows a page at a time. Keyed by job
 * and input where it is used, so that choosing another input starts again at row 0.
 */
export function PreviewSection({ client, selection, revision }: Props) {
  const { job, input } = selection;
  const [preview, setPreview] = useState<Loaded<PreviewReply>>({ state: "loading" });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Loaded<Page>>({ state: "loading" });

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision means new contents
  useEffect(() => {
    let live = true;
    setPreview({ state: "loading" });
    client.request({ type: "preview", job, input }).then(
      ({ reply }) => live && setPreview({ state: "ok", value: reply }),
      (error: Error) => live && setPreview({ state: "error", error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, job, input, revision]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision means new contents
  useEffect(() => {
    let live = true;
    setPage((old) => (old.state === "ok" ? old : { state: "loading" }));
    client.request({ type: "rows", job, input, offset, limit: PAGE_SIZE }).then(
      ({ reply, buffers }) => {
        if (!live) return;
        try {
          const columns = decodeColumns(reply.columns, buffers, reply.count);
          setPage({
            state: "ok",
            value: { offset: reply.offset, count: reply.count, total: reply.total, columns },
          });
        } catch (error) {
          setPage({ state: "error", error: (error as Error).message });
        }
      },
      (error: Error) => live && setPage({ state: "error", error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, job, input, offset, revision]);

  const total = page.state === "ok" ? page.value.total : 0;
  return (
    <section className="cw-preview-section" data-testid="preview" aria-label="Input preview">
      {preview.state === "loading" && <div className="cw-muted">Resolving…</div>}
      {preview.state === "error" && (
        <div className="cw-preview-error" data-testid="preview-error">
          {preview.error}
        </div>
      )}
      {preview.state === "ok" && (
        <>
          <div className="cw-preview-rows" data-testid="preview-rows">
            {pluralize(preview.value.rows, "row")}
          </div>
          <FieldGroups groups={preview.value.groups} />
          <RangeSelect groups={preview.value.groups} rows={preview.value.rows} />
        </>
      )}
      {page.state === "error" && preview.state !== "error" && (
        <div className="cw-preview-error">{page.error}</div>
      )}
      {page.state === "ok" && (
        <>
          <Pager
            testId="preview"
            offset={offset}
            step={PAGE_SIZE}
            total={total}
            onMove={setOffset}
            previous="‹ Previous"
            next="Next ›"
          >
            {pageLabel(page.value.offset, page.value.count, total)}
          </Pager>
          <RowsTable
            columns={page.value.columns}
            offset={page.value.offset}
            count={page.value.count}
          />
        </>
      )}
    </section>
  );
}
