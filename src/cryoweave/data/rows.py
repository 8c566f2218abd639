"""``Row``: one item of a dataset, read and written by field name, as cryosparc-tools has it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

Array = np.ndarray[Any, np.dtype[Any]]


class Columns(dict[str, Array]):
    """A dataset's columns by name, each fetched on its first use (text is decoded then).

    ``get`` is how a column is fetched (``Dataset.__getitem__``); ``names`` are the
    fields in order. A dict, so a row's look-up of a fetched column is one C call.
    """

    __slots__ = ("_get", "names")

    def __init__(self, names: Sequence[str], get: Callable[[str], Array]) -> None:
        super().__init__()
        self.names = list(names)
        self._get = get

    def __missing__(self, key: str) -> Array:
        if key not in self.names:
            raise KeyError(key)
        column = self[key] = self._get(key)
        return column

    def __contains__(self, key: object) -> bool:
        return key in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class Row(Mapping[str, Any]):
    """Row ``idx`` of a dataset's columns: ``row["ctf/df1_A"]``, ``row.to_dict()``.

    Reads and writes go to the dataset's own columns; text reads as ``str``.

    Examples
    --------
    >>> from cryoweave import Dataset
    >>> ds = Dataset([("uid", [7, 8]), ("blob/path", ["J1/a.mrc", "J1/b.mrc"])])
    >>> row = ds.rows()[1]
    >>> row["blob/path"], row.to_list()
    ('J1/b.mrc', [8, 'J1/b.mrc'])
    """

    __slots__ = ("cols", "idx")

    def __init__(self, cols: Mapping[str, Array], idx: int) -> None:
        self.cols = cols
        self.idx = idx

    def __len__(self) -> int:
        return len(self.cols)

    def __getitem__(self, key: str) -> Any:
        return self.cols[key][self.idx]

    def __setitem__(self, key: str, value: Any) -> None:
        self.cols[key][self.idx] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self.cols)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Array:
        return np.array([self.cols[key][self.idx] for key in self.cols], dtype=dtype or object)

    def item(self, key: str, default: Any = None) -> Any:
        """The value of ``key`` as a Python object, or ``default`` without such a field."""
        return _python(self.cols[key][self.idx]) if key in self.cols else default

    def to_list(self, exclude_uid: bool = False) -> list[Any]:
        """Python values in field order (vector fields as lists)."""
        return [_python(self.cols[k][self.idx]) for k in self.cols if not exclude_uid or k != "uid"]

    def to_dict(self) -> dict[str, Any]:
        """Field name to Python value."""
        return {key: _python(self.cols[key][self.idx]) for key in self.cols}

    def from_dict(self, values: Mapping[str, Any]) -> None:
        """Write every field of this row from ``values``."""
        for key in self.cols:
            self[key] = values[key]

    def __repr__(self) -> str:
        return f"Row({self.idx}: {self.to_dict()!r})"


def _python(value: Any) -> Any:
    return value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value
