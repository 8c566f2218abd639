"""The cryosparc-tools ``Dataset`` verbs a notebook user reaches for, on cryoweave's ``Dataset``.

``DatasetVerbs`` is a base of ``Dataset``: each verb has the peer's name, arguments,
defaults, result and row order. Verbs that change fields (``add_fields``,
``drop_fields``, ``rename_fields``, ...) change this dataset and return it unless
``copy=True``, as the peer's do. Renames relabel the stored array (no copy).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from . import strings
from .columns import ColumnStore
from .errors import DatasetError
from .layout import new_uids, packed
from .rows import Columns, Row

if TYPE_CHECKING:
    from .dataset import Dataset, Field

Array = np.ndarray[Any, np.dtype[Any]]


class DatasetVerbs(ColumnStore):
    """Row and field verbs of cryosparc-tools' ``Dataset`` (see the module docstring)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what the verbs use of ``Dataset``

        def take(self, indices: Array | Sequence[int]) -> Dataset: ...
        def mask(self, mask: Array | Sequence[bool]) -> Dataset: ...
        def _keep(self, kept: list[str], names: Mapping[str, str], copy: bool) -> Dataset: ...

    # -- rows -----------------------------------------------------------------------------

    def cols(self) -> dict[str, Array]:
        """Every field's column by name (text as ``StringDType``)."""
        return {name: self[name] for name in self.fields()}

    def rows(self) -> list[Row]:
        """One ``Row`` per item, reading and writing this dataset's columns.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("uid", [1, 2]), ("ctf/df1_A", [1.5e4, 2e4])])
        >>> [row["ctf/df1_A"] for row in ds.rows()]
        [np.float64(15000.0), np.float64(20000.0)]
        """
        if self._rows is None:
            cols = Columns(self.fields(), self.__getitem__)
            self._rows = [Row(cols, i) for i in range(len(self))]
        return self._rows

    def to_list(self, exclude_uid: bool = False) -> list[list[Any]]:
        """Each row as a list of Python values, in field order.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1, 2]), ("blob/path", ["a.mrc", "b.mrc"])]).to_list()
        [[1, 'a.mrc'], [2, 'b.mrc']]
        """
        names = self.fields(exclude_uid)
        return [list(row) for row in zip(*(self._values(n).tolist() for n in names), strict=True)]

    def to_records(self, fixed: bool = False) -> np.recarray[Any, Any]:
        """A numpy record array: text as Python ``str`` objects, or UTF-8 bytes if ``fixed``.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1]), ("blob/path", ["a.mrc"])]).to_records(fixed=True).dtype
        dtype((numpy.record, [('uid', '<u8'), ('blob/path', 'S6')]))
        """
        if fixed:
            return np.rec.array(packed(self.array).copy())
        columns = [
            self._values(n).astype(object) if self._is_text(n) else self[n] for n in self.fields()
        ]
        descr = [(n, c.dtype, c.shape[1:]) for n, c in zip(self.fields(), columns, strict=True)]
        out = np.empty(len(self), descr)
        for name, column in zip(self.fields(), columns, strict=True):
            out[name] = column
        return np.rec.array(out)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Array:
        return self.to_records() if dtype is None else self.to_records().astype(dtype)

    def query_mask(
        self, query: Mapping[str, Any], invert: bool = False
    ) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Rows whose every queried field holds the value (or one of the values) given.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("uid", [1, 2, 3]), ("blob/path", ["a", "b", "a"])])
        >>> ds.query_mask({"blob/path": "a"}).tolist()
        [True, False, True]

        Raises
        ------
        KeyError
            A queried field is not in the dataset (the peer's message).
        """
        missing = set(query) - set(self.fields())
        if missing:
            raise KeyError(f"Fields not in dataset: {', '.join(missing)}")
        mask = np.ones(len(self), dtype=bool)
        for field, wanted in query.items():
            values = np.asarray(wanted)
            if self._is_text(field) and field not in self._cols and values.dtype.kind == "U":
                # the stored bytes against the query's, decoding nothing (the field is not
                # lent out, so ``_array`` holds it as it is: no text is stored back for it)
                stored = self._array[field]
                width = stored.dtype.itemsize
                encoded = np.strings.encode(values, "utf-8")
                fits = np.strings.str_len(encoded) <= width
                mask &= np.isin(stored, encoded[fits].astype(f"S{width}"))
                continue
            mask &= np.isin(self._values(field), values)
        return ~mask if invert else mask

    def query(self, query: Mapping[str, Any] | Callable[[Row], bool]) -> Dataset:
        """The rows matching a query: ``{field: value or values}`` or a test of each ``Row``.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("uid", [1, 2, 3]), ("ctf/exp_group_id", [1, 2, 1])])
        >>> ds.query({"ctf/exp_group_id": [1]})["uid"].tolist()
        [1, 3]
        """
        if isinstance(query, Mapping):
            return self.mask(self.query_mask(query))
        return self.mask(np.array([bool(query(row)) for row in self.rows()], dtype=bool))

    def subset(self, rows: Iterable[Row]) -> Dataset:
        """The given rows of this dataset, in the order given."""
        return self.take([row.idx for row in rows])

    def slice(self, start: int = 0, stop: int | None = None, step: int = 1) -> Dataset:
        """Rows ``start:stop:step`` (a copy).

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1, 2, 3, 4])]).slice(1, step=2)["uid"].tolist()
        [2, 4]
        """
        return self._select(slice(start, stop, step))

    def split_by(self, field: str) -> dict[Any, Dataset]:
        """One dataset per distinct value of ``field``, in order of first appearance.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("uid", [1, 2, 3]), ("blob/path", ["b", "a", "b"])])
        >>> {k: v["uid"].tolist() for k, v in ds.split_by("blob/path").items()}
        {'b': [1, 3], 'a': [2]}
        """
        column = self._values(field)
        if column.ndim != 1:
            raise DatasetError(f"split_by needs a field of one value per row; {field!r} is not")
        if len(column) == 0:
            return {}
        _, first, inverse = np.unique(column, return_index=True, return_inverse=True)
        by_first = np.argsort(first, kind="stable")
        rank = np.empty_like(by_first)
        rank[by_first] = np.arange(len(by_first))
        order = np.argsort(rank[inverse], kind="stable")
        bounds = np.searchsorted(rank[inverse][order], np.arange(len(first) + 1))
        return {
            column[first[g]]: self._select(order[bounds[k] : bounds[k + 1]])
            for k, g in enumerate(by_first)
        }

    def copy(self) -> Dataset:
        """A deep copy: edits to either never reach the other."""
        return _class(self)(_me(self))

    def reassign_uids(self) -> Dataset:
        """New random unique uids for every row; returns this dataset."""
        self["uid"] = new_uids(len(self))
        return _me(self)

    # -- fields -----------------------------------------------------------------------------

    def add_fields(
        self,
        fields: Sequence[str] | Sequence[Field],
        dtypes: str | Sequence[Any] | None = None,
    ) -> Dataset:
        """Add zero-filled fields (text empty); a name already present is left as is.

        ``fields`` is a list of ``(name, dtype[, shape])``, or names with ``dtypes``
        (comma-separated text or a list). Returns this dataset.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset(2).add_fields(["ctf/df1_A", "blob/path"], ["f4", "O"])
        >>> ds["ctf/df1_A"].tolist(), ds["blob/path"].tolist()
        ([0.0, 0.0], ['', ''])
        """
        if dtypes is not None:
            kinds = dtypes.split(",") if isinstance(dtypes, str) else list(dtypes)
            if len(kinds) != len(fields):
                raise DatasetError(f"{len(fields)} field names but {len(kinds)} dtypes")
            descr = [_field(str(n), k) for n, k in zip(fields, kinds, strict=True)]
        else:
            descr = [tuple(f) for f in fields]
        present = set(self.fields())
        added = [(name, _zeros(len(self), rest)) for name, *rest in descr if name not in present]
        self._add_columns(added)
        return _me(self)

    def drop_fields(
        self, names: Collection[str] | Callable[[str], bool], *, copy: bool = False
    ) -> Dataset:
        """Remove fields by name or by a test of each name (``uid`` stays).

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1]), ("a/x", [1]), ("b/y", [2])]).drop_fields(["a/x"]).fields()
        ['uid', 'b/y']
        """
        drop = names if callable(names) else set(names).__contains__
        kept = [n for n in self.fields() if n == "uid" or not drop(n)]
        return self._keep(kept, {}, copy)

    def rename_fields(
        self, field_map: Mapping[str, str] | Callable[[str], str], *, copy: bool = False
    ) -> Dataset:
        """Rename fields by a mapping or a function (``uid`` keeps its name). No copy.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1]), ("a/x", [1])]).rename_fields({"a/x": "b/x"}).fields()
        ['uid', 'b/x']
        """
        rename = field_map if callable(field_map) else (lambda n: field_map.get(n, n))
        names = {n: n if n == "uid" else rename(n) for n in self.fields()}
        return self._keep(list(names), names, copy)

    def rename_field(self, current_name: str, new_name: str, *, copy: bool = False) -> Dataset:
        """Rename one field (see ``rename_fields``)."""
        return self.rename_fields({current_name: new_name}, copy=copy)

    def rename_prefix(self, old_prefix: str, new_prefix: str, *, copy: bool = False) -> Dataset:
        """Rename the result ``old_prefix``: ``blob/path`` becomes ``new_prefix/path``.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1]), ("blob/path", ["a"])]).rename_prefix("blob", "b2").fields()
        ['uid', 'b2/path']
        """
        head = old_prefix + "/"
        return self.rename_fields(
            lambda n: new_prefix + "/" + n[len(head) :] if n.startswith(head) else n, copy=copy
        )

    def filter_prefix(
        self, keep_prefix: str, *, rename: str | None = None, copy: bool = False
    ) -> Dataset:
        """Keep ``uid`` and one result's fields, optionally renaming the result."""
        kept = ["uid", *(n for n in self.fields(True) if n.startswith(keep_prefix + "/"))]
        new = rename if rename and rename != keep_prefix else keep_prefix
        names = {n: n if n == "uid" else new + n[len(keep_prefix) :] for n in kept}
        return self._keep(kept, names, copy)

    def copy_fields(self, old_fields: Sequence[str], new_fields: Sequence[str]) -> None:
        """Copy the values of ``old_fields`` into ``new_fields``, adding those missing."""
        if len(old_fields) != len(new_fields):
            raise DatasetError("Number of old and new fields must match")
        for old, new in zip(old_fields, new_fields, strict=True):
            self[new] = self[old].copy()

    # -- comparing ------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Same fields in the same order, same dtypes (text as text), same values and rows."""
        from .dataset import Dataset

        if not isinstance(other, Dataset):
            return NotImplemented
        return self.fields() == other.fields() and _same_values(_me(self), other)

    __hash__ = None  # type: ignore[assignment]

    def is_equivalent(self, other: object) -> bool:
        """Like ``==`` with the fields in any order."""
        from .dataset import Dataset

        if not isinstance(other, Dataset):
            return False
        return sorted(self.fields()) == sorted(other.fields()) and _same_values(_me(self), other)

    # -- the mapping of field names to columns ----------------------------------------------------

    def keys(self) -> list[str]:
        """Field names, ``uid`` first."""
        return self.fields()

    def values(self) -> list[Array]:
        """Columns in field order."""
        return list(self.cols().values())

    def items(self) -> list[tuple[str, Array]]:
        """``(name, column)`` pairs in field order."""
        return list(self.cols().items())

    def get(self, field: str, default: Any = None) -> Any:
        """The column of ``field``, or ``default`` without such a field."""
        return self[field] if field in self else default  # noqa: SIM401 (no such Mapping)

    def pop(self, field: str, *default: Any) -> Any:
        """Remove ``field`` and return its column (``default`` if given and absent)."""
        if field not in self and default:
            return default[0]
        column = self[field].copy()
        del self[field]
        return column

    def update(self, other: Mapping[str, Any] | Dataset | None = None, **fields: Any) -> None:
        """Set fields from a mapping, a dataset or keywords (``ds[name] = values`` each)."""
        pairs = list(other.items()) if other is not None else []
        for name, values in [*pairs, *fields.items()]:
            self[name] = values


def _me(ds: DatasetVerbs) -> Dataset:
    return cast("Dataset", ds)


def _class(ds: DatasetVerbs) -> type[Dataset]:
    return cast("type[Dataset]", type(ds))


def _same_values(a: Dataset, b: Dataset) -> bool:
    if len(a) != len(b):
        return False
    for name in a.fields():
        if a._is_text(name) != b._is_text(name):
            return False
        x, y = a._values(name), b._values(name)
        if not a._is_text(name) and a._dtype(name) != b._dtype(name):
            return False
        if not np.array_equal(x, y):
            return False
    return True


def _field(name: str, kind: Any) -> tuple[Any, ...]:
    dtype = np.dtype(kind)
    return (name, dtype.base, dtype.shape) if dtype.shape else (name, dtype)


def _zeros(size: int, rest: Sequence[Any]) -> Array:
    dtype = np.dtype(rest[0])
    if dtype.kind in "OUST" and len(rest) == 1:
        return np.zeros(size, strings.TEXT)
    shape = tuple(rest[1]) if len(rest) > 1 else ()
    return np.zeros((size, *shape), dtype)
