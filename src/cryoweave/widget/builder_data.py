"""The JobBuilder's data requests: a resolved input's fields, pages of its rows, and the
bytes of a saved ``.cs`` file. Rows travel only here, as binary buffers, never in traits.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from ..data.files import open_regular
from ..data.summary import dataset_summary
from ..graph import JobError, Project
from ..graph.model import Version
from ..graph.resolve import Resolved
from .builder_requests import Refused

Reply = dict[str, Any]
Array = np.ndarray[Any, np.dtype[Any]]

MAX_ROWS = 500
"""Rows in one page at most, whatever the front end asks for."""

DOWNLOAD_CHUNK = 8 << 20
"""Bytes of a file in one download reply: a particle stack's ``.cs`` file can be
hundreds of megabytes, which one message would hold in memory on both sides."""

# numpy kind and item size -> the typed array the front end reads a buffer as.
_NUMERIC_KINDS = {
    (kind[0], int(kind[1])): kind
    for kind in ("u8", "i8", "f8", "f4", "u4", "i4", "u2", "i2", "u1", "i1")
}


class InputData:
    """Resolved inputs of one project's jobs, served to the front end.

    The last resolved input is kept, keyed by (job, input, graph revision), so paging
    through its rows resolves it once; any edit of the project starts a new revision.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._last: tuple[tuple[str, str, int], Resolved] | None = None

    def resolved(self, uid: str, input_name: str, revision: int) -> Resolved:
        key = (uid, input_name, revision)
        if self._last is None or self._last[0] != key:
            job = self.project.job(uid)
            self._last = None  # let the previous dataset go before resolving the next
            self._last = key, job.resolve(input_name)
        return self._last[1]

    def preview(self, uid: str, input_name: str, revision: int) -> Reply:
        """``PreviewReply``: the row count, and the fields of each result with their
        sources (one per connection that provides them)."""
        resolved = self.resolved(uid, input_name, revision)
        summary = dataset_summary(resolved.dataset)
        for group in summary["groups"]:
            for field in group["fields"]:
                field["histogram"] = histogram(resolved.dataset.array, field["name"])
                sources = resolved.provenance.get(field["name"], ())
                field["sources"] = [source.label() for source in sources]
        return {"rows": summary["rows"], "groups": summary["groups"]}

    def rows(
        self, uid: str, input_name: str, offset: int, limit: int, revision: int
    ) -> tuple[Reply, list[memoryview]]:
        """``RowsReply``: rows ``offset`` to ``offset + limit`` (at most ``MAX_ROWS``), one
        buffer per column as ``Dataset.to_pandas()`` names them."""
        dataset = self.resolved(uid, input_name, revision).dataset
        total = len(dataset)
        page = dataset.array[min(offset, total) : min(offset + min(limit, MAX_ROWS), total)]
        columns, buffers = encode_columns(page)
        reply = {"offset": offset, "count": len(page), "total": total, "columns": columns}
        return reply, buffers

    def download(
        self, uid: str, output_name: str, result_name: str, version: Version, offset: int
    ) -> tuple[Reply, list[bytes]]:
        """``DownloadReply``: bytes ``offset`` onwards (at most ``DOWNLOAD_CHUNK``) of the
        ``.cs`` file of one saved version of a result, with the file's size and a stamp
        that changes when the file does, so the front end can join the chunks safely."""
        output = self.project.job(uid).state.output(output_name)
        if output is None:
            raise Refused(f"{uid} has no output {output_name!r}")
        result = output.result(result_name)
        if result is None:
            names = ", ".join(r.name for r in output.results) or "none"
            raise Refused(f"{uid}.{output_name} has no result {result_name!r} (results: {names})")
        try:
            metafile = result.metafile(version)
        except KeyError as err:
            raise Refused(f"{uid}: {err.args[0]}") from None
        try:
            path = self.project.locate(metafile)
        except JobError as err:
            raise Refused(f"cannot read {uid}.{output_name}.{result_name}: {err}") from None
        try:
            with open_regular(path) as file:
                stat = os.fstat(file.fileno())
                if offset > stat.st_size:
                    raise Refused(
                        f"offset {offset} is past the end of {path} ({stat.st_size} bytes)"
                    )
                file.seek(offset)
                data = file.read(DOWNLOAD_CHUNK)
        except OSError as err:  # FileRefused (a folder, a named pipe, ...) names the file
            raise Refused(f"cannot read {uid}.{output_name}.{result_name}: {err}") from None
        reply = {
            "filename": path.name,
            "path": str(path),
            "offset": offset,
            "size": stat.st_size,
            "stamp": f"{stat.st_size}:{stat.st_mtime_ns}",
        }
        return reply, [data]


def encode_columns(array: Array) -> tuple[list[dict[str, str]], list[memoryview]]:
    """One ``ColumnView`` and one little-endian buffer per column of a structured array.

    Vector fields are split into ``name/0``, ``name/1``, ... as ``Dataset.to_pandas()``
    does; string fields are sent as in a ``.cs`` file: fixed-width UTF-8 records,
    each padded with zero bytes to the field's width.
    """
    columns: list[dict[str, str]] = []
    buffers: list[memoryview] = []
    for name in array.dtype.names or ():
        values = array[name]
        if values.ndim == 1:
            parts = [(name, values)]
        else:
            flat = values.reshape(len(values), math.prod(values.shape[1:]))
            parts = [(f"{name}/{i}", flat[:, i]) for i in range(flat.shape[1])]
        for column, part in parts:
            kind, data = _encode(column, part)
            columns.append({"name": column, "kind": kind})
            buffers.append(data)
    return columns, buffers


def _encode(name: str, values: Array) -> tuple[str, memoryview]:
    if values.dtype.kind == "S":
        # An |S0 field (all values empty) is sent one zero byte wide: a width of zero is not
        # a fixed-width record the front end can split.
        text = values if values.dtype.itemsize else values.astype("S1")
        return "str", np.ascontiguousarray(text).view(np.uint8).data.cast("B")
    if values.dtype.kind == "b":
        values = values.view(np.uint8)
    elif values.dtype.kind == "f" and values.dtype.itemsize < 4:
        values = values.astype(np.float32)
    kind = _NUMERIC_KINDS.get((values.dtype.kind, values.dtype.itemsize))
    if kind is None:
        raise Refused(f"field {name!r} has dtype {values.dtype}, which cannot be sent as rows")
    little = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    return kind, little.data.cast("B")


# A histogram summarises a field without sending its rows: bin counts only, over at most
# this many rows (evenly strided) so that a million-particle preview stays quick.
HISTOGRAM_BINS = 16
HISTOGRAM_ROWS = 200_000


def histogram(array: np.ndarray[Any, Any], name: str) -> dict[str, Any] | None:
    """``{"counts", "low", "high"}`` of a numeric scalar field's finite values (a strided
    sample of large tables); None for uid, strings, vectors or a field with no finite value."""
    if name == "uid":
        return None
    values = array[name]
    if values.ndim != 1 or values.dtype.kind not in "iuf":
        return None
    if len(values) > HISTOGRAM_ROWS:
        values = values[:: math.ceil(len(values) / HISTOGRAM_ROWS)]
    values = values.astype(np.float64)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None
    low, high = float(values.min()), float(values.max())
    if not high > low:  # one value (in float64's precision): one full bin
        return {"counts": [len(values)], "low": low, "high": high}
    try:
        counts, _ = np.histogram(values, bins=HISTOGRAM_BINS, range=(low, high))
    except ValueError:  # a range too narrow for its magnitude (64-bit ids)
        return None
    return {"counts": counts.tolist(), "low": low, "high": high}
