"""Inner joins on ``uid`` and appends of structured arrays, without row loops.

Rows are matched with a hash table of the first input's uids (``uid_match``).
Records are then copied as runs of bytes: the fields one input contributes to
the output usually sit side by side in both records, so each input costs one
gather of its rows, whatever its number of fields. Output rows are filled a
block at a time, every input's fields for one block before the next, so each
block is still in the CPU's cache when the next input's fields land in it.
Large joins spread the lookups and the copies over threads (``threads``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .errors import DatasetError
from .threads import parallel_map, split
from .uid_match import UidTable, has_repeats, matching_rows

Array = np.ndarray[Any, np.dtype[Any]]

# Output rows filled per block: a block of every input's rows fits in cache.
_BLOCK_BYTES = 1 << 20


def innerjoin_arrays(arrays: Sequence[Array], labels: Sequence[str]) -> Array:
    """Rows whose uid is in every input, in the first input's order.

    Fields of later inputs are added; a field present in several inputs takes its
    values from the last of them, as in cryosparc-tools.
    """
    dtype, sources = _join_plan(arrays, labels)
    rows = _join_rows(arrays, labels)
    out = np.empty(len(arrays[0]) if rows[0] is None else len(rows[0]), dtype)
    copies = [
        copy
        for i, (array, take) in enumerate(zip(arrays, rows, strict=True))
        for copy in _copies(out, array, [n for n in dtype.names or () if sources[n] == i], take)
    ]
    block = max(_BLOCK_BYTES // max(dtype.itemsize, 1), 1)

    def fill(part: tuple[int, int]) -> None:
        for start in range(part[0], part[1], block):
            stop = min(start + block, part[1])
            for copy in copies:
                copy(start, stop)

    parallel_map(fill, split(len(out)), len(out))
    return out


def append_arrays(arrays: Sequence[Array], labels: Sequence[str], repeat_allowed: bool) -> Array:
    """Rows of every input, in order; fields must match (strings may differ in width)."""
    dtype = _append_dtype(arrays, labels)
    if not repeat_allowed:
        _refuse_repeated_uids(arrays, labels)
    out = np.empty(sum(len(a) for a in arrays), dtype)
    steps = []
    start = 0
    for array in arrays:
        steps += _copy_steps(out[start : start + len(array)], array, dtype.names or (), len(out))
        start += len(array)
    parallel_map(lambda step: step[0](*step[1]), steps, len(out))
    return out


def copy_fields(out: Array, source: Array, names: Sequence[str]) -> None:
    """``out[name] = source[name]`` for each name (the same rows), as runs of bytes.

    Fields side by side in both records are copied together, so a 50-field record is
    read in a few passes rather than 50; a field whose dtype differs (a string
    widened) is assigned by numpy. Large copies are spread over threads.
    """
    steps = _copy_steps(out, source, names, len(out))
    parallel_map(lambda step: step[0](*step[1]), steps, len(out))


def _copy_steps(
    out: Array, source: Array, names: Sequence[str], work: int
) -> list[tuple[_Copy, tuple[int, int]]]:
    """The copies of ``copy_fields``, each split into row ranges for the threads."""
    return [
        (copy, bounds)
        for copy in _copies(out, source, list(names), None)
        for bounds in split(len(source), work)
    ]


_Copy = Callable[[int, int], None]


def _copies(out: Array, array: Array, names: list[str], take: Array | None) -> list[_Copy]:
    """Steps that set ``out[name][start:stop] = array[name][take][start:stop]`` for
    each name (``take`` None: the same rows), copying raw bytes.

    numpy's structured assignment converts field by field, many times slower than
    copying the bytes of adjacent fields together.
    """
    copies: list[_Copy] = []
    for src_offset, out_offset, width, typed in _runs(array.dtype, out.dtype, names):
        if typed is not None:  # a string widened to the output's width
            target, source = out[typed], array[typed]
        else:
            target = _bytes_view(out, out_offset, width)
            source = _bytes_view(array, src_offset, width)
        copies.append(_copy_rows(target, source, take))
    return copies


def _copy_rows(target: Array, source: Array, take: Array | None) -> _Copy:
    if take is None:

        def copy(start: int, stop: int) -> None:
            target[start:stop] = source[start:stop]

    else:

        def copy(start: int, stop: int) -> None:
            target[start:stop] = source[take[start:stop]]

    return copy


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
        # One table, of the first input's uids, serves every lookup.
        table = UidTable(first, labels[0])
        for i in unaligned:
            matches[i] = matching_rows(table, arrays[i]["uid"], labels[i])
    present = [m >= 0 for m in matches if m is not None]
    if not present or all(p.all() for p in present):
        return matches
    keep = np.flatnonzero(np.logical_and.reduce(present))
    return [keep if m is None else m[keep] for m in matches]


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
    uids = np.concatenate([a["uid"] for a in arrays])
    if not has_repeats(uids):
        return
    ordered = np.sort(uids)  # only to say how many repeat, and where
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    uid = repeated[0]
    holders = [label for a, label in zip(arrays, labels, strict=True) if (a["uid"] == uid).any()]
    raise DatasetError(
        f"cannot append: {len(repeated)} uid(s) repeat, e.g. uid {int(uid)} in "
        f"{' and '.join(holders)}; pass repeat_allowed=True if repeats are intended"
    )
