"""pandas views of datasets: columns that are views of the structured array.

Imported only by ``Dataset.to_pandas`` and ``Dataset.from_pandas``, so the rest
of the dataset layer never needs pandas.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype

from .errors import DatasetError
from .strings import decode, not_utf8

Array = np.ndarray[Any, np.dtype[Any]]
_VECTOR_COLUMN = re.compile(r"^(.*)/(\d+)$")


@register_extension_dtype
class FixedBytesDtype(ExtensionDtype):
    """pandas dtype of a ``.cs`` string field: fixed-length UTF-8 bytes, shown as text."""

    name = "cs_bytes"
    type = str
    kind = "O"
    na_value = ""

    @classmethod
    def construct_array_type(cls) -> builtins.type[FixedBytesArray]:
        return FixedBytesArray


class FixedBytesArray(ExtensionArray):
    """A pandas column over an ``|S<n>`` numpy array, without copying it.

    Values read as ``str`` (decoded on access); ``.to_numpy()`` gives the bytes. Bytes
    that are not UTF-8 raise ``CsFormatError`` naming ``field`` and ``path`` (the file
    the column came from) when first decoded, never at construction (which stays O(1)).
    """

    def __init__(self, values: Array, field: str = "", path: str | None = None) -> None:
        if values.dtype.kind != "S" or values.ndim != 1:
            raise TypeError(f"FixedBytesArray wraps a 1-D |S array, got {values.dtype}")
        self._values = values
        self._field = field
        self._path = path

    def _like(self, values: Array) -> FixedBytesArray:
        """Other values of the same field and file (a slice, a take, a copy)."""
        return FixedBytesArray(values, self._field, self._path)

    @classmethod
    def _from_sequence(
        cls, scalars: Sequence[Any], *, dtype: Any = None, copy: bool = False
    ) -> FixedBytesArray:
        values = np.asarray(scalars)
        if values.dtype.kind in "UO":
            values = np.strings.encode(values.astype(str), "utf-8")
        return cls(values.astype("S"))

    @classmethod
    def _from_factorized(cls, values: Array, original: FixedBytesArray) -> FixedBytesArray:
        return cls(np.asarray(values, dtype="S"))

    @property
    def dtype(self) -> FixedBytesDtype:
        return FixedBytesDtype()

    @property
    def nbytes(self) -> int:
        return int(self._values.nbytes)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, np.integer)):
            value = self._values[item]
            try:
                return str(value.decode("utf-8"))
            except UnicodeDecodeError:
                raise not_utf8(self._path, self._field, int(item), value) from None
        item = pd.api.indexers.check_array_indexer(self, item)
        return self._like(self._values[item])

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(value, FixedBytesArray):
            value = value._values
        elif isinstance(value, str):
            value = value.encode("utf-8")
        elif not isinstance(value, bytes):
            value = np.strings.encode(np.asarray(value, dtype=str), "utf-8")
        self._values[key] = value

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, str):
            other = other.encode("utf-8")
        elif isinstance(other, FixedBytesArray):
            other = other._values
        return self._values == other

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Array:
        if dtype is None or np.dtype(dtype).kind == "S":
            return self._values
        return decode(self._values, self._field, self._path).astype(dtype)

    def to_numpy(self, dtype: Any = None, copy: bool = False, na_value: Any = None) -> Array:
        values = self.__array__(dtype)
        return values.copy() if copy else values

    def isna(self) -> Array:
        return np.zeros(len(self._values), dtype=bool)

    def take(
        self, indices: Any, *, allow_fill: bool = False, fill_value: Any = None
    ) -> FixedBytesArray:
        positions = np.asarray(indices, dtype=np.intp)
        if not allow_fill:
            return self._like(self._values.take(positions))
        if (positions < -1).any():
            raise ValueError("with allow_fill, indices must be >= -1")
        missing = positions == -1
        if len(self._values) == 0:
            taken = np.zeros(len(positions), self._values.dtype)
        else:
            taken = self._values.take(np.where(missing, 0, positions))
        taken[missing] = b"" if fill_value is None else fill_value
        return self._like(taken)

    def copy(self) -> FixedBytesArray:
        return self._like(self._values.copy())

    @classmethod
    def _concat_same_type(cls, to_concat: Sequence[FixedBytesArray]) -> FixedBytesArray:
        return cls(np.concatenate([a._values for a in to_concat]))

    def _values_for_factorize(self) -> tuple[Array, Any]:
        return self._values, b""


def to_pandas(array: Array, path: str | None = None) -> pd.DataFrame:
    """One column per scalar field, ``name/i`` per element of a vector field; ``path``
    is the file the array came from, named when a text field is not UTF-8."""
    columns: dict[str, Any] = {}
    for name in array.dtype.names or ():
        column = array[name]
        if column.dtype.kind == "S":
            columns[name] = FixedBytesArray(column, name, path)
        elif column.ndim == 1:
            columns[name] = column
        else:
            # The element count, not -1: a reshape of zero rows cannot infer it.
            flat = column.reshape(len(column), int(np.prod(column.shape[1:])))
            for i in range(flat.shape[1]):
                columns[f"{name}/{i}"] = flat[:, i]
    return pd.DataFrame(columns, copy=False)


def from_pandas(frame: pd.DataFrame) -> Array:
    """A structured array from a DataFrame laid out as ``to_pandas`` makes it."""
    fields: dict[str, list[str]] = {}
    for column in frame.columns:
        if not isinstance(column, str):
            raise DatasetError(f"column names must be field names, got {column!r}")
        match = _VECTOR_COLUMN.match(column)
        fields.setdefault(match.group(1) if match else column, []).append(column)
    descr: list[tuple[str, Any]] = []
    values: dict[str, Array] = {}
    for name, parts in fields.items():
        if len(parts) > 1 or parts[0] != name:
            expected = [f"{name}/{i}" for i in range(len(parts))]
            if parts != expected:
                raise DatasetError(f"vector field {name!r} needs columns {expected}, got {parts}")
            value = np.stack([frame[p].to_numpy() for p in parts], axis=1)
            descr.append((name, (value.dtype, (len(parts),))))
        else:
            value = _column_values(frame[name], name)
            descr.append((name, value.dtype))
        values[name] = value
    if "uid" not in values or values["uid"].dtype != np.dtype("<u8"):
        raise DatasetError("the DataFrame needs a 'uid' column of dtype uint64")
    array = np.empty(len(frame), descr)
    for name, value in values.items():
        array[name] = value
    return array


def _column_values(series: pd.Series[Any], name: str) -> Array:
    data = series.array
    if isinstance(data, FixedBytesArray):
        return data.to_numpy()
    if series.dtype.kind in "biufc":
        return series.to_numpy()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.to_numpy(dtype=str)
        return np.strings.encode(text, "utf-8").astype("S")
    raise DatasetError(f"column {name!r} has dtype {series.dtype}, which a .cs field cannot hold")
