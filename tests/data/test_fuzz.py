"""Byte-level fuzzing of ``Dataset.load``: it returns a usable Dataset or raises CsFormatError.

Seeds: every real sample file, small files cryoweave writes (numpy, CSDAT with and
without lz4) and a CSDAT file written by cryosparc-tools. Mutations: flip bytes,
truncate, insert, delete, overwrite a span. Any exception other than CsFormatError
fails. Hypothesis is derandomized and keeps no database, so CI runs are reproducible
and nothing is written to the repository.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cryosparc import dataset as cstools
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from real_cs import REAL_CS_DIR, REAL_FILES

import cryoweave

WRITTEN = ["numpy", "csdat-lz4", "csdat-uncompressed", "cryosparc-tools-csdat"]

FUZZ = settings(
    max_examples=int(os.environ.get("CRYOWEAVE_FUZZ_EXAMPLES", "800")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Bytes that matter to the formats: NULs, high bits, JSON punctuation, digits.
INTERESTING = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x22, 0x5B, 0x5D, 0x2C, 0x2D, 0x30, 0x39, 0x3A]
# A fuzzing dictionary: tokens of both layouts' headers, and numbers at type limits.
TOKENS = [
    *(b'"', b'""', b"[]", b"[", b"]", b"{}", b"null", b"true", b"-1", b"0", b"1e400"),
    *(b"2147483648", b"4294967296", b"18446744073709551616", b"99999999999999999999"),
    *(b'"|O"', b'"<f4"', b'"|S0"', b'"<U8"', b'"uid"', b'"lz4"', b'"length"'),
    *(b"'|O'", b"'O'", b"(0,)", b"(2**40,)", b"True", b"'<i8'", b"'uid'", b"(2, 2)"),
    *(b"\x93NUMPY", b"\x95CSDAT", b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\x00\x01"),
]


def small_array() -> np.ndarray[Any, Any]:
    array = np.zeros(
        6,
        [
            ("uid", "<u8"),
            ("blob/path", "S24"),
            ("blob/idx", "<u4"),
            ("blob/shape", "<u4", (2,)),
            ("ctf/type", "S8"),
            ("ctf/df1_A", "<f4"),
            ("ctf/anisomag", "<f4", (4,)),
            ("alignments3D/pose", "<f4", (3,)),
            ("movie_blob/shape", "<u4", (3,)),
            ("location/micrograph_uid", "<u8"),
        ],
    )
    array["uid"] = [1, 2**63, 2**64 - 1, 77, 78, 79]
    array["blob/path"] = [p.encode() for p in ["µ-scope/é.mrc", "", ">J1/a.mrc"] * 2]
    array["blob/idx"] = np.arange(6)
    array["blob/shape"] = 64
    array["ctf/type"] = b"spline"
    array["ctf/df1_A"] = [1.0, np.nan, -0.0, 1e4, np.inf, 3.5]
    array["ctf/anisomag"] = np.arange(24).reshape(6, 4)
    array["alignments3D/pose"] = np.linspace(-3, 3, 18).reshape(6, 3)
    array["movie_blob/shape"] = [40, 4096, 4096]
    array["location/micrograph_uid"] = 2**64 - 2
    return array


def written_seed(kind: str, directory: Path) -> bytes:
    path = directory / f"{kind}.cs"
    ds = cryoweave.Dataset(small_array())
    if kind == "numpy":
        ds.save(path)
    elif kind == "csdat-lz4":
        ds.save(path, format="csdat")
    elif kind == "csdat-uncompressed":
        ds.save(path, format="csdat", compression=None)
    else:
        numeric = [d for d in ds.descr() if np.dtype(d[1]).kind != "O"]
        peer = cstools.Dataset.allocate(len(ds), numeric)
        for name in peer.fields():
            peer[name] = ds[name]
        peer.add_fields([("blob/path", "O")])
        peer["blob/path"] = ds.strings("blob/path").tolist()
        peer.save(str(path), format=cstools.CSDAT_FORMAT)
    data = path.read_bytes()
    cryoweave.Dataset.load(path).array.copy()  # the seed itself loads
    return data


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


class Seeds(dict[str, bytes]):
    """The seed files; a short repr keeps hypothesis' failure reports readable."""

    def __repr__(self) -> str:
        return f"<seed files {sorted(self)}>"


@pytest.fixture(scope="module")
def seeds(fuzz_dir: Path) -> Seeds:
    out = Seeds((name, (REAL_CS_DIR / name).read_bytes()) for name in REAL_FILES)
    for kind in WRITTEN:
        out[kind] = written_seed(kind, fuzz_dir)
    return out


_counter: Iterator[int] = itertools.count()


def check_load(path: Path) -> str:
    """Load ``path``; anything but a usable Dataset or a CsFormatError fails."""
    refusal: cryoweave.CsFormatError | None = None
    try:
        ds = cryoweave.Dataset.load(path)
    except cryoweave.CsFormatError as err:
        refusal = err
    if refusal is not None:
        assert str(path) in str(refusal), f"the message does not name the file: {refusal}"
        return "refused"
    assert isinstance(ds, cryoweave.Dataset)
    array = ds.array
    assert isinstance(array, np.ndarray)
    assert array.ndim == 1
    assert "uid" in (array.dtype.names or ())
    assert array.dtype["uid"] == np.dtype("<u8")
    copy = array.copy()
    assert len(ds) == len(array) == len(copy)
    assert ds.fields() == list(array.dtype.names or ())
    for name in ds.fields():
        column = array[name]
        assert len(column) == len(ds)
        column.copy()
        if column.dtype.kind == "S":
            refusal = decode_or_refuse(ds, name)
            if refusal is not None:  # a numpy file may hold bytes that are not UTF-8
                assert str(path) in str(refusal)
                assert name in str(refusal)
    return "loaded"


def decode_or_refuse(ds: cryoweave.Dataset, name: str) -> cryoweave.CsFormatError | None:
    try:
        decoded = ds.strings(name)
    except cryoweave.CsFormatError as err:
        return err
    assert len(decoded) == len(ds)
    return None


def load_bytes(directory: Path, data: bytes) -> str:
    path = directory / f"mutant-{next(_counter)}.cs"
    path.write_bytes(data)
    try:
        return check_load(path)
    finally:
        path.unlink()


# Size-preserving mutations are listed twice: they are the ones that can still load.
MUTATIONS = ["flip", "overwrite", "flip", "overwrite", "truncate", "insert", "delete"]


def position(size: int, *, end_inclusive: bool) -> st.SearchStrategy[int]:
    """Anywhere, but often near the start (headers) or the end (CSDAT heap)."""
    last = size if end_inclusive else size - 1
    return st.one_of(
        st.integers(0, min(last, 600)),
        st.integers(0, last),
        st.integers(max(0, last - 300), last),
    )


def some_bytes(max_size: int = 16) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(min_size=1, max_size=max_size),
        st.lists(st.sampled_from(INTERESTING), min_size=1, max_size=max_size).map(bytes),
        st.sampled_from(TOKENS),
    )


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(MUTATIONS))
        if not data and kind != "insert":
            kind = "insert"
        if kind == "flip":
            at = draw(position(len(data), end_inclusive=False))
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[draw(position(len(data), end_inclusive=False)) :]
        elif kind == "insert":
            at = draw(position(len(data), end_inclusive=True))
            data[at:at] = draw(some_bytes())
        elif kind == "delete":
            at = draw(position(len(data), end_inclusive=False))
            del data[at : at + draw(st.integers(1, 64))]
        else:
            at = draw(position(len(data), end_inclusive=False))
            span = draw(some_bytes())
            data[at : at + len(span)] = span
    return bytes(data)


def test_check_load_accepts_every_seed_and_fails_on_other_errors(
    seeds: dict[str, bytes], fuzz_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness itself: seeds load, and a foreign exception is not swallowed."""
    assert set(seeds) == {*REAL_FILES, *WRITTEN}
    for data in seeds.values():
        assert load_bytes(fuzz_dir, data) == "loaded"
    assert load_bytes(fuzz_dir, b"garbage") == "refused"

    def broken(path: Any) -> Any:
        raise IndexError("boom")

    monkeypatch.setattr(cryoweave.Dataset, "load", broken)
    with pytest.raises(IndexError):
        load_bytes(fuzz_dir, seeds["numpy"])


# numpy parses header text with ast, which warns about escapes a mutation may create.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@pytest.mark.parametrize("seed_name", [*REAL_FILES, *WRITTEN])
@FUZZ
@given(data=st.data())
def test_mutated_file_loads_or_is_refused(
    seeds: dict[str, bytes], fuzz_dir: Path, seed_name: str, data: st.DataObject
) -> None:
    mutant = data.draw(mutated(seeds[seed_name]), label="mutant")
    load_bytes(fuzz_dir, mutant)


@pytest.mark.parametrize(
    "seed_name", ["csdat-lz4", "csdat-uncompressed", "cryodrgn__empiar_10076_7.cs"]
)
def test_every_truncation(seeds: dict[str, bytes], fuzz_dir: Path, seed_name: str) -> None:
    """Exhaustive: every prefix of a small file (none but the whole file can load)."""
    seed = seeds[seed_name]
    outcomes = [load_bytes(fuzz_dir, seed[:cut]) for cut in range(len(seed))]
    assert outcomes == ["refused"] * len(seed)


@pytest.mark.parametrize("seed_name", ["csdat-lz4", "csdat-uncompressed", "numpy"])
def test_every_single_byte_flip(seeds: dict[str, bytes], fuzz_dir: Path, seed_name: str) -> None:
    """Exhaustive: each byte of a small file inverted in turn."""
    seed = bytearray(seeds[seed_name])
    for at in range(len(seed)):
        mutant = seed.copy()
        mutant[at] ^= 0xFF
        load_bytes(fuzz_dir, bytes(mutant))
