"""A notebook widget that shows what a dataset holds."""

from __future__ import annotations

import pathlib
from collections.abc import Mapping
from typing import Any

import anywidget
import traitlets

from ..data import Dataset
from ..data.summary import dataset_summary

BUNDLE_PATH = pathlib.Path(__file__).parent.parent / "static" / "widget.js"

# anywidget reads a path ``_esm`` when the class is defined and raises FileNotFoundError if the
# file is absent. Deciding here lets ``import cryoweave.widget`` work without the bundle, so the
# constructor can tell the user how to get it.
_BUNDLE_FOUND = BUNDLE_PATH.is_file()

_SUMMARY_KEYS = frozenset({"rows", "path", "groups"})


class DatasetView(anywidget.AnyWidget):
    """Show a dataset summary: the row count, the source path and the fields of each result.

    Parameters
    ----------
    summary : Mapping[str, Any]
        JSON-compatible summary with keys ``rows`` (int), ``path`` (str or None) and
        ``groups``: a list of ``{"prefix": str, "fields": [{"name", "dtype", "shape"}]}``,
        the first with prefix ``""`` holding ``uid``, then one per result prefix.

    Raises
    ------
    RuntimeError
        If the JavaScript bundle is missing, which means the package was installed without
        building it.
    ValueError
        If ``summary`` lacks one of its keys.

    Examples
    --------
    >>> DatasetView({"rows": 0, "path": None, "groups": []})  # doctest: +SKIP
    """

    _esm = BUNDLE_PATH if _BUNDLE_FOUND else ""

    summary = traitlets.Dict().tag(sync=True)

    def __init__(self, summary: Mapping[str, Any]) -> None:
        if not _BUNDLE_FOUND:
            raise RuntimeError(
                f"The cryoweave widget bundle is missing ({BUNDLE_PATH}). It is built from js/ "
                "when the package is installed: reinstall with `pip install -e .` (Node.js and "
                "npm must be on PATH), then restart the kernel."
            )
        missing = _SUMMARY_KEYS - summary.keys()
        if missing:
            raise ValueError(f"summary lacks the keys {sorted(missing)}")
        super().__init__(summary=dict(summary))

    @classmethod
    def of(cls, dataset: Dataset) -> DatasetView:
        """The widget for a dataset: ``DatasetView.of(Dataset.load("J12_particles.cs"))``."""
        return cls(dataset_summary(dataset))
