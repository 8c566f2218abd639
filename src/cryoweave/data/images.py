"""Pixels of the MRC files that datasets name: particle frames, micrographs and volumes.

A particle's image is frame ``blob/idx`` of the stack ``blob/path``, of shape
``blob/shape`` (``(ny, nx)``); a micrograph's is ``micrograph_blob/path`` (one frame), and
any other image result follows the same ``<slot>/path``, ``<slot>/idx``, ``<slot>/shape``
pattern. Files are opened with ``mrcfile`` memory-mapped, once per file for any number of
rows, and only the frames asked are read: a page of 64 tiles out of a million particles
touches 64 frames, never a whole stack.

Where a path leads is for the caller to say (``locate``): this layer knows no project.
Every refusal is an ``ImageRefused`` naming the file and the reason.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import mrcfile  # type: ignore[import-untyped]
import numpy as np

from .files import FileRefused, open_regular

Locate = Callable[[str], Path]
"""Where the file a dataset names is (relative paths start from the project)."""
Rows = range | slice | Sequence[int] | np.ndarray | None
"""Which rows: ``None`` for all, a ``range``, a ``slice``, integer indices or a boolean mask."""


class ImageRefused(FileRefused):
    """An image file cannot give what a dataset says it holds: not an MRC file, a frame
    past the end of its stack, a shape that disagrees with the dataset's. The message
    names the file and the reason."""


def row_indices(rows: Rows, n: int) -> np.ndarray:
    """``rows`` as an array of row numbers in ``0..n-1`` (in the order given).

    Examples
    --------
    >>> row_indices(slice(1, None, 2), 6).tolist()
    [1, 3, 5]
    >>> row_indices(np.array([True, False, True]), 3).tolist()
    [0, 2]

    Raises
    ------
    IndexError
        A row past the end (or before the start), or a mask of the wrong length.
    """
    if rows is None:
        return np.arange(n)
    if isinstance(rows, slice):
        return np.arange(n)[rows]
    index = np.asarray(rows)
    if index.dtype == bool:
        if index.shape != (n,):
            raise IndexError(f"a mask of rows needs {n} booleans, got shape {index.shape}")
        return np.flatnonzero(index)
    if index.size == 0:
        return np.zeros(0, np.intp)
    if index.dtype.kind not in "iu" or index.ndim != 1:
        raise IndexError(f"rows must be integers or a mask, got {index.dtype} {index.shape}")
    if index.min() < -n or index.max() >= n:
        raise IndexError(f"rows reach {index.max()} or {index.min()}, but there are {n} rows")
    return np.where(index < 0, index + n, index).astype(np.intp)


def read_frames(
    paths: np.ndarray,
    frames: np.ndarray,
    shapes: np.ndarray | None,
    locate: Locate = Path,
) -> np.ndarray:
    """The frames ``frames[i]`` of the files ``paths[i]``, as float32 ``(n, ny, nx)`` in
    row order; each file is opened once (memory-mapped), and only the frames asked are read.

    Parameters
    ----------
    paths
        One path per row, as the dataset holds it (``J5/extract/..._particles.mrc``).
    frames
        One frame number per row (``blob/idx``); a file of one image has frame 0 only.
    shapes
        ``(n, 2)`` expected ``(ny, nx)`` per row (``blob/shape``), or None not to check.
    locate
        Where a path is (``Project.locate`` refuses paths leaving the project).

    Examples
    --------
    >>> stack = read_frames(ds.strings("blob/path"), ds["blob/idx"], ds["blob/shape"])
    ... # doctest: +SKIP

    Raises
    ------
    ImageRefused
        A file that is not MRC, a frame past the end of its stack, a frame shape that
        disagrees with ``shapes``, or rows of different shapes.
    FileRefused
        A missing file (``FileMissing``), or one that is not a regular file.
    """
    n = len(paths)
    if n == 0:
        return np.zeros((0, 0, 0), np.float32)
    names, inverse = np.unique(np.asarray(paths).astype(str), return_inverse=True)
    frames = np.asarray(frames, np.int64)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(names) + 1))
    out: np.ndarray | None = None
    for k, name in enumerate(names):
        rows = order[bounds[k] : bounds[k + 1]]
        with _open(name, locate) as (path, mrc):
            data = _frames_of(path, mrc)
            wanted = frames[rows]
            _check_frames(path, wanted, data.shape[0])
            if shapes is not None:
                _check_shape(path, data.shape[1:], np.asarray(shapes)[rows])
            if out is None:
                out = np.empty((n, *data.shape[1:]), np.float32)
            elif out.shape[1:] != data.shape[1:]:
                raise ImageRefused(
                    path,
                    f"holds {_size(data.shape[1:])} frames, but the rows asked before it are "
                    f"{_size(out.shape[1:])}: rows of one picture must share a shape",
                )
            # Frames in file order: a memory map is read ahead best forwards.
            ascending = np.argsort(wanted, kind="stable")
            out[rows[ascending]] = data[wanted[ascending]]
    assert out is not None
    return out


def read_volume(path: str, shape: Sequence[int] | None = None, locate: Locate = Path) -> np.ndarray:
    """The volume in ``path`` as float32 ``(nz, ny, nx)``; with ``shape`` (``map/shape``),
    refused unless the file holds that shape.

    Raises
    ------
    ImageRefused
        Not an MRC file, not a volume, or of another shape than ``shape``.
    FileRefused
        A missing file (``FileMissing``), or one that is not a regular file.
    """
    with _open(path, locate) as (where, mrc):
        data = mrc.data
        if data is None or data.ndim != 3:
            found = "no data" if data is None else f"a {data.ndim}D image"
            raise ImageRefused(where, f"is not a volume: it holds {found}")
        if shape is not None and tuple(int(s) for s in shape) != data.shape:
            raise ImageRefused(
                where,
                f"holds a volume of {_size(data.shape)}, but the dataset says {_size(shape)}",
            )
        return np.asarray(data, np.float32)


class _open:
    """``with _open(name, locate) as (path, mrc)``: the located file, memory-mapped."""

    def __init__(self, name: str, locate: Locate) -> None:
        self.path = locate(name)
        self.mrc: Any = None

    def __enter__(self) -> tuple[Path, Any]:
        # A named pipe or a folder is refused before mrcfile opens it (an open would wait).
        open_regular(self.path).close()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # strict mode raises on what matters
                # A str, not a Path: mrcfile handles one faster (pathlib's parsing per file).
                self.mrc = mrcfile.mmap(str(self.path), mode="r")
        except (ValueError, OSError, EOFError) as err:
            raise ImageRefused(self.path, f"is not an MRC file that can be read ({err})") from None
        return self.path, self.mrc

    def __exit__(self, *_: object) -> None:
        self.mrc.close()


def _frames_of(path: Path, mrc: Any) -> np.ndarray:
    """The file's data as frames ``(count, ny, nx)``: one image is one frame."""
    data = mrc.data
    if data is None or data.ndim not in (2, 3):
        found = "no data" if data is None else f"data of {data.ndim} dimensions"
        raise ImageRefused(path, f"holds {found}, not images")
    frames: np.ndarray = data if data.ndim == 3 else data[np.newaxis]
    return frames


def _check_frames(path: Path, wanted: np.ndarray, count: int) -> None:
    bad = wanted[(wanted < 0) | (wanted >= count)]
    if bad.size:
        raise ImageRefused(
            path, f"holds {count} frame(s), but frame {int(bad[0])} is asked (blob/idx)"
        )


def _check_shape(path: Path, frame: tuple[int, ...], expected: np.ndarray) -> None:
    expected = expected.reshape(len(expected), -1)
    if expected.shape[1] != len(frame):
        expected = expected[:, -len(frame) :]
    wrong = np.any(expected != np.asarray(frame), axis=1)
    if wrong.any():
        said = tuple(int(s) for s in expected[np.flatnonzero(wrong)[0]])
        raise ImageRefused(
            path, f"holds frames of {_size(frame)}, but the dataset says {_size(said)} (shape)"
        )


def _size(shape: Sequence[int]) -> str:
    return " x ".join(str(int(s)) for s in shape) + " px"


__all__ = ["ImageRefused", "Locate", "Rows", "read_frames", "read_volume", "row_indices"]
