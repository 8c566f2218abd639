"""cryosparc-tools' verbs that combine datasets by rows: ``union``, ``interlace``, ``extend``,
``replace`` and ``common_fields``, on cryoweave's ``Dataset``.

Rows are gathered by the same byte-copying kernels as ``append`` (``joins.append_arrays``);
text fields of different widths combine at the widest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from . import joins
from .errors import DatasetError
from .layout import labels
from .uid_match import first_rows
from .verbs import DatasetVerbs, _class, _me

if TYPE_CHECKING:
    from .dataset import Dataset

Array = np.ndarray[Any, np.dtype[Any]]


class CombiningVerbs(DatasetVerbs):
    """Row-combining verbs of cryosparc-tools' ``Dataset`` (see the module docstring)."""

    __slots__ = ()

    @staticmethod
    def common_fields(*datasets: Dataset, assert_same_fields: bool = False) -> list[str]:
        """Names of the fields every dataset has with the same dtype (text as text), in the
        first one's order.

        cryosparc-tools gives ``(name, dtype)`` pairs; here a text field's stored width
        is no part of it, so names are given.

        Raises
        ------
        DatasetError
            ``assert_same_fields`` and a dataset has a field the others lack.
        """
        if not datasets:
            return []
        keys = [{_key(d, n): n for n in d.fields()} for d in datasets]
        common = set.intersection(*(set(k) for k in keys))
        if assert_same_fields and any(len(k) != len(common) for k in keys):
            extra = sorted({n for k in keys for key, n in k.items() if key not in common})
            raise DatasetError(f"the datasets do not have the same fields: {extra} differ")
        return [n for key, n in keys[0].items() if key in common]

    def union(
        self, *others: Dataset, assert_same_fields: bool = False, assume_unique: bool = False
    ) -> Dataset:
        """Rows of this dataset and the others, each uid once (its first row), in order.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> a, b = Dataset([("uid", [1, 2])]), Dataset([("uid", [2, 3])])
        >>> a.union(b)["uid"].tolist()
        [1, 2, 3]
        """
        if not others:
            return _me(self)
        return _class(self).union_many(
            _me(self), *others, assert_same_fields=assert_same_fields, assume_unique=assume_unique
        )

    @classmethod
    def union_many(
        cls, *datasets: Dataset, assert_same_fields: bool = False, assume_unique: bool = False
    ) -> Dataset:
        """``union`` of any number of datasets (none: an empty dataset)."""
        out = cast("type[Dataset]", cls)
        if not datasets:
            return out()
        full = [d for d in datasets if len(d)]
        if not full:
            return out(datasets[0])
        names = cls.common_fields(*full, assert_same_fields=assert_same_fields)
        uids = np.concatenate([d["uid"] for d in full])
        keep = first_rows(uids)
        bounds = np.cumsum([0, *(len(d) for d in full)])
        parts = [d.array[names][keep[bounds[i] : bounds[i + 1]]] for i, d in enumerate(full)]
        return out(joins.append_arrays(parts, labels(full), repeat_allowed=True))

    def interlace(self, *datasets: Dataset, assert_same_fields: bool = False) -> Dataset:
        """Rows taken in turn from this dataset and the others (all of one length).

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> Dataset([("uid", [1, 2])]).interlace(Dataset([("uid", [3, 4])]))["uid"].tolist()
        [1, 3, 2, 4]

        Raises
        ------
        DatasetError
            The lengths differ, or a uid is in two of them.
        """
        if not datasets:
            return _me(self)
        every = (_me(self), *datasets)
        if any(len(d) != len(self) for d in datasets):
            raise DatasetError("All datasets must be the same length to interlace.")
        names = self.common_fields(*every, assert_same_fields=assert_same_fields)
        stacked = joins.append_arrays([d.array[names] for d in every], labels(every), False)
        order = np.arange(len(stacked)).reshape(len(every), len(self)).T.reshape(-1)
        return _class(self)(stacked[order])

    def extend(self, *others: Dataset, repeat_allowed: bool = False) -> Dataset:
        """Add the others' rows at the end of this dataset (they need at least its fields).

        Returns this dataset. Stricter than cryosparc-tools, which looks for a repeated
        uid among the others only: a uid of this dataset in another is refused too (it
        would be in the result twice, and joins would confuse its rows).

        Raises
        ------
        DatasetError
            Another dataset lacks a field of this one, or (unless ``repeat_allowed``) a uid
            is in two of them.
        """
        full = [d for d in others if len(d)]
        if not full:
            return _me(self)
        names = self.fields()
        missing = set(names) - set(self.common_fields(_me(self), *full))
        if missing:
            raise DatasetError(f"Cannot extend: some datasets lack the fields {sorted(missing)}")
        every = [_me(self), *full]
        parts = [d.array[names] for d in every]
        self._set_array(joins.append_arrays(parts, labels(every), repeat_allowed))
        return _me(self)

    def replace(
        self,
        query: Mapping[str, Any],
        *others: Dataset,
        assume_disjoint: bool = False,
        assume_unique: bool = False,
    ) -> Dataset:
        """This dataset without the rows matching ``query`` or in the others, then the others.

        Examples
        --------
        >>> from cryoweave import Dataset
        >>> ds = Dataset([("uid", [1, 2, 3]), ("ctf/exp_group_id", [1, 2, 1])])
        >>> new = Dataset([("uid", [9]), ("ctf/exp_group_id", [5])])
        >>> ds.replace({"ctf/exp_group_id": 1}, new)["uid"].tolist()
        [2, 9]
        """
        full = [d for d in others if len(d)]
        names = self.common_fields(_me(self), *full, assert_same_fields=True)
        keep = np.ones(len(self), bool)
        if not assume_disjoint:
            for other in full:
                keep &= ~np.isin(self["uid"], other["uid"], assume_unique=assume_unique)
        if query:
            keep &= self.query_mask(query, invert=True)
        every = [_me(self), *full]
        parts = [self.array[names][keep], *(d.array[names] for d in full)]
        return _class(self)(joins.append_arrays(parts, labels(every), repeat_allowed=True))


def _key(ds: Dataset, name: str) -> tuple[str, str]:
    """A field as ``common_fields`` compares it: text by name, others by dtype too."""
    if ds._is_text(name):
        return (name, "text")
    return (name, str(ds.array.dtype[name]))
