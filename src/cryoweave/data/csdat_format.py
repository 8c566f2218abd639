"""The CSDAT layout of ``.cs`` files (cryosparc-tools' ``CSDAT_FORMAT``).

Layout: magic ``\\x95CSDAT``, a little-endian u32 header length, a JSON header
``{"length", "dtype", "compression", "compressed_fields"}``, then for each field in
dtype order a u32 byte count and the column's bytes (one raw LZ4 block when the
field is compressed), then the string heap. String columns (``|O``) hold u64
offsets into the heap.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import IO, Any

import lz4.block
import numpy as np

from .errors import CsFormatError
from .npy_format import check_record_dtype
from .strings import check_heap_utf8, string_heap, strings_from_heap

CSDAT_MAGIC = b"\x95CSDAT"
_STRING = "|O"
# A field name of this many bytes or more does not fit CSDAT's column descriptor (52
# bytes with its NUL); readers look it up in the string heap, where the writer puts it.
_SHORT_NAME_BYTES = 52
# LZ4 cannot expand data by more than this factor; a header claiming more lies.
_LZ4_MAX_RATIO = 255

Array = np.ndarray[Any, np.dtype[Any]]


class _Reader:
    """Bounds-checked reads from the bytes of one file."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = memoryview(data)
        self.path = path
        self.pos = 0

    def take(self, count: int, what: str) -> memoryview:
        if count > len(self.data) - self.pos:
            raise CsFormatError(
                self.path,
                f"truncated: {what} needs {count} bytes at offset {self.pos} "
                f"but only {len(self.data) - self.pos} remain",
            )
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def u32(self, what: str) -> int:
        value: int = struct.unpack("<I", self.take(4, what))[0]
        return value


def _parse_header(raw: memoryview, path: str) -> tuple[int, list[tuple[str, Any]], set[str]]:
    try:
        header = json.loads(bytes(raw).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise CsFormatError(path, f"the CSDAT header is not valid JSON ({err})") from None
    if not isinstance(header, dict):
        raise CsFormatError(path, "the CSDAT header is not a JSON object")
    length = header.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        raise CsFormatError(path, f"CSDAT header 'length' must be a count of rows, got {length!r}")
    compression = header.get("compression")
    if compression not in (None, "lz4"):
        raise CsFormatError(path, f"unknown CSDAT compression {compression!r} (lz4 or null)")
    compressed = header.get("compressed_fields", [])
    if not isinstance(compressed, list) or not all(isinstance(c, str) for c in compressed):
        raise CsFormatError(path, "CSDAT header 'compressed_fields' must be a list of names")
    if compressed and compression is None:
        raise CsFormatError(path, "CSDAT header lists compressed fields but no compression")
    fields = _parse_descr(header.get("dtype"), path)
    unknown = set(compressed) - {name for name, _ in fields}
    if unknown:
        raise CsFormatError(path, f"compressed_fields names unknown fields {sorted(unknown)}")
    return length, fields, set(compressed)


def _parse_descr(descr: Any, path: str) -> list[tuple[str, Any]]:
    """``[[name, dtype], [name, dtype, shape]]`` -> [(name, on-disk numpy dtype or _STRING)]."""
    if not isinstance(descr, list) or not descr:
        raise CsFormatError(path, "CSDAT header 'dtype' must be a non-empty list of fields")
    fields: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for entry in descr:
        if (
            not isinstance(entry, list)
            or len(entry) not in (2, 3)
            or not isinstance(entry[0], str)
            or not isinstance(entry[1], str)
        ):
            raise CsFormatError(path, f"malformed field entry {entry!r} in the CSDAT header")
        name, code = entry[0], entry[1]
        if not name:
            raise CsFormatError(path, "a field in the CSDAT header has an empty name")
        if name in seen:
            raise CsFormatError(path, f"duplicate field name {name!r} in the CSDAT header")
        seen.add(name)
        shape = _parse_shape(entry[2] if len(entry) == 3 else [], name, path)
        if code == _STRING:
            if shape:
                raise CsFormatError(path, f"string field {name!r} cannot have a shape")
            fields.append((name, _STRING))
            continue
        try:  # numpy parses dtype text itself and raises several kinds of error
            base = np.dtype(code)
            field = np.dtype((base, shape)) if shape else base
        except Exception:
            raise CsFormatError(
                path,
                f"field {name!r} has an invalid dtype {code!r}"
                + (f" or shape {list(shape)} (too large?)" if shape else ""),
            ) from None
        if base.shape or field.base.kind not in "biufcS" or field.base.itemsize == 0:
            raise CsFormatError(path, f"field {name!r} has an unsupported dtype {code!r}")
        fields.append((name, field))
    if "uid" not in seen:
        raise CsFormatError(path, "no 'uid' field: every .cs dataset is keyed by a uint64 uid")
    return fields


def _parse_shape(shape: Any, name: str, path: str) -> tuple[int, ...]:
    if not isinstance(shape, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and 0 < s < 2**31 for s in shape
    ):
        raise CsFormatError(path, f"field {name!r} has an invalid shape {shape!r}")
    return tuple(shape)


def _field_bytes(reader: _Reader, name: str, expected: int, compressed: bool) -> bytes | memoryview:
    count = reader.u32(f"the byte count of field {name!r}")
    if not compressed:
        if count != expected:
            raise CsFormatError(
                reader.path, f"field {name!r} holds {count} bytes, expected {expected} for its rows"
            )
        return reader.take(count, f"field {name!r}")
    block = reader.take(count, f"the lz4 block of field {name!r}")
    if expected > count * _LZ4_MAX_RATIO + 16:
        raise CsFormatError(
            reader.path,
            f"the lz4 block of field {name!r} ({count} bytes) cannot hold {expected} bytes",
        )
    try:
        out: bytes = lz4.block.decompress(block, uncompressed_size=expected)
    except (lz4.block.LZ4BlockError, OverflowError, ValueError) as err:
        # OverflowError: a claimed size beyond what one lz4 block can hold (2 GiB)
        raise CsFormatError(
            reader.path, f"the lz4 block of field {name!r} does not decompress ({err})"
        ) from None
    if len(out) != expected:
        raise CsFormatError(
            reader.path,
            f"the lz4 block of field {name!r} decompresses to {len(out)} bytes, "
            f"expected {expected}",
        )
    return out


def read_csdat(path: str, f: IO[bytes], keep: Callable[[str], bool] | None = None) -> Array:
    """Read a CSDAT file from the open handle ``f`` (at offset 0).

    ``keep`` chooses fields by name; the bytes of the others are skipped, not decoded.
    """
    reader = _Reader(f.read(), path)
    if bytes(reader.take(len(CSDAT_MAGIC), "the magic")) != CSDAT_MAGIC:
        raise CsFormatError(path, "not a CSDAT file (wrong magic)")
    header_size = reader.u32("the header length")
    rows, every, compressed = _parse_header(reader.take(header_size, "the header"), path)
    fields = [(name, dt) for name, dt in every if keep is None or keep(name)]

    raw_columns: dict[str, bytes | memoryview] = {}
    if rows:
        for name, dt in every:
            if keep is not None and not keep(name):
                reader.take(reader.u32(f"the byte count of field {name!r}"), f"field {name!r}")
                continue
            itemsize = 8 if dt is _STRING else dt.itemsize
            raw_columns[name] = _field_bytes(reader, name, rows * itemsize, name in compressed)
    heap = np.frombuffer(reader.take(len(reader.data) - reader.pos, "the string heap"), np.uint8)
    if any(dt is _STRING for _, dt in fields):
        check_heap_utf8(heap, path)

    columns: dict[str, Array] = {}
    for name, dt in fields:
        if dt is _STRING:
            offsets = np.frombuffer(raw_columns[name], "<u8") if rows else np.zeros(0, "<u8")
            columns[name] = strings_from_heap(offsets, heap, path, name)
        elif rows:
            columns[name] = np.frombuffer(raw_columns[name], dt.base).reshape((rows, *dt.shape))
    dtype = np.dtype([(name, columns[name].dtype if dt is _STRING else dt) for name, dt in fields])
    check_record_dtype(path, dtype)
    array = np.empty(rows, dtype)
    if rows:
        for name in dtype.names or ():
            array[name] = columns[name]
    return array


def csdat_chunks(array: Array, compression: str | None, source: str | None = None) -> list[bytes]:
    """Encode a structured array as CSDAT; return the file's bytes in order.

    Raises
    ------
    CsFormatError
        When a text field is not UTF-8, naming ``source`` (the file the array came from)
        and the field.
    """
    dtype = array.dtype
    names = list(dtype.names or ())
    descr: list[list[Any]] = []
    for name in names:
        field = dtype[name]
        if field.kind == "S":
            descr.append([name, _STRING])
        elif field.shape:
            descr.append([name, field.base.str, list(field.shape)])
        else:
            descr.append([name, field.str])
    compressed = [name for name in names if compression and name != "uid"]
    header = json.dumps(
        {
            "length": len(array),
            "dtype": descr,
            "compression": compression,
            "compressed_fields": compressed,
        }
    ).encode()
    chunks = [CSDAT_MAGIC, struct.pack("<I", len(header)), header]
    rows = len(array) > 0
    strings = {name: array[name] for name in names if rows and dtype[name].kind == "S"}
    long_names = [name for name in names if len(name.encode()) >= _SHORT_NAME_BYTES]
    heap, offsets = string_heap(strings, source, long_names)
    for name in names if rows else []:
        data = np.ascontiguousarray(offsets.get(name, array[name])).tobytes()
        if name in compressed:
            data = lz4.block.compress(data, store_size=False)
        chunks += [struct.pack("<I", len(data)), data]
    chunks.append(heap)
    return chunks
