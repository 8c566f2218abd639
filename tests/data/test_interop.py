"""Interop with cryosparc-tools 5, both directions, both ``.cs`` layouts.

cryosparc-tools is the peer: files it writes must load in cryoweave field for field
equal, and files cryoweave writes must load in cryosparc-tools field for field equal.
cryoweave gives text as numpy ``StringDType`` (stored as fixed-length ``|S<n>`` bytes);
cryosparc-tools gives Python ``str`` objects, so text is compared as text. Numeric fields
are compared byte for byte (so NaN payloads, -0.0 and the top bit of u8 values all count).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cryosparc import dataset as cstools
from real_cs import REAL_CS_DIR, REAL_FILES

import cryoweave

# name -> (dtype as cryosparc-tools spells it, shape); "O" is a string column.
Spec = list[tuple[str, str, tuple[int, ...]]]
Expected = dict[str, tuple[str, Any]]

PARTICLE_FIELDS: Spec = [
    ("uid", "<u8", ()),
    ("blob/path", "O", ()),
    ("blob/idx", "<u4", ()),
    ("blob/shape", "<u4", (2,)),
    ("blob/psize_A", "<f4", ()),
    ("blob/sign", "<f4", ()),
    ("blob/import_sig", "<u8", ()),
    ("ctf/type", "O", ()),
    ("ctf/exp_group_id", "<u4", ()),
    ("ctf/accel_kv", "<f4", ()),
    ("ctf/df1_A", "<f4", ()),
    ("ctf/df2_A", "<f4", ()),
    ("ctf/df_angle_rad", "<f4", ()),
    ("ctf/shift_A", "<f4", (2,)),
    ("ctf/trefoil_A", "<f4", (2,)),
    ("ctf/tetra_A", "<f4", (4,)),
    ("ctf/anisomag", "<f4", (4,)),
    ("alignments3D/split", "<u4", ()),
    ("alignments3D/shift", "<f4", (2,)),
    ("alignments3D/pose", "<f4", (3,)),
    ("alignments3D/error", "<f4", ()),
    ("alignments3D/class", "<u4", ()),
    ("location/micrograph_uid", "<u8", ()),
    ("location/micrograph_path", "O", ()),
    ("location/micrograph_shape", "<u4", (2,)),
    ("location/center_x_frac", "<f4", ()),
    ("location/center_y_frac", "<f4", ()),
]

EXPOSURE_FIELDS: Spec = [
    ("uid", "<u8", ()),
    ("movie_blob/path", "O", ()),
    ("movie_blob/shape", "<u4", (3,)),
    ("movie_blob/psize_A", "<f4", ()),
    ("movie_blob/is_gain_corrected", "<u4", ()),
    ("movie_blob/import_sig", "<u8", ()),
    ("micrograph_blob/path", "O", ()),
    ("micrograph_blob/idx", "<u4", ()),
    ("micrograph_blob/shape", "<u4", (2,)),
    ("micrograph_blob/psize_A", "<f4", ()),
    ("micrograph_blob/vmin", "<f4", ()),
    ("micrograph_blob/vmax", "<f4", ()),
    ("mscope_params/accel_kv", "<f4", ()),
    ("mscope_params/cs_mm", "<f4", ()),
    ("mscope_params/total_dose_e_per_A2", "<f4", ()),
    ("mscope_params/exp_group_id", "<u4", ()),
    ("mscope_params/defect_path", "O", ()),
    ("ctf/type", "O", ()),
    ("ctf/df1_A", "<f4", ()),
    ("ctf/tetra_A", "<f4", (4,)),
]

ODD_PATHS = [
    "µ-scope/é.mrc",  # non-ASCII UTF-8 (2-byte characters)
    "",  # empty
    ">J7/imported/データ/grid 3/mic 0001.mrc",  # 3-byte characters and spaces
    "/" + "deep/" * 50 + "long.mrc",  # long value
]


def _strings(name: str, rows: int, rng: np.random.Generator) -> list[str]:
    """Realistic string values for one column: repeated paths, empties, non-ASCII."""
    if rows == 0:
        return []
    if rows == 1:
        single = {
            "ctf/type": "spline",
            "mscope_params/defect_path": "",
            "location/micrograph_path": ">J3/µ-scope/é_doseweighted.mrc",
            "micrograph_blob/path": ">J2/µ-scope/é_aligned.mrc",
        }
        return [single.get(name, "µ-scope/é.mrc")]
    if name == "ctf/type":
        return ["spline" if i % 7 else "" for i in range(rows)]
    if name == "mscope_params/defect_path":
        return [""] * rows  # what CryoSPARC writes when there is no defect file
    if name == "location/micrograph_path":
        pool = [f">J3/motioncorrected/{i:06d}_patch_aligned_doseweighted.mrc" for i in range(40)]
    elif name == "movie_blob/path":
        pool = [f">J1/imported/FoilHole_{i:08d}_Data_fractions.tiff" for i in range(rows)]
    elif name == "micrograph_blob/path":
        pool = [f">J2/motioncorrected/{i:06d}_patch_aligned.mrc" for i in range(rows)]
    else:  # particle stacks: one file per micrograph, many particles per file
        pool = [f">J12/extract/{i:06d}_particles.mrc" for i in range(40)]
    pool += ODD_PATHS
    values = [pool[i] for i in rng.integers(0, len(pool), rows)]
    values[: len(ODD_PATHS)] = ODD_PATHS[: min(rows, len(ODD_PATHS))]
    return values


def _numbers(dtype: str, shape: tuple[int, ...], rows: int, rng: np.random.Generator) -> Any:
    full = (rows, *shape)
    if dtype == "<f4":
        values = rng.normal(0, 1e4, full).astype("<f4")
        special = np.array([np.nan, np.inf, -np.inf, -0.0, 1e-40, 3.4e38], "<f4")
        flat = values.reshape(-1)
        flat[: min(len(flat), len(special))] = special[: len(flat)]
        return values
    info = np.iinfo(np.dtype(dtype))
    values = rng.integers(0, int(info.max), full, dtype=np.dtype(dtype), endpoint=True)
    if values.size:
        values.reshape(-1)[0] = info.max  # top bit set: catches signed/unsigned mix-ups
    return values


def realistic(fields: Spec, rows: int, seed: int) -> Expected:
    """``{name: (cryosparc-tools dtype, values)}``: str lists or numpy arrays."""
    rng = np.random.default_rng(seed)
    expected: Expected = {}
    for name, dtype, shape in fields:
        if name == "uid":
            uids = rng.permutation(rows).astype("<u8") * np.uint64(7919) + np.uint64(2**63)
            expected[name] = (dtype, uids)
        elif dtype == "O":
            expected[name] = (dtype, _strings(name, rows, rng))
        else:
            expected[name] = (dtype, _numbers(dtype, shape, rows, rng))
    return expected


def to_cryoweave(expected: Expected) -> cryoweave.Dataset:
    """Build the cryoweave dataset: strings as ``|S<longest + 1>`` UTF-8 bytes."""
    rows = len(next(iter(expected.values()))[1])
    descr: list[Any] = []
    for name, (dtype, values) in expected.items():
        if dtype == "O":
            width = max((len(v.encode()) for v in values), default=0) + 1
            descr.append((name, f"S{width}"))
        else:
            descr.append((name, values.dtype, values.shape[1:]))
    array = np.zeros(rows, descr)
    for name, (dtype, values) in expected.items():
        array[name] = [v.encode() for v in values] if dtype == "O" else values
    return cryoweave.Dataset(array)


def to_cstools(expected: Expected) -> cstools.Dataset:
    rows = len(next(iter(expected.values()))[1])
    fields = []
    for name, (dtype, values) in expected.items():
        shape = () if dtype == "O" else values.shape[1:]
        fields.append((name, dtype, shape) if shape else (name, dtype))
    ds = cstools.Dataset.allocate(rows, fields)
    for name, (_dtype, values) in expected.items():
        if rows:
            ds[name] = values
    return ds


def assert_cryoweave_equal(ds: Any, expected: Expected) -> None:
    assert isinstance(ds, cryoweave.Dataset)
    assert ds.fields() == list(expected)
    rows = len(next(iter(expected.values()))[1])
    assert len(ds) == rows
    for name, (dtype, values) in expected.items():
        column = ds[name]
        if dtype == "O":
            assert column.dtype.kind == "T", f"{name}: cryoweave gives text as StringDType"
            assert ds.array[name].dtype.kind == "S", f"{name}: stored as |S<n>"
            assert ds.strings(name).tolist() == values, name
        else:
            assert column.dtype == values.dtype, name
            assert column.shape == values.shape, name
            assert column.tobytes() == values.tobytes(), name


def assert_cstools_equal(ds: Any, expected: Expected) -> None:
    assert isinstance(ds, cstools.Dataset)
    assert ds.fields() == list(expected)
    rows = len(next(iter(expected.values()))[1])
    assert len(ds) == rows
    for name, (dtype, values) in expected.items():
        column = np.asarray(ds[name])
        if dtype == "O":
            assert column.dtype == np.dtype(object), name
            got = column.tolist()
            assert all(type(v) is str for v in got), name
            assert len(got) == len(values), name
            pairs = enumerate(zip(got, values, strict=True))
            mismatched = [(i, g, v) for i, (g, v) in pairs if g != v]
            assert not mismatched, f"{name}: first mismatches (row, got, expected) {mismatched[:3]}"
        else:
            assert column.dtype == values.dtype, name
            assert column.shape == values.shape, name
            assert np.ascontiguousarray(column).tobytes() == values.tobytes(), name


# -- writers --------------------------------------------------------------------------------------


def cstools_numpy(ds: cstools.Dataset, path: Path) -> None:
    ds.save(str(path))


def cstools_csdat_lz4(ds: cstools.Dataset, path: Path) -> None:
    ds.save(str(path), format=cstools.CSDAT_FORMAT)


def cstools_csdat_raw(ds: cstools.Dataset, path: Path) -> None:
    path.write_bytes(b"".join(ds.stream(compression=None)))


CSTOOLS_WRITERS: dict[str, tuple[Callable[[cstools.Dataset, Path], None], bytes]] = {
    "numpy": (cstools_numpy, b"\x93NUMPY"),
    "csdat-lz4": (cstools_csdat_lz4, b"\x95CSDAT"),
    "csdat-uncompressed": (cstools_csdat_raw, b"\x95CSDAT"),
}

CRYOWEAVE_SAVES: dict[str, tuple[dict[str, Any], bytes]] = {
    "numpy": ({}, b"\x93NUMPY\x01\x00"),
    "csdat-lz4": ({"format": "csdat"}, b"\x95CSDAT"),
    "csdat-uncompressed": ({"format": "csdat", "compression": None}, b"\x95CSDAT"),
}

KINDS = {"particles": PARTICLE_FIELDS, "exposures": EXPOSURE_FIELDS}
ROWS = [0, 1, 3000]


# -- the test harness itself ----------------------------------------------------------------------


def test_realistic_data_has_what_the_issue_asks_for() -> None:
    """Guard the fixtures: the interesting values really are in the test data."""
    particles = realistic(PARTICLE_FIELDS, 3000, seed=1)
    exposures = realistic(EXPOSURE_FIELDS, 3000, seed=2)
    paths = particles["blob/path"][1]
    assert "" in paths
    assert "µ-scope/é.mrc" in paths
    assert len(set(paths)) < len(paths) / 10  # repeated paths
    dtypes = {
        (dtype, shape)
        for fields in (PARTICLE_FIELDS, EXPOSURE_FIELDS)
        for _name, dtype, shape in fields
    }
    wanted = {("<u4", ()), ("<u8", ()), ("<f4", ()), ("O", ())}
    wanted |= {("<f4", (n,)) for n in (2, 3, 4)} | {("<u4", (n,)) for n in (2, 3)}
    assert wanted <= dtypes
    assert set(exposures["mscope_params/defect_path"][1]) == {""}
    uids = particles["uid"][1]
    assert len(np.unique(uids)) == len(uids)


def test_comparison_helpers_can_fail() -> None:
    expected = realistic(PARTICLE_FIELDS, 20, seed=3)
    ds = to_cryoweave(expected)
    assert_cryoweave_equal(ds, expected)
    ds["blob/path"][4] = "other.mrc"
    with pytest.raises(AssertionError):
        assert_cryoweave_equal(ds, expected)
    peer = to_cstools(expected)
    assert_cstools_equal(peer, expected)
    peer["ctf/tetra_A"][3, 2] = np.float32(1.5)
    with pytest.raises(AssertionError):
        assert_cstools_equal(peer, expected)


# -- cryosparc-tools writes, cryoweave reads ------------------------------------------------------


@pytest.mark.parametrize("writer", list(CSTOOLS_WRITERS))
@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_cryoweave_reads_cryosparc_tools_files(
    tmp_path: Path, kind: str, rows: int, writer: str
) -> None:
    expected = realistic(KINDS[kind], rows, seed=rows + len(kind))
    write, magic = CSTOOLS_WRITERS[writer]
    path = tmp_path / f"{kind}.cs"
    write(to_cstools(expected), path)
    assert path.read_bytes().startswith(magic)

    ds = cryoweave.Dataset.load(path)

    assert_cryoweave_equal(ds, expected)
    assert ds.array.dtype["uid"] == np.dtype("<u8")
    for name, (dtype, values) in expected.items():
        if dtype == "O":  # |S<n>, n = longest value + 1, or |S1 for an empty table
            longest = max((len(v.encode()) for v in values), default=0)
            assert ds.array[name].dtype == np.dtype(f"S{longest + 1}"), name


# -- cryoweave writes, cryosparc-tools reads ------------------------------------------------------


@pytest.mark.parametrize("save", list(CRYOWEAVE_SAVES))
@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_cryosparc_tools_reads_cryoweave_files(
    tmp_path: Path, kind: str, rows: int, save: str
) -> None:
    expected = realistic(KINDS[kind], rows, seed=rows + len(kind))
    kwargs, magic = CRYOWEAVE_SAVES[save]
    path = tmp_path / f"{kind}.cs"
    to_cryoweave(expected).save(path, **kwargs)
    assert path.read_bytes().startswith(magic)

    assert_cstools_equal(cstools.Dataset.load(str(path)), expected)
    # and cryoweave reads its own file back
    assert_cryoweave_equal(cryoweave.Dataset.load(path), expected)


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_numpy_reads_cryoweave_numpy_files(tmp_path: Path, kind: str, rows: int) -> None:
    expected = realistic(KINDS[kind], rows, seed=rows + 11)
    ds = to_cryoweave(expected)
    path = tmp_path / "plain.cs"
    ds.save(path)

    loaded = np.load(path, allow_pickle=False)

    assert loaded.shape == (rows,)
    assert list(loaded.dtype.names) == list(expected)
    assert loaded.dtype == ds.array.dtype
    assert loaded.tobytes() == ds.array.tobytes()
    for name, (dtype, values) in expected.items():
        if dtype == "O":
            longest = max((len(v.encode()) for v in values), default=0)
            assert loaded.dtype[name] == np.dtype(f"|S{longest + 1}"), name
            assert [v.decode() for v in loaded[name]] == values, name


@pytest.mark.parametrize("save", list(CRYOWEAVE_SAVES))
def test_csdat_string_heap_with_empty_strings(tmp_path: Path, save: str) -> None:
    """The smallest case of empty strings beside other strings in one column."""
    array = np.zeros(3, [("uid", "<u8"), ("blob/path", "S8")])
    array["uid"] = [10, 11, 12]
    array["blob/path"] = [b"a.mrc", b"", b"b.mrc"]
    path = tmp_path / "empty_strings.cs"
    cryoweave.Dataset(array).save(path, **CRYOWEAVE_SAVES[save][0])

    peer = cstools.Dataset.load(str(path))

    assert list(peer["blob/path"]) == ["a.mrc", "", "b.mrc"]
    assert list(peer["uid"]) == [10, 11, 12]


@pytest.mark.parametrize("save", list(CRYOWEAVE_SAVES))
def test_csdat_string_heap_shared_between_columns(tmp_path: Path, save: str) -> None:
    """The same path in two string columns (one deduplicated heap, as DOMAIN.md says)."""
    array = np.zeros(2, [("uid", "<u8"), ("blob/path", "S16"), ("location/micrograph_path", "S16")])
    array["uid"] = [1, 2]
    array["blob/path"] = [b">J1/mic_1.mrc", b">J1/mic_2.mrc"]
    array["location/micrograph_path"] = [b">J1/mic_3.mrc", b">J1/mic_1.mrc"]
    path = tmp_path / "shared_strings.cs"
    cryoweave.Dataset(array).save(path, **CRYOWEAVE_SAVES[save][0])

    peer = cstools.Dataset.load(str(path))

    assert list(peer["blob/path"]) == [">J1/mic_1.mrc", ">J1/mic_2.mrc"]
    assert list(peer["location/micrograph_path"]) == [">J1/mic_3.mrc", ">J1/mic_1.mrc"]


# -- real CryoSPARC files -------------------------------------------------------------------------


def test_real_sample_files_are_present() -> None:
    present = sorted(p.name for p in REAL_CS_DIR.glob("*.cs"))
    assert present == sorted(REAL_FILES), f"expected the sample files in {REAL_CS_DIR}"


def expected_from_cstools(peer: cstools.Dataset) -> Expected:
    expected: Expected = {}
    for name in peer.fields():
        column = np.asarray(peer[name])
        if column.dtype == np.dtype(object):
            expected[name] = ("O", column.tolist())
        else:
            expected[name] = (column.dtype.str, np.ascontiguousarray(column))
    return expected


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_loads_like_cryosparc_tools(name: str) -> None:
    path = REAL_CS_DIR / name
    expected = expected_from_cstools(cstools.Dataset.load(str(path)))

    ds = cryoweave.Dataset.load(path)

    assert_cryoweave_equal(ds, expected)
    raw = np.load(path, allow_pickle=False)
    assert ds.array.dtype == raw.dtype  # |S<n> widths kept as written
    assert ds.array.tobytes() == raw.tobytes()


@pytest.mark.parametrize("save", list(CRYOWEAVE_SAVES))
@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_resaved_by_cryoweave_loads_in_cryosparc_tools(
    tmp_path: Path, name: str, save: str
) -> None:
    source = REAL_CS_DIR / name
    expected = expected_from_cstools(cstools.Dataset.load(str(source)))
    kwargs, magic = CRYOWEAVE_SAVES[save]
    target = tmp_path / name
    cryoweave.Dataset.load(source).save(target, **kwargs)
    assert target.read_bytes().startswith(magic)

    assert_cstools_equal(cstools.Dataset.load(str(target)), expected)
    assert_cryoweave_equal(cryoweave.Dataset.load(target), expected)
