"""Malformed ``.cs`` files are refused with ``CsFormatError`` naming the file and the problem.

The bad files are built by hand (``struct``, ``json``, ``lz4.block`` for CSDAT; a
hand-written header text or ``numpy.save`` for the numpy layout), never with
cryoweave's own writer. Each builder is first checked to produce a file that loads
(in cryoweave and in cryosparc-tools), so each bad file differs from a good one only
by the defect under test.

The second half checks the save side: failed saves leave no temporary file and never
damage an existing file.
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
from pathlib import Path
from typing import Any

import lz4.block
import numpy as np
import pytest
from cryosparc import dataset as cstools

import cryoweave
from cryoweave.data import csdat_format, npy_format

CSDAT_MAGIC = b"\x95CSDAT"
NPY_MAGIC = b"\x93NUMPY"


def assert_refused(path: Path, *phrases: str) -> cryoweave.CsFormatError:
    """Loading ``path`` raises CsFormatError whose message names the path and each phrase."""
    with pytest.raises(cryoweave.CsFormatError) as info:
        cryoweave.Dataset.load(path)
    message = str(info.value)
    assert str(path) in message, message
    for phrase in phrases:
        assert re.search(phrase, message, re.IGNORECASE), f"{phrase!r} not in {message!r}"
    return info.value


def write(tmp_path: Path, data: bytes, name: str = "bad.cs") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- a good CSDAT file, by hand -------------------------------------------------------------------

UIDS = np.array([11, 12, 13, 2**64 - 1], "<u8")
DF1 = np.array([1.5, 2.5, -3.0, 1e4], "<f4")
SHAPES = np.array([[64, 64], [64, 64], [128, 96], [1, 2]], "<u4")
PATHS = [">J1/a.mrc", "", "µ-scope/é.mrc", ">J1/a.mrc"]
HEAP = b"\0>J1/a.mrc\0" + "µ-scope/é.mrc".encode() + b"\0"  # deduplicated, "" at offset 0
OFFSETS = np.array([1, 0, 11, 1], "<u8")
FIELDS: list[list[Any]] = [
    ["uid", "<u8"],
    ["ctf/df1_A", "<f4"],
    ["blob/shape", "<u4", [2]],
    ["blob/path", "|O"],
]


def raw_columns() -> dict[str, bytes]:
    return {
        "uid": UIDS.tobytes(),
        "ctf/df1_A": DF1.tobytes(),
        "blob/shape": SHAPES.tobytes(),
        "blob/path": OFFSETS.tobytes(),
    }


def csdat_header(compressed: bool = True, **changes: Any) -> dict[str, Any]:
    header: dict[str, Any] = {
        "length": len(UIDS),
        "dtype": FIELDS,
        "compression": "lz4" if compressed else None,
        "compressed_fields": [f[0] for f in FIELDS if f[0] != "uid"] if compressed else [],
    }
    header.update(changes)
    return header


def lz4_block(data: bytes) -> bytes:
    return lz4.block.compress(data, store_size=False)


def csdat_blocks(compressed: bool = True) -> list[bytes]:
    return [
        lz4_block(raw) if compressed and name != "uid" else raw
        for name, raw in raw_columns().items()
    ]


def csdat(header: Any, blocks: list[bytes], heap: bytes = HEAP) -> bytes:
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    body = b"".join(struct.pack("<I", len(block)) + block for block in blocks)
    return CSDAT_MAGIC + struct.pack("<I", len(text)) + text + body + heap


def good_csdat(compressed: bool = True) -> bytes:
    return csdat(csdat_header(compressed), csdat_blocks(compressed))


# -- a good numpy file, by hand -------------------------------------------------------------------


def good_array() -> np.ndarray[Any, Any]:
    array = np.zeros(len(UIDS), [("uid", "<u8"), ("ctf/df1_A", "<f4"), ("blob/path", "S16")])
    array["uid"] = UIDS
    array["ctf/df1_A"] = DF1
    array["blob/path"] = [p.encode() for p in PATHS]
    return array


def npy(header_text: str, data: bytes, *, header_len: int | None = None) -> bytes:
    """A version 1.0 ``.npy`` file with the given header dict text, padded like numpy."""
    text = header_text.encode("latin1")
    text += b" " * ((-(len(NPY_MAGIC) + 4 + len(text) + 1)) % 64) + b"\n"
    length = len(text) if header_len is None else header_len
    return NPY_MAGIC + b"\x01\x00" + struct.pack("<H", length) + text + data


def npy_header(descr: str | None = None, shape: str | None = None) -> str:
    descr = repr(good_array().dtype.descr) if descr is None else descr
    shape = f"({len(UIDS)},)" if shape is None else shape
    return f"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}"


def good_npy() -> bytes:
    return npy(npy_header(), good_array().tobytes())


# -- the builders make good files -----------------------------------------------------------------


@pytest.mark.parametrize("compressed", [True, False])
def test_hand_built_csdat_is_good(tmp_path: Path, compressed: bool) -> None:
    path = write(tmp_path, good_csdat(compressed), "good.cs")
    ds = cryoweave.Dataset.load(path)
    assert ds.array["uid"].tolist() == UIDS.tolist()
    assert ds["ctf/df1_A"].tolist() == DF1.tolist()
    assert ds["blob/shape"].tolist() == SHAPES.tolist()
    assert ds.strings("blob/path").tolist() == PATHS
    peer = cstools.Dataset.load(str(path))
    assert list(peer["blob/path"]) == PATHS
    assert peer["blob/shape"].tolist() == SHAPES.tolist()


def test_hand_built_npy_is_good(tmp_path: Path) -> None:
    path = write(tmp_path, good_npy(), "good.cs")
    assert np.load(path, allow_pickle=False).tobytes() == good_array().tobytes()
    ds = cryoweave.Dataset.load(path)
    assert ds.array.tobytes() == good_array().tobytes()
    assert ds.strings("blob/path").tolist() == PATHS


# -- both layouts ---------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert_refused(write(tmp_path, b""), r"empty|magic b''")


@pytest.mark.parametrize(
    "magic",
    [b"\x93NUMPX", b"\x95CSDAX", b"PK\x03\x04\x14\x00", b"\x00" * 6, b"NUMPY\x93"],
)
def test_wrong_magic(tmp_path: Path, magic: bytes) -> None:
    for good in (good_npy(), good_csdat()):
        path = write(tmp_path, magic + good[6:])
        assert_refused(path, "magic")


def test_missing_file_is_an_os_error_not_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        cryoweave.Dataset.load(tmp_path / "nowhere.cs")


# -- numpy layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cut", "phrase"),
    [
        (-1, "truncated"),
        (-len(UIDS) * good_array().dtype.itemsize // 2, "truncated"),
        (-len(UIDS) * good_array().dtype.itemsize, "truncated"),  # header only
        (7, "not a numpy|magic|EOF"),  # inside the version bytes
        (9, "header"),  # inside the header length
        (40, "header"),  # inside the header text
    ],
)
def test_npy_truncated(tmp_path: Path, cut: int, phrase: str) -> None:
    data = good_npy()
    assert_refused(write(tmp_path, data[:cut]), phrase)


@pytest.mark.parametrize(
    ("lie", "phrase"),
    [
        (+1, "header"),
        (+16, "header"),
        (+5000, "header"),  # beyond the end of the file
        (-1, "header promises|header"),
        (-64, "header"),
    ],
)
def test_npy_header_length_lies(tmp_path: Path, lie: int, phrase: str) -> None:
    data = good_npy()
    (length,) = struct.unpack("<H", data[8:10])
    bad = data[:8] + struct.pack("<H", length + lie) + data[10:]
    assert_refused(write(tmp_path, bad), phrase)


@pytest.mark.parametrize("rows", [len(UIDS) + 1, len(UIDS) * 100, 2**40, len(UIDS) - 1, 0])
def test_npy_row_count_lies(tmp_path: Path, rows: int) -> None:
    bad = npy(npy_header(shape=f"({rows},)"), good_array().tobytes())
    error = assert_refused(write(tmp_path, bad), f"{rows} rows")
    if rows > len(UIDS):
        assert "truncated" in error.problem


def test_npy_not_one_dimensional(tmp_path: Path) -> None:
    bad = npy(npy_header(shape=f"({len(UIDS)}, 1)"), good_array().tobytes())
    assert_refused(write(tmp_path, bad), "1-D|shape")


def test_npy_duplicate_field_names(tmp_path: Path) -> None:
    descr = "[('uid', '<u8'), ('ctf/df1_A', '<f4'), ('ctf/df1_A', '<f4')]"
    bad = npy(npy_header(descr=descr), b"\0" * 16 * len(UIDS))
    assert_refused(write(tmp_path, bad), "duplicate|already used|more than once")


def test_npy_without_uid(tmp_path: Path) -> None:
    array = np.zeros(3, [("blob/idx", "<u4"), ("ctf/df1_A", "<f4")])
    buffer = io.BytesIO()
    np.save(buffer, array)
    assert_refused(write(tmp_path, buffer.getvalue()), "uid")


def test_npy_uid_of_the_wrong_type(tmp_path: Path) -> None:
    array = np.zeros(3, [("uid", "<i8"), ("ctf/df1_A", "<f4")])
    buffer = io.BytesIO()
    np.save(buffer, array)
    assert_refused(write(tmp_path, buffer.getvalue()), "uid", "<u8|uint64")


def test_npy_plain_array_is_not_a_table(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(10, dtype="<u8"))
    assert_refused(write(tmp_path, buffer.getvalue()), "structured|record")


class Booby:
    """Unpickling this creates a directory: proof that something was unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


@pytest.mark.parametrize("structured", [True, False])
def test_npy_with_python_objects_is_refused_and_never_unpickled(
    tmp_path: Path, structured: bool
) -> None:
    marker = tmp_path / "unpickled"
    if structured:
        array = np.zeros(2, [("uid", "<u8"), ("blob/path", "O")])
        array["blob/path"] = [Booby(marker), "plain.mrc"]
    else:
        array = np.array([Booby(marker), 1], dtype=object)
    path = tmp_path / "objects.cs"
    with open(path, "wb") as f:
        np.save(f, array, allow_pickle=True)

    error = assert_refused(path, "object|pickle" if structured else "structured|object")
    if structured:
        assert "blob/path" in error.problem
    assert not marker.exists(), "cryoweave unpickled the file"

    # The file is armed: unpickling it really does create the marker.
    np.load(path, allow_pickle=True)
    assert marker.exists()


def test_npy_strings_that_are_not_utf8(tmp_path: Path) -> None:
    """A numpy file may hold any bytes; decoding them names the file and field."""
    array = good_array()
    array["blob/path"][2] = b"\xff\xfe"
    path = write(tmp_path, npy(npy_header(), array.tobytes()))
    ds = cryoweave.Dataset.load(path)
    with pytest.raises(cryoweave.CsFormatError) as info:
        ds.strings("blob/path")
    assert str(path) in str(info.value)
    assert "blob/path" in str(info.value)
    assert "UTF-8" in str(info.value)


# -- CSDAT layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("where", ["magic", "header length", "header", "first field", "last field"])
def test_csdat_truncated(tmp_path: Path, compressed: bool, where: str) -> None:
    data = good_csdat(compressed)
    text_len = len(json.dumps(csdat_header(compressed)).encode())
    fields_end = len(data) - len(HEAP)
    last_block = csdat_blocks(compressed)[-1]
    cut = {
        "magic": 4,
        "header length": 8,
        "header": 10 + text_len // 2,
        "first field": 10 + text_len + 4 + 3,
        "last field": fields_end - len(last_block) // 2,
    }[where]
    phrase = "magic" if where == "magic" else "truncated"
    assert_refused(write(tmp_path, data[:cut]), phrase)


def test_csdat_truncated_heap(tmp_path: Path) -> None:
    data = good_csdat()
    assert_refused(write(tmp_path, data[:-8]), "blob/path", "heap|NUL")


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("length", [len(UIDS) - 1, len(UIDS) + 1, 1, 0])
def test_csdat_length_lies(tmp_path: Path, compressed: bool, length: int) -> None:
    bad = csdat(csdat_header(compressed, length=length), csdat_blocks(compressed))
    if length == 0:  # no fields follow an empty table: the column bytes become the "heap"
        assert_refused(write(tmp_path, bad), "heap|UTF-8|length|trailing|bytes")
    else:
        assert_refused(write(tmp_path, bad), "uid", f"{8 * length}")


@pytest.mark.parametrize(
    "length",
    [2**40, 2**60, 2**64 - 1, 2**64, 10**30],
)
@pytest.mark.parametrize("compressed", ["none", "lz4", "lz4-with-uid"])
def test_csdat_huge_length_fails_fast(tmp_path: Path, compressed: str, length: int) -> None:
    header = csdat_header(compressed != "none", length=length)
    blocks = csdat_blocks(compressed != "none")
    if compressed == "lz4-with-uid":
        header["compressed_fields"] = [f[0] for f in FIELDS]
        blocks[0] = lz4_block(blocks[0])
    path = write(tmp_path, csdat(header, blocks))
    # Refused from the header's claims, before any allocation (which would be a MemoryError).
    assert_refused(path, "uid|lz4|bytes")


def test_csdat_lz4_block_claiming_more_than_lz4_can_hold(tmp_path: Path) -> None:
    """A block large enough to pass the ratio check, for a size beyond one lz4 block."""
    length = 700_000_000  # 5.6 GB of uids: more than the 2 GiB an lz4 block can hold
    header = csdat_header(True, length=length, dtype=[["uid", "<u8"]])
    header["compressed_fields"] = ["uid"]
    block = bytes(24_000_000)
    path = write(tmp_path, csdat(header, [block], heap=b"\0"))
    assert_refused(path, "uid", "lz4")


def test_csdat_without_uid(tmp_path: Path) -> None:
    header = csdat_header(dtype=FIELDS[1:])
    header["compressed_fields"] = [f[0] for f in FIELDS[1:]]
    bad = csdat(header, csdat_blocks()[1:])
    assert_refused(write(tmp_path, bad), "uid")


@pytest.mark.parametrize("compressed", [True, False])
def test_csdat_duplicate_field_names(tmp_path: Path, compressed: bool) -> None:
    header = csdat_header(compressed, dtype=[*FIELDS, ["ctf/df1_A", "<f4"]])
    blocks = csdat_blocks(compressed)
    bad = csdat(header, [*blocks, blocks[1]])
    assert_refused(write(tmp_path, bad), "duplicate", "ctf/df1_A")


@pytest.mark.parametrize(
    "block",
    [b"\xff" * 8, bytes(range(200, 216)), b"\x1f" + b"\x00" * 40, b"\xf0" + b"\xff" * 6],
)
def test_csdat_lz4_block_that_does_not_decompress(tmp_path: Path, block: bytes) -> None:
    blocks = csdat_blocks()
    blocks[1] = block
    assert_refused(write(tmp_path, csdat(csdat_header(), blocks)), "ctf/df1_A", "decompress")


@pytest.mark.parametrize("change", ["fewer", "more", "one more", "empty"])
def test_csdat_lz4_block_of_the_wrong_size(tmp_path: Path, change: str) -> None:
    raw = DF1.tobytes()
    data = {"fewer": raw[:-4], "more": raw + raw, "one more": raw + b"\0", "empty": b""}[change]
    blocks = csdat_blocks()
    blocks[1] = lz4_block(data)
    assert_refused(
        write(tmp_path, csdat(csdat_header(), blocks)), "ctf/df1_A", "decompress|hold|bytes"
    )


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("offset", [len(HEAP), len(HEAP) + 1, 2**32, 2**63, 2**64 - 1])
def test_csdat_string_offset_outside_the_heap(
    tmp_path: Path, compressed: bool, offset: int
) -> None:
    offsets = OFFSETS.copy()
    offsets[2] = offset
    blocks = csdat_blocks(compressed)
    blocks[3] = lz4_block(offsets.tobytes()) if compressed else offsets.tobytes()
    bad = csdat(csdat_header(compressed), blocks)
    assert_refused(write(tmp_path, bad), "blob/path", "outside|heap")


def test_csdat_strings_without_a_heap(tmp_path: Path) -> None:
    assert_refused(write(tmp_path, csdat(csdat_header(), csdat_blocks(), b"")), "heap")


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize(
    "heap",
    [
        b"\0>J1/a.mrc\0\xff\xfe\0",
        b"\0>J1/a.mrc\0" + "µ-scope/é.mrc".encode()[:2] + b"\xfe" * 13 + b"\0",
        HEAP[:-3] + b"\xc3\0",  # a UTF-8 sequence cut short
    ],
)
def test_csdat_strings_that_are_not_utf8(tmp_path: Path, compressed: bool, heap: bytes) -> None:
    bad = csdat(csdat_header(compressed), csdat_blocks(compressed), heap)
    assert_refused(write(tmp_path, bad), "UTF-8")


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"{",
        b'{"length": 4, "dtype": [["uid", "<u8"]]',
        b"{'length': 4}",
        b"\xff\xfe{}",
        b'{"length": 4,, "dtype": []}',
    ],
)
def test_csdat_header_is_not_json(tmp_path: Path, text: bytes) -> None:
    bad = csdat(text, csdat_blocks())
    assert_refused(write(tmp_path, bad), "JSON")


@pytest.mark.parametrize(
    ("header", "phrase"),
    [
        ([1, 2, 3], "object"),
        ({"dtype": FIELDS}, "length"),
        (csdat_header(length=-1), "length"),
        (csdat_header(length=4.0), "length"),
        (csdat_header(length="4"), "length"),
        (csdat_header(compression="zstd"), "compression"),
        (csdat_header(compressed_fields="blob/path"), "compressed_fields"),
        (csdat_header(compressed_fields=["nope"]), "nope"),
        (csdat_header(dtype=[]), "dtype"),
        (csdat_header(dtype={"uid": "<u8"}), "dtype"),
        (csdat_header(dtype=[*FIELDS, ["x"]]), "'x'|\\['x'\\]"),
        (csdat_header(dtype=[*FIELDS, ["x", "<U8"]]), "x"),
        (csdat_header(dtype=[*FIELDS, ["x", "no such type"]]), "x"),
        (csdat_header(dtype=[*FIELDS, ["x", "<f4", [0]]]), "shape"),
        (csdat_header(dtype=[*FIELDS, ["x", "<f4", [-2]]]), "shape"),
        (csdat_header(dtype=[*FIELDS, ["x", "|O", [2]]]), "shape"),
        (csdat_header(dtype=[["uid", "<i8"], *FIELDS[1:]]), "uid"),
        (csdat_header(dtype=[["uid", "|O"], *FIELDS[1:]]), "uid"),
    ],
)
def test_csdat_header_with_bad_content(tmp_path: Path, header: Any, phrase: str) -> None:
    assert_refused(write(tmp_path, csdat(header, csdat_blocks())), phrase)


@pytest.mark.parametrize(
    ("entry", "phrase"),
    [
        (["x", "<f4", [2147483648]], "shape"),  # does not fit numpy's C int
        (["x", "<f4", [100000, 100000, 100]], "shape"),  # itemsize does not fit
        (["x", "<f4", 3], "shape"),  # a number, not a list
        (["x", "<f4", None], "shape"),
        (["", "<f4"], "name|''"),  # numpy renames an empty field name to f<N>
    ],
    ids=["shape-over-C-int", "itemsize-over-C-int", "shape-number", "shape-null", "empty-name"],
)
@pytest.mark.parametrize("rows", [0, 4])
def test_csdat_odd_field_entries(tmp_path: Path, entry: list[Any], phrase: str, rows: int) -> None:
    header = csdat_header(False, length=rows, dtype=[*FIELDS, entry])
    blocks = [*csdat_blocks(False), b"\0" * 4 * rows] if rows else []
    assert_refused(write(tmp_path, csdat(header, blocks)), phrase)


@pytest.mark.parametrize(
    "code",
    [
        "<04",  # one corrupted byte of "<u4"; numpy: SyntaxError (found by fuzzing)
        "|1<f4",  # numpy: ValueError "inconsistent byte-order specification" (found by fuzzing)
        ",:",  # numpy: ValueError "format number 1 of ',:' is not recognized"
        ",",  # numpy: SyntaxError
        "(2,f4",  # numpy: SyntaxError
        "(2147483648,)f4",  # numpy: ValueError, does not fit a C int
        "<f4,<f4",  # a structured dtype hidden in a string
        "2<f4",  # a subarray dtype hidden in a string
    ],
)
@pytest.mark.parametrize("rows", [0, 4])
def test_csdat_odd_dtype_codes(tmp_path: Path, code: str, rows: int) -> None:
    header = csdat_header(False, length=rows, dtype=[*FIELDS, ["ctf/df2_A", code]])
    blocks = [*csdat_blocks(False), b"\0" * 4 * rows] if rows else []
    assert_refused(write(tmp_path, csdat(header, blocks)), "ctf/df2_A", "dtype")


def test_csdat_deeply_nested_header(tmp_path: Path) -> None:
    text = b'{"length": 4, "dtype": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert_refused(write(tmp_path, csdat(text, csdat_blocks())), "JSON|nest|deep|dtype")


# -- the save side --------------------------------------------------------------------------------

SAVES: dict[str, dict[str, Any]] = {
    "numpy": {},
    "csdat-lz4": {"format": "csdat"},
    "csdat-uncompressed": {"format": "csdat", "compression": None},
}


def small_dataset(first_uid: int = 100) -> cryoweave.Dataset:
    array = good_array()
    array["uid"] = np.arange(first_uid, first_uid + len(array), dtype="<u8")
    return cryoweave.Dataset(array)


@pytest.mark.parametrize("save", list(SAVES))
def test_save_into_a_missing_directory(tmp_path: Path, save: str) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.cs"
    with pytest.raises(FileNotFoundError):
        small_dataset().save(target, **SAVES[save])
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.parametrize("save", list(SAVES))
def test_save_replaces_an_existing_file(tmp_path: Path, save: str) -> None:
    target = tmp_path / "out.cs"
    small_dataset(100).save(target, **SAVES["numpy" if save != "numpy" else "csdat-lz4"])
    small_dataset(500).save(target, **SAVES[save])
    assert cryoweave.Dataset.load(target)["uid"].tolist() == [500, 501, 502, 503]
    assert [p.name for p in tmp_path.iterdir()] == ["out.cs"]


@pytest.mark.parametrize("save", list(SAVES))
def test_save_over_the_file_it_was_loaded_from(tmp_path: Path, save: str) -> None:
    target = tmp_path / "out.cs"
    small_dataset(100).save(target)
    ds = cryoweave.Dataset.load(target)  # memory-mapped from the file being replaced
    ds.save(target, **SAVES[save])
    reloaded = cryoweave.Dataset.load(target)
    assert reloaded["uid"].tolist() == [100, 101, 102, 103]
    assert reloaded["ctf/df1_A"].tolist() == DF1.tolist()
    assert reloaded.strings("blob/path").tolist() == PATHS
    assert ds.strings("blob/path").tolist() == PATHS  # the old mapping is still readable
    assert [p.name for p in tmp_path.iterdir()] == ["out.cs"]


class Interrupted(Exception):
    pass


def fail_part_way(exc: type[BaseException]) -> Any:
    """A stand-in for ``npy_format.write_npy``: writes half the real bytes, then raises."""
    real = npy_format.write_npy

    def write_npy(array: Any, f: Any) -> None:
        buffer = io.BytesIO()
        real(array, buffer)
        f.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
        f.flush()
        raise exc("disk went away")

    return write_npy


def chunks_failing_part_way(exc: type[BaseException]) -> Any:
    """A stand-in for ``csdat_format.csdat_chunks``: yields half the chunks, then raises."""
    real = csdat_format.csdat_chunks

    def csdat_chunks(array: Any, compression: Any, source: Any = None) -> Any:
        chunks = real(array, compression, source)

        def generate() -> Any:
            yield from chunks[: len(chunks) // 2]
            raise exc("disk went away")

        return generate()

    return csdat_chunks


@pytest.mark.parametrize("exc", [Interrupted, KeyboardInterrupt])
@pytest.mark.parametrize("save", list(SAVES))
def test_failed_save_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save: str, exc: type[BaseException]
) -> None:
    target = tmp_path / "out.cs"
    small_dataset(100).save(target, **SAVES[save])
    old = target.read_bytes()
    if save == "numpy":
        monkeypatch.setattr(npy_format, "write_npy", fail_part_way(exc))
    else:
        monkeypatch.setattr(csdat_format, "csdat_chunks", chunks_failing_part_way(exc))

    with pytest.raises(exc, match="disk went away"):
        small_dataset(500).save(target, **SAVES[save])

    assert target.read_bytes() == old
    assert cryoweave.Dataset.load(target)["uid"].tolist() == [100, 101, 102, 103]
    assert [p.name for p in tmp_path.iterdir()] == ["out.cs"], "a temporary file remains"


@pytest.mark.parametrize("save", ["csdat-lz4", "csdat-uncompressed"])
def test_unwritable_strings_leave_the_old_file_untouched(tmp_path: Path, save: str) -> None:
    target = tmp_path / "out.cs"
    small_dataset(100).save(target)
    old = target.read_bytes()
    bad = small_dataset(500)
    bad.array["blob/path"][1] = b"\xff\xfe"  # CSDAT strings must be UTF-8
    with pytest.raises(cryoweave.CsFormatError, match=r"'blob/path' .*UTF-8 \(row 1"):
        bad.save(target, **SAVES[save])
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["out.cs"]
