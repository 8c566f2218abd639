"""Inner joins on ``uid`` and appends of structured arrays, without row loops.

Rows are matched with a hash table of the first input's uids (``uid_match``).
Records are then copied as runs of bytes: the fields one input contributes to
the output usually sit side by side in both records, so each input costs one
gather of its rows, whatever its number of fields. Large joins spread the
lookups and the copies over threads (numpy releases the GIL in both).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

import numpy as np

from .errors import DatasetError
from .uid_match import UidTable, matching_rows

Array = np.ndarray[Any, np.dtype[Any]]

_CHUNK_BYTES = 1 << 18
# Below this many rows, handing work to threads costs more than it saves.
_PARALLEL_ROWS = 1 << 16

T = TypeVar("T")
R = TypeVar("R")


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="cryoweave-join")


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _map(fn: Callable[[T], R], items: Iterable[T], rows: int) -> list[R]:
    """``[fn(item) for item in items]``, on threads when the work is large.

    numpy releases the GIL in gathers, scatters and comparisons, so a join uses
    every core for its memory-bound steps.
    """
    if rows < _PARALLEL_ROWS or _workers() == 1:
        return [fn(item) for item in items]
    return list(_pool().map(fn, items))


def innerjoin_arrays(arrays: Sequence[Array], labels: Sequence[str]) -> Array:
    """Rows whose uid is in every input, in the first input's order.

    Fields of later inputs are added; a field present in several inputs takes its
    values from the last of them, as in cryosparc-tools.
    """
    dtype, sources = _join_plan(arrays, labels)
    rows = _join_rows(arrays, labels)
    out = np.empty(len(arrays[0]) if rows[0] is None else len(rows[0]), dtype)
    fields = [
        [name for name in dtype.names or () if sources[name] == i] for i in range(len(arrays))
    ]

    def copy_rows(bounds: tuple[int, int]) -> None:
        start, stop = bounds
        for array, names, take in zip(arrays, fields, rows, strict=True):
            if take is None:
                _copy_fields(out[start:stop], array[start:stop], names, None)
            else:
                _copy_fields(out[start:stop], array, names, take[start:stop])

    _map(copy_rows, _split(len(out), _workers()), len(out))
    return out


def _split(size: int, parts: int) -> list[tuple[int, int]]:
    edges = np.linspace(0, size, parts + 1).astype(int)
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


def append_arrays(arrays: Sequence[Array], labels: Sequence[str], repeat_allowed: bool) -> Array:
    """Rows of every input, in order; fields must match (strings may differ in width)."""
    dtype = _append_dtype(arrays, labels)
    if not repeat_allowed:
        _refuse_repeated_uids(arrays, labels)
    out = np.empty(sum(len(a) for a in arrays), dtype)
    start = 0
    for array in arrays:
        _copy_fields(out[start : start + len(array)], array, list(dtype.names or ()), None)
        start += len(array)
    return out


def _copy_fields(out: Array, array: Array, names: list[str], take: Array | None) -> None:
    """``out[name] = array[name][take]`` for each name, as runs of raw bytes.

    numpy's structured assignment converts field by field, many times slower than
    copying the bytes of adjacent fields together.
    """
    for src_offset, out_offset, width, typed in _runs(array.dtype, out.dtype, names):
        if typed is not None:  # a string widened to the output's width
            out[typed] = array[typed] if take is None else array[typed][take]
            continue
        target = _bytes_view(out, out_offset, width)
        source = _bytes_view(array, src_offset, width)
        if take is None:
            target[...] = source
        else:
            _gather(target, source, take)


def _join_plan(
    arrays: Sequence[Array], labels: Sequence[str]
) -> tuple[np.dtype[Any], dict[str, int]]:
    fields: dict[str, np.dtype[Any]] = {}
    first_seen: dict[str, int] = {}
    sources: dict[str, int] = {}
    problems = []
    for i, array in enumerate(arrays):
        for name in array.dtype.names or ():
            field = array.dtype[name]
            if name in fields and field != fields[name]:
                if field.kind == fields[name].kind == "S":
                    field = max(field, fields[name], key=lambda d: d.itemsize)
                else:
                    problems.append(
                        f"field {name!r} is {field.str} in {labels[i]} "
                        f"but {fields[name].str} in {labels[first_seen[name]]}"
                    )
                    continue
            first_seen.setdefault(name, i)
            fields[name] = field
            sources[name] = 0 if name == "uid" else i
    if problems:
        raise DatasetError("cannot join: " + "; ".join(problems))
    return np.dtype(list(fields.items())), sources


def _join_rows(arrays: Sequence[Array], labels: Sequence[str]) -> list[Array | None]:
    """Per input, the rows to take (None: the first input's rows, all of them)."""
    first = arrays[0]["uid"]
    # Fast path: an input whose uids equal the first's needs no matching.
    unaligned = [
        i
        for i, array in enumerate(arrays[1:], start=1)
        if not (len(array) == len(first) and np.array_equal(array["uid"], first))
    ]
    matches: list[Array | None] = [None] * len(arrays)
    if unaligned:
        # One table, of the first input's uids, serves every lookup: it and the
        # uids it checks against stay in the CPU's cache while the others probe it.
        table = UidTable(first, labels[0])
        found = _map(
            lambda i: matching_rows(table, arrays[i]["uid"], len(first), labels[i]),
            unaligned,
            len(first),
        )
        for i, rows in zip(unaligned, found, strict=True):
            matches[i] = rows
    present = [m >= 0 for m in matches if m is not None]
    if not present or all(p.all() for p in present):
        return matches
    keep = np.flatnonzero(np.logical_and.reduce(present))
    return [keep if m is None else m[keep] for m in matches]


def _gather(target: Array, source: Array, rows: Array) -> None:
    """``target[...] = source[rows]`` in cache-sized chunks, so the gathered rows are
    still in cache when copied into the (strided) target."""
    step = max(_CHUNK_BYTES // max(source.itemsize, 1), 1)
    for start in range(0, len(rows), step):
        target[start : start + step] = source[rows[start : start + step]]


def _runs(
    source: np.dtype[Any], target: np.dtype[Any], names: list[str]
) -> list[tuple[int, int, int, str | None]]:
    """Group fields into (source offset, target offset, width, None) byte runs.

    A field whose dtype differs between source and target (a narrower string) is
    its own run, ``(0, 0, 0, name)``, copied with numpy's typed assignment.
    """
    runs: list[tuple[int, int, int, str | None]] = []
    for name in names:
        field, src_offset = source.fields[name][:2]  # type: ignore[index]
        out_field, out_offset = target.fields[name][:2]  # type: ignore[index]
        if field != out_field:
            runs.append((0, 0, 0, name))
            continue
        if runs and runs[-1][3] is None:
            s, o, w, _ = runs[-1]
            if s + w == src_offset and o + w == out_offset:
                runs[-1] = (s, o, w + field.itemsize, None)
                continue
        runs.append((src_offset, out_offset, field.itemsize, None))
    return runs


def _bytes_view(array: Array, offset: int, width: int) -> Array:
    """A view of bytes ``offset:offset+width`` of every record, as one void field."""
    dtype = np.dtype(
        {"names": ["b"], "formats": [f"V{width}"], "offsets": [offset], "itemsize": array.itemsize}
    )
    return array.view(dtype)["b"]


def _append_dtype(arrays: Sequence[Array], labels: Sequence[str]) -> np.dtype[Any]:
    first = arrays[0].dtype
    names = list(first.names or ())
    fields = {name: first[name] for name in names}
    problems = []
    for array, label in zip(arrays[1:], labels[1:], strict=True):
        other = array.dtype
        missing = [n for n in names if n not in (other.names or ())]
        extra = [n for n in other.names or () if n not in fields]
        if missing:
            problems.append(f"{label} lacks {missing}")
        if extra:
            problems.append(f"{label} has extra {extra}")
        for name in names:
            if name in missing or other[name] == fields[name]:
                continue
            if other[name].kind == fields[name].kind == "S":
                fields[name] = max(other[name], fields[name], key=lambda d: d.itemsize)
            else:
                problems.append(
                    f"field {name!r} is {other[name].str} in {label} "
                    f"but {first[name].str} in {labels[0]}"
                )
    if problems:
        raise DatasetError("cannot append datasets with different fields: " + "; ".join(problems))
    return np.dtype(list(fields.items()))


def _refuse_repeated_uids(arrays: Sequence[Array], labels: Sequence[str]) -> None:
    uids = np.sort(np.concatenate([a["uid"] for a in arrays]))
    repeated = np.flatnonzero(uids[1:] == uids[:-1])
    if not len(repeated):
        return
    uid = uids[repeated[0]]
    holders = [label for a, label in zip(arrays, labels, strict=True) if (a["uid"] == uid).any()]
    raise DatasetError(
        f"cannot append: {len(repeated)} uid(s) repeat, e.g. uid {int(uid)} in "
        f"{' and '.join(holders)}; pass repeat_allowed=True if repeats are intended"
    )
