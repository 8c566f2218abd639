"""cryoweave: build CryoSPARC processing jobs in a notebook."""

from typing import TYPE_CHECKING, Any

from .data import CsFormatError, Dataset, DatasetError, resolve_exported_paths

if TYPE_CHECKING:
    from .interop import open_cryosparc_project
    from .widget import JobBuilder

__all__ = [
    "CsFormatError",
    "Dataset",
    "DatasetError",
    "JobBuilder",
    "open_cryosparc_project",
    "resolve_exported_paths",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The widget pulls in ipywidgets and the job model; scripts that only read datasets
    # should not pay for either.
    if name == "JobBuilder":
        from .widget import JobBuilder

        return JobBuilder
    if name == "open_cryosparc_project":
        from .interop import open_cryosparc_project

        return open_cryosparc_project
    raise AttributeError(f"module 'cryoweave' has no attribute {name!r}")
