"""Notebook widgets of cryoweave, drawn by the bundled React front end in ``js/``."""

from __future__ import annotations

from .dataset_view import DatasetView
from .job_builder import JobBuilder
from .standalone import export_html

__all__ = ["DatasetView", "JobBuilder", "export_html"]
