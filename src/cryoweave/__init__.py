"""cryoweave: build CryoSPARC processing jobs in a notebook."""

from .data import CsFormatError, Dataset, DatasetError, resolve_exported_paths

__all__ = ["CsFormatError", "Dataset", "DatasetError", "resolve_exported_paths"]
__version__ = "0.1.0"
