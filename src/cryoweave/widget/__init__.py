"""Notebook widgets of cryoweave, drawn by the bundled React front end in ``js/``."""

from __future__ import annotations

from .dataset_view import DatasetView

__all__ = ["DatasetView"]
