"""cryoweave: build CryoSPARC processing jobs in a notebook."""

from typing import TYPE_CHECKING, Any

from .data import CsFormatError, Dataset, DatasetError, resolve_exported_paths
from .interop import open_cryosparc_project

if TYPE_CHECKING:
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
    # The widget pulls in ipywidgets; scripts that only read datasets should not pay for it.
    if name == "JobBuilder":
        from .widget import JobBuilder

        return JobBuilder
    raise AttributeError(f"module 'cryoweave' has no attribute {name!r}")
