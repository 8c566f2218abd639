"""Fixed-length byte strings: the CSDAT string heap, decoding, exported paths.

In memory, string columns stay fixed-length bytes (``|S<n>``, ``n`` = longest + 1,
as CryoSPARC writes them). Every conversion here is vectorised over the distinct
values of a column, never a Python loop over rows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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


def string_heap(
    columns: dict[str, Array], path: str | None = None, long_names: Sequence[str] = ()
) -> tuple[bytes, dict[str, Array]]:
    """Encode ``|S<n>`` columns as one CSDAT string heap and u64 offsets per column.

    The heap starts with ``\\0`` (offset 0 is the empty string), then the field names
    too long for a CSDAT column descriptor (``long_names``, in field order: the reader
    finds them there), then every other distinct string of all columns exactly once, as
    cryosparc-tools expects: it re-interns the heap when reading, so a repeated or spare
    entry would shift the offsets of every string after it.

    Raises
    ------
    CsFormatError
        When a column holds bytes that are not UTF-8, naming the field and ``path``, the
        file the data came from.
    """
    names_b = [name.encode() for name in long_names]
    names = b"".join(name + b"\0" for name in names_b)
    if not columns:
        return b"\0" + names, {}
    # An |S0 field (every value empty) still takes one byte per string here.
    width = max(1, *(c.dtype.itemsize for c in columns.values()), *(len(n) for n in names_b))
    distinct = {name: np.unique(column, return_inverse=True) for name, column in columns.items()}
    for name, (values, _) in distinct.items():
        try:
            np.strings.decode(values, "utf-8")
        except UnicodeDecodeError:
            decode(columns[name], name, path)  # raises, naming the first row that is not
    every = [values.astype(f"S{width}") for values, _ in distinct.values()]
    strings = np.unique(np.concatenate(every))
    named = np.array(names_b, f"S{width}")
    strings = strings[(strings != b"") & ~np.isin(strings, named)]
    lengths = np.strings.str_len(strings)
    chars = np.zeros((len(strings), width + 1), np.uint8)
    chars[:, :width] = strings.view(np.uint8).reshape(-1, width)
    if (chars[np.arange(width + 1) < lengths[:, None]] == 0).any():
        raise DatasetError("a string field holds a value with an embedded NUL byte")
    # Each string followed by its terminator, laid out one after another.
    packed = chars[np.arange(width + 1) <= lengths[:, None]].tobytes()
    # A value equal to a long field name shares the name's entry (the reader interns).
    sizes = np.concatenate([[len(n) + 1 for n in names_b], lengths + 1]).astype(np.uint64)
    starts = 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.uint64)
    strings = np.concatenate([named, strings])
    order = np.argsort(strings, kind="stable")
    offsets = {}
    for name, (values, inverse) in distinct.items():
        where = np.searchsorted(strings, values.astype(f"S{width}"), sorter=order)
        found = starts[order[np.minimum(where, max(len(order) - 1, 0))]] if len(order) else 0
        offsets[name] = np.where(values == b"", 0, found).astype(np.uint64)[inverse]
    return b"\0" + names + packed, offsets


def decode(column: Array, field: str = "", path: str | None = None) -> Array:
    """Decode an ``|S<n>`` column to a numpy ``str`` array (UTF-8).

    Raises
    ------
    CsFormatError
        When a value is not UTF-8, naming ``path`` (the file the column came from), the
        field and the first row that is not.
    """
    try:
        return np.strings.decode(column, "utf-8")
    except UnicodeDecodeError:
        pass
    values = column.reshape(-1)
    row = next(i for i, value in enumerate(values) if not _is_utf8(value))
    raise not_utf8(path, field, row, values[row])


def not_utf8(path: str | None, field: str, row: int, value: bytes) -> CsFormatError:
    """The error for text that is not UTF-8 in row ``row`` of ``field`` of file ``path``."""
    return CsFormatError(
        path, f"field {field!r} holds text that is not UTF-8 (row {row}: {bytes(value)!r})"
    )


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def resolve_exported_paths(paths: Array, project_dir: str | os.PathLike[str]) -> Array:
    """Resolve CryoSPARC's ``>``-relative paths against a project directory.

    CryoSPARC exports paths such as ``>J12/extract/mic_particles.mrc``, meaning
    "relative to the project directory". Other paths are returned unchanged.

    Examples
    --------
    >>> resolve_exported_paths(np.array([">J1/a.mrc", "/abs/b.mrc"]), "/data/P3")
    array(['/data/P3/J1/a.mrc', '/abs/b.mrc'], dtype='<U19')
    """
    text = paths if paths.dtype.kind in "UT" else decode(paths)
    relative = np.strings.startswith(text, ">")
    prefix = str(Path(project_dir)) + os.sep
    joined = np.strings.add(prefix, np.strings.slice(text, 1, None))
    return np.where(relative, joined, text)


TEXT = np.dtypes.StringDType()
"""numpy's variable-width UTF-8 text: the in-memory form of a dataset's text field."""


def text_of(column: Array, field: str = "", path: str | None = None) -> Array:
    """Decode an ``|S<n>`` column (UTF-8) to ``StringDType`` text of any length.

    Measured on 1,000,000 paths of 59 bytes: 0.15 s (numpy's ``strings.decode`` to
    ``<U`` takes 1.3 s, and a ``<U`` column would cut longer values when assigned).

    Examples
    --------
    >>> text_of(np.array([b"J1/a.mrc", "\\u00e9".encode()]))
    array(['J1/a.mrc', 'é'], dtype=StringDType())

    Raises
    ------
    CsFormatError
        When a value is not UTF-8, naming ``path``, the field and the first such row.
    """
    values = column.reshape(-1)
    width = values.dtype.itemsize
    if width == 0:
        return np.zeros(values.shape, TEXT)
    raw = np.ascontiguousarray(values).view(np.uint8).reshape(-1, width)
    wide = np.flatnonzero((raw >= 0x80).any(axis=1))
    try:
        # numpy's bytes-to-text cast does not always check UTF-8: the rows that are not
        # ASCII are checked by a real decode, once per distinct value.
        np.strings.decode(np.unique(values[wide]), "utf-8")
        return column.astype(TEXT)
    except UnicodeDecodeError:
        pass
    row = next(int(i) for i in wide if not _is_utf8(values[i]))
    raise not_utf8(path, field, row, values[row])


def bytes_of(text: Array) -> Array:
    """Encode text as UTF-8 ``|S<n>``, ``n`` the longest value's bytes + 1 (its NUL).

    This is what CryoSPARC and cryosparc-tools write; no value is cut.

    Examples
    --------
    >>> bytes_of(np.array(["J1/a.mrc", "\u00e9"], TEXT))
    array([b'J1/a.mrc', b'\xc3\xa9'], dtype='|S9')
    """
    text = text.astype(TEXT, copy=False)
    if len(text) == 0:
        return np.zeros(text.shape, "S1")
    try:  # ASCII text: one cast, characters are bytes
        return text.astype(f"S{int(np.strings.str_len(text).max()) + 1}")
    except UnicodeEncodeError:
        encoded = np.strings.encode(text, "utf-8")
    return encoded.astype(f"S{encoded.dtype.itemsize + 1}")
