"""The Dataset API: views, selection, strings, exported paths."""

from __future__ import annotations

import numpy as np
import pytest
from real_cs import REAL_CS_DIR

from cryoweave import Dataset, DatasetError, resolve_exported_paths

P12 = REAL_CS_DIR / "cryodrgn__cryosparc_P12_J24_001_particles.cs"


def small() -> Dataset:
    array = np.zeros(
        4,
        [
            ("uid", "<u8"),
            ("blob/path", "S12"),
            ("blob/shape", "<u4", (2,)),
            ("ctf/df1_A", "<f4"),
            ("ctf/type", "S7"),
        ],
    )
    array["uid"] = [40, 10, 30, 20]
    array["blob/path"] = [b">J1/a.mrc", b">J1/a.mrc", b"/abs/b.mrc", b""]
    array["blob/shape"] = 64
    array["ctf/df1_A"] = [1.0, 2.0, 3.0, 4.0]
    array["ctf/type"] = b"spline"
    return Dataset(array)


def test_fields_prefixes_and_descr_follow_the_array():
    ds = small()
    assert len(ds) == 4
    assert ds.fields() == ["uid", "blob/path", "blob/shape", "ctf/df1_A", "ctf/type"]
    assert ds.fields(exclude_uid=True)[0] == "blob/path"
    assert ds.prefixes() == ["blob", "ctf"]
    assert ds.descr()[:3] == [("uid", "<u8"), ("blob/path", "|O"), ("blob/shape", "<u4", (2,))]
    assert ds.array.dtype["blob/path"] == np.dtype("S12")  # text as stored
    assert "ctf/df1_A" in ds and "ctf/df2_A" not in ds
    assert list(ds) == ds.fields()


def test_field_access_is_a_view():
    ds = small()
    ds["ctf/df1_A"][0] = 99.0
    assert ds.array["ctf/df1_A"][0] == 99.0
    assert np.shares_memory(ds["blob/shape"], ds.array)
    with pytest.raises(KeyError, match="no field 'ctf/df2_A'"):
        ds["ctf/df2_A"]


def test_filter_prefixes_keeps_uid_and_views_the_same_memory():
    ds = small()
    ctf = ds.filter_prefixes(["ctf"])
    assert ctf.fields() == ["uid", "ctf/df1_A", "ctf/type"]
    assert np.shares_memory(ctf.array, ds.array)
    assert ds.filter_fields(["blob/shape"]).fields() == ["uid", "blob/shape"]
    with pytest.raises(KeyError, match="alignments3D"):
        ds.filter_prefixes(["alignments3D"])


def test_take_and_mask_select_rows():
    ds = small()
    assert ds.take([2, 0])["uid"].tolist() == [30, 40]
    assert ds.mask(ds["ctf/df1_A"] > 2.5)["uid"].tolist() == [30, 20]
    with pytest.raises(DatasetError, match="4 booleans"):
        ds.mask([True, False])


def test_strings_decode_and_exported_paths_resolve(tmp_path):
    ds = small()
    assert ds.array["blob/path"].dtype == np.dtype("S12")  # stored as bytes
    assert ds["blob/path"].dtype == np.dtypes.StringDType()  # given as text
    assert ds.strings("ctf/type").tolist() == ["spline"] * 4
    resolved = resolve_exported_paths(ds["blob/path"], tmp_path / "P3")
    assert resolved.tolist() == [
        str(tmp_path / "P3" / "J1" / "a.mrc"),
        str(tmp_path / "P3" / "J1" / "a.mrc"),
        "/abs/b.mrc",
        "",
    ]


def test_a_dataset_needs_a_uint64_uid():
    with pytest.raises(DatasetError, match="no 'uid' field"):
        Dataset(np.zeros(2, [("blob/idx", "<u4")]))
    with pytest.raises(DatasetError, match="must be <u8"):
        Dataset(np.zeros(2, [("uid", "<i8")]))
    with pytest.raises(DatasetError, match="Python objects"):
        Dataset(np.zeros(2, [("uid", "<u8"), ("blob/path", "O")]))


def test_allocate_makes_unique_uids():
    ds = Dataset.allocate(10_000, [("ctf/df1_A", "<f4"), ("blob/shape", "<u4", (2,))], seed=3)
    assert len(np.unique(ds["uid"])) == 10_000
    assert ds["blob/shape"].shape == (10_000, 2)


def test_a_loaded_file_is_mapped_copy_on_write(tmp_path):
    path = tmp_path / "p.cs"
    Dataset.load(P12).save(path)
    before = path.read_bytes()
    ds = Dataset.load(path)
    ds["ctf/df1_A"][:] = 0
    assert ds["ctf/df1_A"].sum() == 0
    del ds
    assert path.read_bytes() == before
    assert Dataset.load(path)["ctf/df1_A"].sum() != 0


def test_saving_over_the_file_a_dataset_was_loaded_from(tmp_path):
    path = tmp_path / "p.cs"
    Dataset.load(P12).save(path)
    ds = Dataset.load(path)
    subset = ds.take(np.arange(10))
    subset.save(path)
    assert len(Dataset.load(path)) == 10
    assert len(ds) == 2019  # the old mapping still reads the old data
    assert not list(tmp_path.glob(".*tmp"))


def test_views_with_gaps_are_packed_on_save(tmp_path):
    ds = Dataset.load(P12).filter_prefixes(["ctf"])
    ds.save(tmp_path / "ctf.cs")
    back = Dataset.load(tmp_path / "ctf.cs")
    assert back.fields() == ds.fields()
    assert back.array.dtype.itemsize == sum(back.array.dtype[n].itemsize for n in back.fields())
    for name in ds.fields():
        np.testing.assert_array_equal(back[name], ds[name])


def test_save_refuses_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match=r"unknown \.cs format 'star'"):
        small().save(tmp_path / "x.cs", format="star")  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # what cryosparc-tools raises for it
        small().save(tmp_path / "x.cs", format=3)
    assert not list(tmp_path.iterdir())
