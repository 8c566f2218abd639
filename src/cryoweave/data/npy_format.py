"""The numpy ``.npy`` layout of ``.cs`` files: memory-mapped reads, atomic writes.

CryoSPARC writes a 1-D structured array with ``numpy.save`` (format 1.0). Reading
parses only the header and maps the data, so opening costs the same for ten rows
or ten million.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import IO, Any, cast

import numpy as np

from .errors import CsFormatError

NPY_MAGIC = b"\x93NUMPY"
# cryosparc-tools raises numpy's header limit too: files with hundreds of fields
# have headers far beyond numpy's 10 kB default.
_MAX_HEADER_SIZE = 1 << 26


def read_npy(path: str, f: IO[bytes], file_size: int) -> np.ndarray[Any, np.dtype[Any]]:
    """Read a numpy-format ``.cs`` file from the open handle ``f`` (at offset 0)."""
    try:
        version = np.lib.format.read_magic(f)
    except ValueError as err:
        raise CsFormatError(path, f"not a numpy-format .cs file ({err})") from None
    if version not in {(1, 0), (2, 0)}:
        raise CsFormatError(path, f"numpy format version {version} is not supported (1.0 or 2.0)")
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    header_start = f.tell()
    try:
        shape, _fortran_order, dtype = read_header(f, max_header_size=_MAX_HEADER_SIZE)
    except Exception as err:  # numpy raises several kinds on a malformed header text
        f.seek(header_start)
        repeated = _repeated_names(f, version)
        if repeated:
            raise CsFormatError(path, f"duplicate field name {repeated!r} in the header") from None
        raise CsFormatError(path, f"malformed numpy header ({err})") from None
    data_offset = f.tell()
    check_record_dtype(path, dtype)
    if len(shape) != 1:
        raise CsFormatError(path, f"expected a 1-D table of records, the header says shape {shape}")
    rows = shape[0]
    expected = rows * dtype.itemsize
    actual = file_size - data_offset
    if expected != actual:
        raise CsFormatError(
            path,
            f"the header promises {rows} rows of {dtype.itemsize} bytes ({expected} bytes) "
            f"but the file holds {actual} bytes of data after its header"
            + (" (truncated?)" if actual < expected else ""),
        )
    if rows == 0:
        return np.empty(0, dtype)
    if not _has_fileno(f):  # a stream in memory (io.BytesIO): its bytes, copied
        return np.frombuffer(f.read(expected), dtype, rows).copy()
    # Copy-on-write: the dataset can be edited in memory; the file never changes.
    # Mapped from the open handle, not reopened by name: what was checked is what is read.
    mapped = np.memmap(f, dtype=dtype, mode="c", offset=data_offset, shape=(rows,))
    return mapped.view(np.ndarray)


def _has_fileno(f: IO[bytes]) -> bool:
    try:
        f.fileno()
    except (OSError, AttributeError):  # io.UnsupportedOperation is an OSError
        return False
    return True


def _repeated_names(f: IO[bytes], version: tuple[int, int]) -> str | None:
    """The first field name a header's ``descr`` lists twice, if it can be read."""
    size_bytes = 2 if version == (1, 0) else 4
    try:
        size = int.from_bytes(f.read(size_bytes), "little")
        header = ast.literal_eval(f.read(size).decode("latin1"))
        names = [entry[0] for entry in header["descr"]]
    except Exception:  # the header is unreadable in some other way
        return None
    seen: set[object] = set()
    for name in names:
        if name in seen:
            return str(name)
        seen.add(name)
    return None


def check_record_dtype(path: str | None, dtype: np.dtype[Any]) -> None:
    """Refuse dtypes that are not a table of ``.cs`` records."""
    if dtype.names is None:
        raise CsFormatError(path, f"expected a structured array of records, found dtype {dtype}")
    if dtype.hasobject:
        bad = [name for name in dtype.names if dtype[name].hasobject]
        raise CsFormatError(
            path,
            f"field(s) {', '.join(bad)} hold Python objects; a .cs file never needs pickle "
            "and cryoweave refuses to unpickle",
        )
    if "uid" not in dtype.names:
        raise CsFormatError(path, "no 'uid' field: every .cs dataset is keyed by a uint64 uid")
    if dtype["uid"] != np.dtype("<u8"):
        raise CsFormatError(path, f"field 'uid' must be <u8 (uint64), found {dtype['uid'].str}")
    for name in dtype.names:
        if dtype[name].base.names is not None:
            raise CsFormatError(path, f"field {name!r} is itself structured; fields must be plain")


def write_npy(array: np.ndarray[Any, np.dtype[Any]], f: IO[bytes]) -> None:
    """Write ``array`` (packed, 1-D, structured) to an open binary file."""
    np.lib.format.write_array(f, array, allow_pickle=False)


def write_npy_blocks(
    dtype: np.dtype[Any],
    size: int,
    blocks: Iterable[np.ndarray[Any, np.dtype[Any]]],
    f: IO[bytes],
) -> None:
    """Write ``size`` records of ``dtype`` (packed) given as consecutive ``blocks``: the
    same bytes ``write_npy`` writes for them as one array, without that array."""
    header = np.lib.format.header_data_from_array_1_0(np.empty(0, dtype))
    header["shape"] = (size,)
    try:
        np.lib.format.write_array_header_1_0(f, header)
    except ValueError:  # a header past 64 KiB (thousands of fields) needs version 2
        np.lib.format.write_array_header_2_0(f, header)
    for block in blocks:
        f.write(cast(bytes, block.data))  # the block's buffer, not a copy of it
