"""cryoweave: build CryoSPARC processing jobs in a notebook.

The names a notebook reaches for are here: ``Dataset`` (a ``.cs`` table), ``Project`` and
``ConnectionRefused`` (the job model), ``open_cryosparc_project`` and ``JobBuilder`` (the
canvas), ``export_svg`` (the graph as a figure) and ``export_html`` (the canvas as one
page that needs no kernel). The job model, CryoSPARC folders and the
widget load on first use, so a script that only reads datasets pays for none of them.
"""

from typing import TYPE_CHECKING, Any

from .data import CsFormatError, Dataset, DatasetError, resolve_exported_paths

if TYPE_CHECKING:
    from .graph import ConnectionRefused, Project
    from .interop import export_svg, open_cryosparc_project
    from .widget import JobBuilder, export_html

__all__ = [
    "ConnectionRefused",
    "CsFormatError",
    "Dataset",
    "DatasetError",
    "JobBuilder",
    "Project",
    "export_html",
    "export_svg",
    "open_cryosparc_project",
    "resolve_exported_paths",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("Project", "ConnectionRefused"):
        from . import graph

        return getattr(graph, name)
    if name in ("JobBuilder", "export_html"):
        from . import widget

        return getattr(widget, name)
    if name in ("open_cryosparc_project", "export_svg"):
        from . import interop

        return getattr(interop, name)
    raise AttributeError(f"module 'cryoweave' has no attribute {name!r}")
