"""The dataset layer: ``.cs`` files, uid joins and pandas views.

numpy throughout, plus numba for the compiled uid lookups of joins and appends
(``uid_kernels``, imported on a join's first use).
"""

from .dataset import Dataset
from .errors import CsFormatError, DatasetError
from .layout import new_uids
from .rows import Row
from .strings import resolve_exported_paths

__all__ = ["CsFormatError", "Dataset", "DatasetError", "Row", "new_uids", "resolve_exported_paths"]
