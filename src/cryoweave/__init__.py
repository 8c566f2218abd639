"""cryoweave: build CryoSPARC processing jobs in a notebook."""

from .data import CsFormatError, Dataset, DatasetError, resolve_exported_paths
from .interop import open_cryosparc_project

__all__ = [
    "CsFormatError",
    "Dataset",
    "DatasetError",
    "open_cryosparc_project",
    "resolve_exported_paths",
]
__version__ = "0.1.0"
