"""``Dataset``: one table of items keyed by ``uid``, stored as a numpy structured array."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from . import csdat_format, joins, npy_format, strings
from .atomic import atomic_write
from .errors import CsFormatError, DatasetError
from .files import open_regular

if TYPE_CHECKING:
    import pandas as pd

Array = np.ndarray[Any, np.dtype[Any]]
Field = tuple[str, str] | tuple[str, str, tuple[int, ...]]


class Dataset:
    """A table of items: one row per item, one field per ``result/sub-field``.

    Wraps a 1-D numpy structured array with a ``uid`` (``<u8``) field. Field
    access returns views; nothing is copied unless an operation must gather
    rows. Names follow cryosparc-tools (``fields``, ``prefixes``, ``descr``,
    ``filter_prefixes``, ``innerjoin``, ``append``, ``*_many``).

    Examples
    --------
    >>> ds = Dataset.load("J42_particles.cs")      # doctest: +SKIP
    >>> ds["ctf/df1_A"].mean()                     # doctest: +SKIP
    >>> ds.filter_prefixes(["blob", "ctf"]).to_pandas()  # doctest: +SKIP
    """

    __slots__ = ("_array", "path")

    def __init__(self, array: Array, *, path: str | os.PathLike[str] | None = None) -> None:
        if not isinstance(array, np.ndarray) or array.ndim != 1:
            raise DatasetError("a Dataset wraps a 1-D numpy structured array")
        try:
            npy_format.check_record_dtype(None if path is None else os.fspath(path), array.dtype)
        except CsFormatError as err:
            raise DatasetError(err.problem) from None
        self._array = array
        self.path = None if path is None else os.fspath(path)

    # -- construction -------------------------------------------------------------

    @classmethod
    def allocate(cls, size: int, fields: Sequence[Field], *, seed: int | None = None) -> Dataset:
        """A zero-filled dataset of ``size`` rows with new random unique uids."""
        descr = [("uid", "<u8"), *[tuple(f) for f in fields if f[0] != "uid"]]
        array = np.zeros(size, np.dtype(descr))
        array["uid"] = new_uids(size, seed)
        return cls(array)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Dataset:
        """Read a ``.cs`` file in either layout (numpy ``.npy`` or CSDAT).

        A numpy-format file is memory-mapped copy-on-write: opening costs the
        same whatever the file's size, and edits in memory never reach the file.

        Raises
        ------
        CsFormatError
            The file is not a well-formed ``.cs`` file; the message says why.
        FileRefused
            The file is missing (``FileMissing``, also a ``FileNotFoundError``), a folder,
            a named pipe or a device; nothing waits on a pipe.
        """
        path = os.fspath(path)
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            magic = f.read(6)
            f.seek(0)
            if magic == npy_format.NPY_MAGIC:
                array = npy_format.read_npy(path, f, size)
            elif magic == csdat_format.CSDAT_MAGIC:
                array = csdat_format.read_csdat(path, f)
            else:
                raise CsFormatError(
                    path, f"unknown .cs layout: magic {magic!r} is neither numpy nor CSDAT"
                )
        return cls(array, path=path)

    def save(
        self,
        path: str | os.PathLike[str],
        *,
        format: Literal["numpy", "csdat"] = "numpy",
        compression: Literal["lz4"] | None = "lz4",
    ) -> None:
        """Write a ``.cs`` file: numpy layout (what CryoSPARC writes) or CSDAT.

        The file is written beside its destination and renamed into place, so a
        failure never leaves a half-written file under ``path``.
        """
        array = _packed(self._array)
        target = os.fspath(path)
        if format == "numpy":
            atomic_write(target, lambda f: npy_format.write_npy(array, f))
        elif format == "csdat":
            chunks = csdat_format.csdat_chunks(array, compression, self.path)
            atomic_write(target, lambda f: f.writelines(chunks))
        else:
            raise ValueError(f"unknown .cs format {format!r}: use 'numpy' or 'csdat'")

    # -- table access ---------------------------------------------------------------

    @property
    def array(self) -> Array:
        """The underlying structured array (not a copy)."""
        return self._array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, field: str) -> Array:
        """A view of one field: ``ds["ctf/df1_A"]``."""
        if field not in self:
            raise KeyError(f"no field {field!r}; fields are {self.fields()}")
        return self._array[field]

    def __contains__(self, field: object) -> bool:
        return field in (self._array.dtype.names or ())

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields())

    def __repr__(self) -> str:
        source = f" from {self.path}" if self.path else ""
        return f"<Dataset{source}: {len(self)} rows, prefixes {self.prefixes()}>"

    def fields(self, exclude_uid: bool = False) -> list[str]:
        """Field names in order, ``uid`` first."""
        names = self._array.dtype.names or ()
        return [n for n in names if not (exclude_uid and n == "uid")]

    def prefixes(self) -> list[str]:
        """Result names in field order: ``['blob', 'ctf', ...]``."""
        return list(_prefixes(self._array.dtype.names or ()))

    def descr(self, exclude_uid: bool = False) -> list[Field]:
        """Field descriptions: ``(name, dtype)`` or ``(name, base dtype, shape)``."""
        out: list[Field] = []
        for name in self.fields(exclude_uid):
            field = self._array.dtype[name]
            out.append((name, field.base.str, field.shape) if field.shape else (name, field.str))
        return out

    def filter_fields(self, names: Iterable[str]) -> Dataset:
        """A view holding ``uid`` and the named fields, in this dataset's order."""
        wanted = set(names)
        unknown = wanted - set(self.fields())
        if unknown:
            raise KeyError(f"no field(s) {sorted(unknown)} in {self!r}")
        kept = [n for n in self.fields() if n == "uid" or n in wanted]
        return Dataset(self._array[kept], path=self.path)

    def filter_prefixes(self, prefixes: Iterable[str]) -> Dataset:
        """A view holding ``uid`` and the fields of the given results."""
        wanted = set(prefixes)
        names = self._array.dtype.names or ()
        unknown = wanted.difference(_prefixes(names))
        if unknown:
            raise KeyError(f"no result(s) {sorted(unknown)} in {self!r}")
        kept = [n for n in names if n == "uid" or n.split("/", 1)[0] in wanted]
        return Dataset(self._array[kept], path=self.path)

    def take(self, indices: Array | Sequence[int]) -> Dataset:
        """The rows at ``indices`` (a copy)."""
        return Dataset(self._array.take(np.asarray(indices, dtype=np.intp)), path=self.path)

    def mask(self, keep: Array | Sequence[bool]) -> Dataset:
        """The rows where ``keep`` is true (a copy)."""
        keep = np.asarray(keep)
        if keep.dtype != bool or keep.shape != (len(self),):
            raise DatasetError(f"mask needs {len(self)} booleans, got {keep.dtype} {keep.shape}")
        return Dataset(self._array[keep], path=self.path)

    def strings(self, field: str) -> Array:
        """The decoded ``str`` values of a string field."""
        return strings.decode(self[field], field, self.path)

    # -- combining --------------------------------------------------------------------

    def innerjoin(self, *others: Dataset) -> Dataset:
        """Rows whose uid is in this and every other dataset, in this one's order."""
        return Dataset.innerjoin_many(self, *others)

    @staticmethod
    def innerjoin_many(*datasets: Dataset) -> Dataset:
        """Join on ``uid``, keeping the intersection in the first dataset's order.

        Fields of later datasets are added; a field present in several takes its
        values from the last one (as cryosparc-tools does). The same field with
        another dtype is an error (strings of different widths are widened).
        """
        if not datasets:
            return Dataset(np.zeros(0, [("uid", "<u8")]))
        if len(datasets) == 1:
            return datasets[0]
        labels = _labels(datasets)
        return Dataset(joins.innerjoin_arrays([d._array for d in datasets], labels))

    def append(self, *others: Dataset, repeat_allowed: bool = False) -> Dataset:
        """This dataset's rows followed by the others'."""
        return Dataset.append_many(self, *others, repeat_allowed=repeat_allowed)

    @staticmethod
    def append_many(*datasets: Dataset, repeat_allowed: bool = False) -> Dataset:
        """Concatenate rows. Fields must match; a uid in two inputs is refused
        unless ``repeat_allowed``."""
        if not datasets:
            return Dataset(np.zeros(0, [("uid", "<u8")]))
        labels = _labels(datasets)
        return Dataset(joins.append_arrays([d._array for d in datasets], labels, repeat_allowed))

    # -- pandas -----------------------------------------------------------------------------

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame whose columns are views of this dataset's array.

        Vector fields become ``name/0``, ``name/1``, ...; string fields stay bytes
        (decoded when shown). Built in time independent of the number of rows.
        """
        from .pandas_view import to_pandas

        return to_pandas(self._array, self.path)

    @classmethod
    def from_pandas(cls, frame: pd.DataFrame) -> Dataset:
        """The inverse of ``to_pandas``."""
        from .pandas_view import from_pandas

        return cls(from_pandas(frame))


def new_uids(size: int, seed: int | None = None) -> Array:
    """``size`` distinct random 64-bit uids, as CryoSPARC makes them."""
    rng = np.random.default_rng(seed)
    uids = rng.integers(0, 2**64 - 1, size, dtype=np.uint64, endpoint=True)
    while len(np.unique(uids)) != size:  # a repeat among 2**64 values is vanishingly rare
        uids = rng.integers(0, 2**64 - 1, size, dtype=np.uint64, endpoint=True)
    return uids


def _labels(datasets: Sequence[Dataset]) -> list[str]:
    return [
        f"input {i + 1}" + (f" ({os.path.basename(d.path)})" if d.path else "")
        for i, d in enumerate(datasets)
    ]


def _packed(array: Array) -> Array:
    """The array with its fields laid out back to back (views may have gaps)."""
    dtype = array.dtype
    packed = np.dtype([(name, dtype[name]) for name in dtype.names or ()])
    if packed == dtype:
        return array
    out = np.empty(len(array), packed)
    for name in dtype.names or ():
        out[name] = array[name]
    return out


@functools.lru_cache(maxsize=1024)
def _prefixes(names: tuple[str, ...]) -> tuple[str, ...]:
    """Result names of a record layout's fields, in order (layouts repeat: cached)."""
    return tuple(dict.fromkeys(n.split("/", 1)[0] for n in names if n != "uid"))
