"""``Dataset``: one table of items keyed by ``uid``, stored as a numpy structured array."""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, Union

import numpy as np

from . import csdat_format, joins, npy_format
from .atomic import atomic_write
from .combining import CombiningVerbs
from .errors import CsFormatError, DatasetError, UnknownFormat
from .files import open_regular
from .layout import labels, new_uids, packed, relaid

if TYPE_CHECKING:
    import pandas as pd

Array = np.ndarray[Any, np.dtype[Any]]
Field = tuple[str, str] | tuple[str, str, tuple[int, ...]]
Source = Union[str, "os.PathLike[str]", IO[bytes]]
Columns = Mapping[str, Any] | Sequence[tuple[str, Any]]

# Rows laid out per block when a save writes columns kept beside the records.
_BLOCK_BYTES = 16 << 20


class Dataset(CombiningVerbs):
    """A table of items: one row per item, one field per ``result/sub-field``.

    Wraps a 1-D numpy structured array with a ``uid`` (``<u8``) field. Field
    access returns views; nothing is copied unless an operation must gather
    rows. Names, arguments and results follow cryosparc-tools' ``Dataset``.

    Text fields hold text of any length: ``ds["blob/path"]`` is a numpy
    ``StringDType`` array (decoded from the stored UTF-8 bytes at its first access,
    then kept), so it compares with ``str`` and takes longer values without cutting
    them. The stored form (``ds.array``, and the files) holds fixed-width bytes as
    wide as the longest value, as CryoSPARC writes them.

    Parameters
    ----------
    allocate
        A row count (fresh random uids), ``None`` (no rows), a structured array
        (wrapped, not copied), another ``Dataset`` (copied), a mapping of field
        name to values, or a list of ``(name, values)`` pairs; ``uid`` is made
        when not given. Text values (``str`` or ``bytes``) become a text field.
    path
        The file the data came from, named in error messages.

    Examples
    --------
    >>> ds = Dataset([("ctf/df1_A", [1.5e4, 2e4]), ("blob/path", ["J1/a.mrc", "J1/b.mrc"])])
    >>> ds["blob/path"] = ["J1/imported/a_full_size.mrc", "J1/b.mrc"]   # never cut
    >>> (ds["blob/path"] == "J1/b.mrc").tolist()
    [False, True]
    >>> len(Dataset(1000)), Dataset().fields()
    (1000, ['uid'])
    """

    __slots__ = ("path",)

    def __init__(
        self,
        allocate: int | Array | Dataset | Columns | None = 0,
        *,
        path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.path = None if path is None else os.fspath(path)
        if isinstance(allocate, Dataset):
            self._init_store(allocate._array.copy())
            self._cols = {name: column.copy() for name, column in allocate._cols.items()}
            self.path = self.path or allocate.path
            return
        if isinstance(allocate, np.ndarray) and allocate.dtype.names is not None:
            array = allocate
        elif isinstance(allocate, np.ndarray):
            raise DatasetError("a Dataset wraps a 1-D numpy structured array")
        elif allocate is None or isinstance(allocate, (int, np.integer)):
            array = np.zeros(int(allocate or 0), [("uid", "<u8")])
            array["uid"] = new_uids(len(array))
        else:
            array = _from_columns(allocate)
        if array.ndim != 1:
            raise DatasetError("a Dataset wraps a 1-D numpy structured array")
        try:
            npy_format.check_record_dtype(self.path, array.dtype)
        except CsFormatError as err:
            raise DatasetError(err.problem) from None
        self._init_store(array)

    # -- construction -------------------------------------------------------------

    @classmethod
    def allocate(
        cls, size: int = 0, fields: Sequence[Field] = (), *, seed: int | None = None
    ) -> Dataset:
        """A zero-filled dataset of ``size`` rows with new random unique uids.

        Text fields (``"O"``, ``"U"`` or ``"S"`` dtypes) start empty.

        Examples
        --------
        >>> ds = Dataset.allocate(3, [("ctf/df1_A", "f4"), ("blob/path", "O")])
        >>> ds.fields(), ds["blob/path"].tolist()
        (['uid', 'ctf/df1_A', 'blob/path'], ['', '', ''])
        """
        descr = [("uid", "<u8"), *[_stored_field(f) for f in fields if f[0] != "uid"]]
        array = np.zeros(size, np.dtype(descr))
        array["uid"] = new_uids(size, seed)
        return cls(array)

    @classmethod
    def load(
        cls,
        file: Source,
        *,
        prefixes: Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> Dataset:
        """Read a ``.cs`` file in either layout (numpy ``.npy`` or CSDAT).

        ``file`` is a path or a binary file object. A numpy-format file named by path
        is memory-mapped copy-on-write: opening costs the same whatever the file's
        size, and edits in memory never reach the file. ``prefixes`` and ``fields``
        keep only those results and fields (and ``uid``), as cryosparc-tools does;
        from a CSDAT file only their bytes are decompressed.

        Examples
        --------
        >>> ds = Dataset.load("J42_particles.cs", prefixes=["ctf"])  # doctest: +SKIP

        Raises
        ------
        CsFormatError
            The file is not a well-formed ``.cs`` file; the message says why.
        FileRefused
            The file is missing (``FileMissing``, also a ``FileNotFoundError``), a folder,
            a named pipe or a device; nothing waits on a pipe.
        """
        keep = _field_filter(prefixes, fields)
        if not isinstance(file, (str, os.PathLike)):
            name = str(getattr(file, "name", "<file object>"))
            data = file.read()
            return cls(_read(name, io.BytesIO(data), len(data), keep), path=name)
        path = os.fspath(file)
        with open_regular(path) as f:
            array = _read(path, f, os.fstat(f.fileno()).st_size, keep)
        return cls(array, path=path)

    def save(
        self,
        file: Source,
        *,
        format: Literal["numpy", "csdat"] | int = "numpy",
        compression: Literal["lz4"] | None = "lz4",
    ) -> None:
        """Write a ``.cs`` file: numpy layout (what CryoSPARC writes) or CSDAT.

        ``file`` is a path or a binary file object; ``format`` also takes
        cryosparc-tools' constants (``NUMPY_FORMAT`` = 1, ``CSDAT_FORMAT`` = 2). Text
        is written as wide as its longest value. A file named by path is written beside
        its destination and renamed into place, so a failure never leaves a half-written
        file under ``path``.
        """
        kind = {1: "numpy", 2: "csdat"}.get(format, format) if isinstance(format, int) else format
        if kind not in ("numpy", "csdat"):
            raise UnknownFormat(f"unknown .cs format {format!r}: use 'numpy' or 'csdat'")
        if kind == "numpy" and self._cols:
            # laid out and written a block of rows at a time: no whole new record array
            dtype, encoded = self._at_rest()
            rows = max(1, _BLOCK_BYTES // max(1, dtype.itemsize))
            blocks = (
                self._records(dtype, encoded, start, min(start + rows, len(self)))
                for start in range(0, len(self), rows)
            )

            def write(f: IO[bytes]) -> None:
                npy_format.write_npy_blocks(dtype, len(self), blocks, f)

        else:
            array = packed(self.array)
            chunks = (
                [] if kind == "numpy" else csdat_format.csdat_chunks(array, compression, self.path)
            )

            def write(f: IO[bytes]) -> None:
                if kind == "numpy":
                    npy_format.write_npy(array, f)
                else:
                    f.writelines(chunks)

        if isinstance(file, (str, os.PathLike)):
            atomic_write(os.fspath(file), write)
        else:
            write(file)

    # -- fields ------------------------------------------------------------------------

    def _keep(self, kept: list[str], names: Mapping[str, str], copy: bool) -> Dataset:
        """The fields ``kept``, renamed by ``names``: this dataset changed, or a new one.

        The record array is relabelled (a view); columns kept beside it are renamed.
        """
        new = [names.get(n, n) for n in kept]
        if len(set(new)) != len(new):
            repeated = sorted({n for n in new if new.count(n) > 1})
            raise DatasetError(f"two fields would be named {repeated[0]!r}")
        stored = [n for n in kept if n in (self._array.dtype.fields or {})]
        whole = stored == list(self._array.dtype.names or ())
        array = self._array if whole else self._array[stored]
        if any(names.get(n, n) != n for n in stored):
            dtype = array.dtype
            offsets = {k: v[1] for k, v in (dtype.fields or {}).items()}
            layout = {names.get(k, k): (dtype[k], offsets[k]) for k in stored}
            array = array.view(
                np.dtype(
                    {
                        "names": list(layout),
                        "formats": [f for f, _ in layout.values()],
                        "offsets": [o for _, o in layout.values()],
                        "itemsize": dtype.itemsize,
                    }
                )
            )
        cols = {names.get(n, n): self._cols[n] for n in kept if n in self._cols}
        if copy:
            out = type(self)(packed(array).copy(), path=self.path)
            out._cols = {name: column.copy() for name, column in cols.items()}
            return out
        self._lent = {names.get(n, n) for n in self._lent if n in kept}
        self._cols = cols
        self._array = array
        self._rows = None
        return self

    def __repr__(self) -> str:
        source = f" from {self.path}" if self.path else ""
        return f"<Dataset{source}: {len(self)} rows, prefixes {self.prefixes()}>"

    def prefixes(self) -> list[str]:
        """Result names in field order: ``['blob', 'ctf', ...]``."""
        return list(_prefixes(tuple(self.fields())))

    def descr(self, exclude_uid: bool = False) -> list[Field]:
        """Field descriptions: ``(name, dtype)`` or ``(name, base dtype, shape)``.

        Text fields are ``"|O"``, as cryosparc-tools gives them (text of any length);
        the stored width of their bytes is in ``ds.array.dtype``.

        Examples
        --------
        >>> ds = Dataset([("uid", [1]), ("blob/path", ["J1/a.mrc"]), ("ctf/shift", [[0.5, 1.0]])])
        >>> ds.descr()
        [('uid', '<u8'), ('blob/path', '|O'), ('ctf/shift', '<f8', (2,))]
        """
        out: list[Field] = []
        for name in self.fields(exclude_uid):
            field = np.dtype(object) if self._is_text(name) else self._dtype(name)
            out.append((name, field.base.str, field.shape) if field.shape else (name, field.str))
        return out

    def filter_fields(
        self, names: Iterable[str] | Callable[[str], bool], *, copy: bool = False
    ) -> Dataset:
        """A dataset holding ``uid`` and the fields named (or passing a test), in order.

        Unlike cryosparc-tools, this dataset is left as it is (the result shares its
        numeric data unless ``copy``), and a name that is not a field is refused rather
        than skipped: a mistyped name would otherwise drop the field it meant.

        Examples
        --------
        >>> ds = Dataset([("ctf/df1_A", [1.0]), ("blob/path", ["a"])])
        >>> ds.filter_fields(["blob/path"]).fields(), ds.filter_fields(lambda n: "/" in n).fields()
        (['uid', 'blob/path'], ['uid', 'ctf/df1_A', 'blob/path'])
        """
        if callable(names):
            test = names
        else:
            wanted = set(names)
            unknown = wanted - set(self.fields())
            if unknown:
                raise KeyError(f"no field(s) {sorted(unknown)} in {self!r}")
            test = wanted.__contains__
        kept = [n for n in self.fields() if n == "uid" or test(n)]
        return Dataset(self)._keep(kept, {}, False) if copy else self._view(kept)

    def filter_prefixes(self, prefixes: Iterable[str]) -> Dataset:
        """A view holding ``uid`` and the fields of the given results."""
        wanted = set(prefixes)
        unknown = wanted.difference(self.prefixes())
        if unknown:
            raise KeyError(f"no result(s) {sorted(unknown)} in {self!r}")
        kept = [n for n in self.fields() if n == "uid" or n.split("/", 1)[0] in wanted]
        return self._view(kept)

    def _view(self, kept: list[str]) -> Dataset:
        """A new dataset of the fields ``kept``: numbers shared, text decoded shared too."""
        out = Dataset(self._array, path=self.path)
        out._cols = dict(self._cols)
        return out._keep(kept, {}, False)

    def take(self, indices: Array | Sequence[int]) -> Dataset:
        """The rows at ``indices`` (a copy)."""
        return self._select(np.asarray(indices, dtype=np.intp))

    def mask(self, mask: Array | Sequence[bool]) -> Dataset:
        """The rows where ``mask`` is true (a copy)."""
        keep = np.asarray(mask)
        if keep.dtype != bool or keep.shape != (len(self),):
            raise DatasetError(f"mask needs {len(self)} booleans, got {keep.dtype} {keep.shape}")
        return self._select(keep)

    def strings(self, field: str) -> Array:
        """A copy of a text field as a numpy ``str`` (``<U``) array, as wide as its longest value.

        ``ds[field]`` gives the same text as ``StringDType`` (edits reach the dataset).

        Examples
        --------
        >>> Dataset([("blob/path", ["J1/a.mrc"])]).strings("blob/path")
        array(['J1/a.mrc'], dtype='<U8')
        """
        if field in self and not self._is_text(field):
            raise DatasetError(f"field {field!r} is not text ({self._dtype(field)})")
        text = self[field]
        return text.astype(f"<U{max(1, int(np.strings.str_len(text).max(initial=0)))}")

    # -- combining --------------------------------------------------------------------

    def innerjoin(self, *others: Dataset, assert_no_drop: bool = False) -> Dataset:
        """Rows whose uid is in this and every other dataset, in this one's order.

        Raises
        ------
        DatasetError
            ``assert_no_drop`` and a row of this dataset is not in every other.
        """
        joined = Dataset.innerjoin_many(self, *others)
        if assert_no_drop and len(joined) != len(self):
            raise DatasetError(
                f"Cannot innerjoin datasets that do not have all elements in common: "
                f"{len(self) - len(joined)} of {len(self)} rows would be dropped"
            )
        return joined

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
        return Dataset(joins.innerjoin_arrays([d.array for d in datasets], labels(datasets)))

    def append(
        self, *others: Dataset, assert_same_fields: bool = False, repeat_allowed: bool = False
    ) -> Dataset:
        """This dataset's rows followed by the others' (see ``append_many``).

        Examples
        --------
        >>> a, b = Dataset([("uid", [1]), ("x/y", [1.0])]), Dataset([("uid", [2])])
        >>> a.append(b).fields(), a.append(b)["uid"].tolist()
        (['uid'], [1, 2])
        """
        return Dataset.append_many(
            self, *others, assert_same_fields=assert_same_fields, repeat_allowed=repeat_allowed
        )

    @staticmethod
    def append_many(
        *datasets: Dataset, assert_same_fields: bool = False, repeat_allowed: bool = False
    ) -> Dataset:
        """Concatenate rows, keeping the fields all inputs share (text at the widest).

        Empty inputs are skipped, as cryosparc-tools does. Stricter than the peer in
        one way: a uid in two inputs is refused unless ``repeat_allowed``, naming it
        and the inputs (the peer refuses too, without saying which).

        Raises
        ------
        DatasetError
            A uid is repeated, or ``assert_same_fields`` and the fields differ.
        """
        if not datasets:
            return Dataset()
        full = [d for d in datasets if len(d)]
        if not full:
            return Dataset(datasets[0])
        if assert_same_fields:  # append_arrays names every difference
            arrays = [d.array for d in full]
        else:
            names = Dataset.common_fields(*full)
            arrays = [d.array[names] if names != d.fields() else d.array for d in full]
        return Dataset(joins.append_arrays(arrays, labels(full), repeat_allowed))

    # -- pandas -----------------------------------------------------------------------------

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame whose numeric columns are views of this dataset's array.

        Vector fields become ``name/0``, ``name/1``, ...; text fields are pandas' string
        dtype (Arrow storage when pyarrow is installed), decoded from the stored bytes:
        0.2 s per 1,000,000 paths. The numeric columns cost the same whatever the
        number of rows.

        Raises
        ------
        CsFormatError
            A text field holds bytes that are not UTF-8 (naming the file, field and row).
        """
        from .pandas_view import to_pandas

        return to_pandas(self.array, self.path)

    @classmethod
    def from_pandas(cls, frame: pd.DataFrame) -> Dataset:
        """The inverse of ``to_pandas``."""
        from .pandas_view import from_pandas

        return cls(from_pandas(frame))


def _from_columns(columns: Columns) -> Array:
    """A structured array from ``(name, values)`` pairs; text stored as UTF-8 bytes."""
    pairs = list(columns.items() if isinstance(columns, Mapping) else columns)
    values = [(str(name), np.asarray(value)) for name, value in pairs]
    values = [  # uids given as Python ints are stored as CryoSPARC's u8, as the peer does
        (n, v.astype("<u8") if n == "uid" and v.dtype.kind in "iu" and (v >= 0).all() else v)
        for n, v in values
    ]
    counts = {len(value) for _, value in values if value.ndim}
    if len(counts) > 1 or any(value.ndim == 0 for _, value in values):
        raise DatasetError(
            "every field needs one value per row; lengths are "
            + ", ".join(
                f"{name}: {value.shape[0] if value.ndim else 'scalar'}" for name, value in values
            )
        )
    size = counts.pop() if counts else 0
    if not any(name == "uid" for name, _ in values):
        values.insert(0, ("uid", new_uids(size)))
    return relaid(np.zeros(size, [("uid", "<u8")]), values)


def _stored_field(field: Sequence[Any]) -> tuple[Any, ...]:
    """An ``allocate`` field: text dtypes (``O``, ``U``, ``S``) stored as ``|S1`` bytes."""
    if np.dtype(field[1]).kind in "OUS" and len(field) == 2:
        return (field[0], "S1")
    return tuple(field)


def _field_filter(
    prefixes: Sequence[str] | None, fields: Sequence[str] | None
) -> Callable[[str], bool] | None:
    """Which fields ``load`` keeps: ``uid``, those of ``prefixes`` and those in ``fields``."""
    if prefixes is None and fields is None:
        return None
    results, names = set(prefixes or ()), set(fields or ())
    return lambda name: name == "uid" or name.split("/", 1)[0] in results or name in names


def _read(path: str, f: IO[bytes], size: int, keep: Callable[[str], bool] | None) -> Array:
    magic = f.read(6)
    f.seek(0)
    if magic == npy_format.NPY_MAGIC:
        array = npy_format.read_npy(path, f, size)
        kept: Any = [n for n in array.dtype.names or () if keep is None or keep(n)]
        return array if keep is None else array[kept]
    if magic == csdat_format.CSDAT_MAGIC:
        return csdat_format.read_csdat(path, f, keep)
    raise CsFormatError(path, f"unknown .cs layout: magic {magic!r} is neither numpy nor CSDAT")


@functools.lru_cache(maxsize=1024)
def _prefixes(names: tuple[str, ...]) -> tuple[str, ...]:
    """Result names of a record layout's fields, in order (layouts repeat: cached)."""
    return tuple(dict.fromkeys(n.split("/", 1)[0] for n in names if n != "uid"))
