"""Record layouts of datasets: new uids, fields added or widened, text stored as bytes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import strings
from .joins import copy_fields

Array = np.ndarray[Any, np.dtype[Any]]


def new_uids(size: int, seed: int | None = None) -> Array:
    """``size`` distinct random 64-bit uids, as CryoSPARC makes them."""
    rng = np.random.default_rng(seed)
    uids = rng.integers(0, 2**64 - 1, size, dtype=np.uint64, endpoint=True)
    while len(np.unique(uids)) != size:  # a repeat among 2**64 values is vanishingly rare
        uids = rng.integers(0, 2**64 - 1, size, dtype=np.uint64, endpoint=True)
    return uids


def relaid(array: Array, added: Sequence[tuple[str, Array]] = ()) -> Array:
    """A new packed array: ``array``'s fields then ``added`` (replacing any of the same name).

    Added text values (``str``, ``bytes`` or objects) are stored as UTF-8 bytes as wide
    as the longest.
    """
    new = [(name, stored(value)) for name, value in added]
    names = [n for n in array.dtype.names or () if n not in dict(new)]
    descr: list[tuple[str, Any]] = [(n, array.dtype[n]) for n in names]
    descr += [(n, (v.dtype, v.shape[1:]) if v.ndim > 1 else v.dtype) for n, v in new]
    out = np.empty(len(array) if names else len(new[0][1]), descr)
    copy_fields(out, array, names)
    for name, value in new:
        out[name] = value
    return out


def stored(value: Array) -> Array:
    """Values as a field stores them: text as UTF-8 bytes, numbers as they are."""
    if value.dtype.kind in "OUT" or (value.dtype.kind == "S" and value.ndim == 1):
        return strings.bytes_of(
            value.astype(strings.TEXT) if value.dtype.kind != "S" else strings.text_of(value)
        )
    return value


def packed(array: Array) -> Array:
    """The array with its fields laid out back to back (views may have gaps)."""
    dtype = array.dtype
    layout = np.dtype([(name, dtype[name]) for name in dtype.names or ()])
    if layout == dtype:
        return array
    out = np.empty(len(array), layout)
    copy_fields(out, array, dtype.names or ())
    return out


def labels(datasets: Sequence[Any]) -> list[str]:
    """How errors name each input: its place, and its file when it has one."""
    return [
        f"input {i + 1}" + (f" ({os.path.basename(d.path)})" if d.path else "")
        for i, d in enumerate(datasets)
    ]
