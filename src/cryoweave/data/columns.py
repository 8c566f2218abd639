"""A dataset's storage: one record array at rest, with columns kept beside it.

``ColumnStore`` is the base of ``Dataset`` that owns the data. The at-rest form is a
numpy structured array (``_array``), what the files hold and what a memory-mapped file
is. Columns that supersede one of its fields or add a field live beside it in ``_cols``
until something needs the one record array (``array``: a save, a join, pandas):

- text taken through ``ds[field]`` (decoded once to numpy ``StringDType``) and text
  assigned (``ds[field] = longer_paths`` is one cast, never a re-layout of the record);
- fields added by ``add_fields`` or ``ds[new] = values`` (no copy of the record array
  per call);
- the gathered columns of a row selection (``mask``, ``take``, ``slice``, ``split_by``):
  rows are gathered column by column, the text as text, so a query after ``ds[field]``
  encodes nothing.

``array`` writes the columns into one record array (a text field widens to its longest
value + 1 only when a value no longer fits, as CryoSPARC writes); the columns handed
to the caller (``_lent``) stay beside it, because the caller may write into them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import strings
from .errors import DatasetError
from .joins import copy_fields
from .layout import relaid

if TYPE_CHECKING:
    from .dataset import Dataset
    from .rows import Row

Array = np.ndarray[Any, np.dtype[Any]]
Index = slice | Array


class ColumnStore:
    """The storage of ``Dataset`` (see the module docstring)."""

    __slots__ = ("_array", "_cols", "_lent", "_rows")

    if TYPE_CHECKING:
        path: str | None

    def _init_store(self, array: Array) -> None:
        self._array = array
        self._cols: dict[str, Array] = {}
        self._lent: set[str] = set()
        self._rows: list[Row] | None = None

    @property
    def array(self) -> Array:
        """The stored structured array (not a copy), text as fixed-width UTF-8 bytes.

        Columns kept beside it (text taken through ``ds[field]``, fields added) are
        written into it first; a text field whose longest value no longer fits is widened
        to it + 1 (a new array), as CryoSPARC writes. Write text, and fields added
        since the last look, through ``ds[field]``: a column taken that way stays the
        dataset's, so writes into this array's copy of it are replaced by it. A new
        array (a field widened or added) leaves numeric columns taken before it behind,
        as cryosparc-tools' columns are after ``add_fields``: take them again.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("blob/path", ["J1/a.mrc"])])
        >>> ds["blob/path"] = "J1/imported/a_full_size.mrc"
        >>> ds.array.dtype["blob/path"]
        dtype('S28')
        """
        if self._cols:
            self._store()
        return self._array

    def _store(self) -> None:
        dtype, encoded = self._at_rest()
        stored: Mapping[str, Any] = self._array.dtype.fields or {}
        if not self._array.flags.writeable or any(
            name not in stored or dtype[name] != self._array.dtype[name] for name in encoded
        ):
            self._array = self._records(dtype, encoded, 0, len(self))
        else:  # every column fits its stored field: written in place
            for name, value in encoded.items():
                self._array[name] = value
        self._cols = {n: c for n, c in self._cols.items() if n in self._lent}
        self._rows = None

    def _at_rest(self) -> tuple[np.dtype[Any], dict[str, Array]]:
        """The packed record layout ``array`` will have, and the columns beside the
        records as they are stored (text as UTF-8 bytes).

        A text field widens (to its longest value + 1, as CryoSPARC writes) only when a
        value no longer fits; one that fits keeps the width it was read with.
        """
        stored: Mapping[str, Any] = self._array.dtype.fields or {}
        encoded = {
            name: strings.bytes_of(column) if column.dtype == strings.TEXT else column
            for name, column in self._cols.items()
        }
        descr: list[tuple[str, Any]] = []
        for name in self.fields():
            value = encoded.get(name)
            text_fits = (
                value is not None
                and name in stored
                and self._is_text(name)
                and value.itemsize - 1 <= stored[name][0].itemsize
            )
            if value is None or text_fits:  # a stored field (a field not stored is a column)
                descr.append((name, self._array.dtype[name]))
            else:
                shape = value.shape[1:]
                descr.append((name, (value.dtype, shape) if shape else value.dtype))
        return np.dtype(descr), encoded

    def _records(
        self, dtype: np.dtype[Any], encoded: Mapping[str, Array], start: int, stop: int
    ) -> Array:
        """Rows ``start:stop`` laid out as ``dtype`` (from ``_at_rest``)."""
        out = np.empty(stop - start, dtype)
        kept = [n for n in self._array.dtype.names or () if n not in encoded]
        copy_fields(out, self._array[start:stop], kept)
        for name, value in encoded.items():
            out[name] = value[start:stop]
        return out

    def _set_array(self, array: Array) -> None:
        """Take ``array`` (this dataset's fields, maybe more, maybe more rows) as stored.

        Columns taken before are kept while the rows are the same; ``array`` holds them.
        """
        self._cols = {k: v for k, v in self._cols.items() if len(v) == len(array)}
        self._lent &= set(self._cols)
        self._array = array
        self._rows = None

    def _select(self, index: Index) -> Dataset:
        """A new dataset of the rows at ``index`` (a slice, indices or a boolean mask),
        gathered column by column: text kept beside the records stays text."""
        from .dataset import Dataset

        copy = isinstance(index, slice)  # a slice is a view: the new dataset owns a copy
        array = self._array[index]
        out = Dataset(array.copy() if copy else array, path=self.path)
        out._cols = {n: c[index].copy() if copy else c[index] for n, c in self._cols.items()}
        return out

    # -- fields ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._array)

    def __contains__(self, field: object) -> bool:
        return field in (self._array.dtype.fields or {}) or field in self._cols

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields())

    def fields(self, exclude_uid: bool = False) -> list[str]:
        """Field names in order, ``uid`` first.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1]), ("ctf/df1_A", [1.0])]).fields(exclude_uid=True)
        ['ctf/df1_A']
        """
        names = list(self._array.dtype.names or ())
        names += [n for n in self._cols if n not in (self._array.dtype.fields or {})]
        return [n for n in names if not (exclude_uid and n == "uid")]

    def _is_text(self, field: str) -> bool:
        column = self._cols.get(field)
        if column is not None:
            return column.dtype == strings.TEXT
        dtype = self._array.dtype[field]
        return dtype.kind == "S" and not dtype.shape

    def _dtype(self, field: str) -> np.dtype[Any]:
        """A field's dtype as stored (vector fields with their shape); text is ``TEXT``."""
        column = self._cols.get(field)
        if column is not None:
            return np.dtype((column.dtype, column.shape[1:])) if column.ndim > 1 else column.dtype
        return self._array.dtype[field]

    def _values(self, field: str) -> Array:
        """A field's values for reading inside a verb: text decoded but not lent out (so
        ``array`` has nothing to write back for it), numbers as a view."""
        column = self._cols.get(field)
        if column is not None:
            return column
        if self._is_text(field):
            return strings.text_of(self._array[field], field, self.path)
        return self._array[field]

    # -- table access ---------------------------------------------------------------------

    def __getitem__(self, field: str) -> Array:
        """One field: a view of a numeric field, the text (``StringDType``) of a text one.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("blob/path", ["J1/a.mrc", "J1/b.mrc"])])
        >>> ds["blob/path"][0] = "J1/imported/a_full_size.mrc"
        >>> ds.array["blob/path"][0]
        np.bytes_(b'J1/imported/a_full_size.mrc')

        Raises
        ------
        KeyError
            No such field.
        CsFormatError
            A text field holds bytes that are not UTF-8 (naming the file, field and row).
        """
        column = self._cols.get(field)
        if column is None:
            if field not in self:
                raise KeyError(f"no field {field!r}; fields are {self.fields()}")
            if not self._is_text(field):
                return self._array[field]
            column = self._cols[field] = strings.text_of(self._array[field], field, self.path)
        self._lent.add(field)
        return column

    def __setitem__(self, field: str, values: Any) -> None:
        """Set a field's values (broadcast like numpy); a new name adds a field.

        Text of any length is kept whole: the stored field widens as needed. A new
        field takes the dtype of ``values`` (cryosparc-tools asks for ``add_fields``
        first; here both work).

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("blob/path", ["J1/a.mrc"])])
        >>> ds["blob/path"] = "J2/downsampled/a_particles_binned.mrc"
        >>> ds["ctf/df1_A"] = 1.5e4
        >>> ds["blob/path"].tolist(), ds["ctf/df1_A"].tolist()
        (['J2/downsampled/a_particles_binned.mrc'], [15000.0])
        """
        if field not in self:
            self._add_column(field, values)
            return
        column = self._cols.get(field)
        if column is None and not self._is_text(field):
            if not self._array.flags.writeable:
                self._array = relaid(self._array)
                self._rows = None
            self._array[field] = values
            return
        if column is None:  # text not taken yet: nothing to decode, the values replace it
            column = np.empty(len(self), strings.TEXT)
        try:
            column[...] = values
        except UnicodeDecodeError as err:
            raise DatasetError(f"text for field {field!r} is not UTF-8 ({err})") from None
        if field not in self._cols:
            self._cols[field] = column
            self._rows = None

    def _add_column(self, field: str, values: Any) -> None:
        value = np.asarray(values)
        if value.ndim == 0:
            value = np.full(len(self), value if value.dtype.kind not in "OU" else str(value))
        if len(value) != len(self):
            raise DatasetError(
                f"field {field!r} needs {len(self)} values (one per row), got {len(value)}"
            )
        if value.dtype.kind in "OUST" and value.ndim == 1:
            text = value.astype(strings.TEXT) if value.dtype.kind != "S" else None
            value = strings.text_of(value, field, self.path) if text is None else text
        elif value.dtype.kind in "OUST":
            raise DatasetError(f"field {field!r}: a text field holds one value per row")
        self._cols[field] = value.copy() if value is values else value
        self._rows = None

    def _add_columns(self, added: Sequence[tuple[str, Array]]) -> None:
        """Add new fields (owned, zero-filled arrays) beside the records: no re-layout."""
        for name, column in added:
            self._cols[name] = column
        self._rows = None

    def __delitem__(self, field: str) -> None:
        """Remove a field: ``del ds["ctf/df2_A"]`` (``uid`` stays)."""
        if field not in self or field == "uid":
            raise KeyError(f"no field {field!r} to remove; fields are {self.fields()}")
        self._cols.pop(field, None)
        self._lent.discard(field)
        names = self._array.dtype.names or ()
        if field in names:
            self._array = self._array[[n for n in names if n != field]]
        self._rows = None
