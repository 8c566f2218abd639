"""Fixed-length byte strings: the CSDAT string heap, decoding, exported paths.

In memory, string columns stay fixed-length bytes (``|S<n>``, ``n`` = longest + 1,
as CryoSPARC writes them). Every conversion here is vectorised over the distinct
values of a column, never a Python loop over rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CsFormatError, DatasetError

Array = np.ndarray[Any, np.dtype[Any]]


def strings_from_heap(offsets: Array, heap: Array, path: str | None, field: str) -> Array:
    """Turn u64 offsets into a NUL-terminated UTF-8 heap into an ``|S<n>`` column."""
    if len(offsets) == 0:
        return np.zeros(0, "S1")
    if len(heap) == 0:
        raise CsFormatError(path, f"field {field!r} has strings but the string heap is empty")
    distinct, inverse = np.unique(offsets, return_inverse=True)
    if distinct[-1] >= len(heap):
        raise CsFormatError(
            path,
            f"field {field!r}: string offset {int(distinct[-1])} is outside the "
            f"{len(heap)}-byte string heap",
        )
    nul_positions = np.flatnonzero(heap == 0)
    end_index = np.searchsorted(nul_positions, distinct)
    if end_index[-1] >= len(nul_positions):
        raise CsFormatError(
            path, f"field {field!r}: the string at offset {int(distinct[-1])} has no NUL terminator"
        )
    lengths = nul_positions[end_index] - distinct
    width = int(lengths.max()) + 1
    padded = np.concatenate([heap, np.zeros(width, np.uint8)])
    table = np.lib.stride_tricks.sliding_window_view(padded, width)[distinct]
    table[np.arange(width) >= lengths[:, None]] = 0
    column: Array = table.view(f"S{width}").reshape(-1)[inverse]
    return column


def check_heap_utf8(heap: Array, path: str | None) -> None:
    """Every heap string must be UTF-8; NUL separators are ASCII, so one decode checks all."""
    try:
        heap.tobytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise CsFormatError(
            path, f"the string heap is not valid UTF-8 (bad byte at heap offset {err.start})"
        ) from None


class HeapBuilder:
    """Collects the distinct strings of one or more columns into a CSDAT heap."""

    def __init__(self) -> None:
        self._pieces: list[Array] = [np.zeros(1, np.uint8)]  # offset 0 is ""
        self._size = 1

    def add_column(self, column: Array, field: str) -> Array:
        """Add the strings of an ``|S<n>`` column; return its u64 heap offsets."""
        offsets = np.zeros(len(column), np.uint64)
        if len(column) == 0:
            return offsets
        distinct, inverse = np.unique(column, return_inverse=True)
        width = distinct.dtype.itemsize
        lengths = np.strings.str_len(distinct)
        chars = np.zeros((len(distinct), width + 1), np.uint8)
        chars[:, :width] = distinct.view(np.uint8).reshape(-1, width)
        inside = np.arange(width + 1) < lengths[:, None]
        if (chars[inside] == 0).any():
            raise DatasetError(f"field {field!r} holds a string with an embedded NUL byte")
        # Each string followed by its terminator, laid out row after row.
        packed = chars[np.arange(width + 1) <= lengths[:, None]]
        try:
            packed.tobytes().decode("utf-8")
        except UnicodeDecodeError:
            raise DatasetError(f"field {field!r} holds bytes that are not UTF-8") from None
        starts = self._size + np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
        starts[lengths == 0] = 0
        self._pieces.append(packed)
        self._size += len(packed)
        offsets[:] = starts[inverse]
        return offsets

    def heap(self) -> bytes:
        return np.concatenate(self._pieces).tobytes()


def decode(column: Array, field: str = "", path: str | None = None) -> Array:
    """Decode an ``|S<n>`` column to a numpy ``str`` array (UTF-8)."""
    try:
        return np.strings.decode(column, "utf-8")
    except UnicodeDecodeError as err:
        raise CsFormatError(
            path, f"field {field!r} holds bytes that are not UTF-8 ({err})"
        ) from None


def resolve_exported_paths(paths: Array, project_dir: str | os.PathLike[str]) -> Array:
    """Resolve CryoSPARC's ``>``-relative paths against a project directory.

    CryoSPARC exports paths such as ``>J12/extract/mic_particles.mrc``, meaning
    "relative to the project directory". Other paths are returned unchanged.

    Examples
    --------
    >>> resolve_exported_paths(np.array([">J1/a.mrc", "/abs/b.mrc"]), "/data/P3")
    array(['/data/P3/J1/a.mrc', '/abs/b.mrc'], dtype='<U17')
    """
    text = paths if paths.dtype.kind == "U" else decode(paths)
    relative = np.strings.startswith(text, ">")
    prefix = str(Path(project_dir)) + os.sep
    joined = np.strings.add(prefix, np.strings.slice(text, 1, None))
    return np.where(relative, joined, text)
