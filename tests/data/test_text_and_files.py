"""Text of any length, never cut; the peer's constructors; files by path or file object.

Every check that has a cryosparc-tools counterpart runs the same calls on both and
compares what each gives (text compared as text).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cryosparc.dataset import CSDAT_FORMAT, NUMPY_FORMAT
from cryosparc.dataset import Dataset as Peer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave import CsFormatError, Dataset, DatasetError
from cryoweave.demo import particles

LONG_NAME = "alignments_class_0/" + "x" * 41  # 60 bytes: kept in the CSDAT string heap
text_values = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=40
)
SAVES = {
    "numpy": lambda ds, f: ds.save(f),
    "csdat-lz4": lambda ds, f: ds.save(f, format="csdat"),
    "csdat-raw": lambda ds, f: ds.save(f, format="csdat", compression=None),
}
PEER_SAVES = {
    "numpy": lambda ds, f: ds.save(f, format=NUMPY_FORMAT),
    "csdat": lambda ds, f: ds.save(f, format=CSDAT_FORMAT),
}


def text(ds: Any, field: str) -> list[str]:
    return [str(v) for v in ds[field]]


# -- text of any length ---------------------------------------------------------------------


def test_assigning_longer_text_widens_and_never_cuts(tmp_path: Path) -> None:
    ds = particles(50, ("blob", "ctf"))
    width = ds.array["blob/path"].dtype.itemsize
    longer = [f"J99/imported/{'deep/' * 20}{i}_full_size_particles.mrc" for i in range(50)]
    assert len(longer[0]) > width
    ds["blob/path"] = longer
    assert ds["blob/path"].tolist() == longer
    ds["blob/path"][3] = "é" * 300  # into the column itself: never cut either
    longer[3] = "é" * 300
    assert ds.array["blob/path"].tolist()[3] == ("é" * 300).encode()
    for save, write in SAVES.items():
        write(ds, tmp_path / f"{save}.cs")
        assert text(Dataset.load(tmp_path / f"{save}.cs"), "blob/path") == longer, save
        assert text(Peer.load(tmp_path / f"{save}.cs"), "blob/path") == longer, save


def test_text_compares_with_str_and_shares_edits() -> None:
    ds = Dataset([("blob/path", ["J1/a.mrc", "J1/b.mrc", "J1/a.mrc"])])
    assert (ds["blob/path"] == "J1/a.mrc").tolist() == [True, False, True]
    column = ds["blob/path"]
    column[1] = "J2/c.mrc"
    assert ds["blob/path"][1] == "J2/c.mrc"
    assert ds.array["blob/path"][1] == b"J2/c.mrc"  # the stored bytes follow


def test_numeric_fields_stay_views_and_setitem_assigns() -> None:
    ds = particles(10, ("ctf",))
    view = ds["ctf/df1_A"]
    ds["ctf/df1_A"] = 5.0
    assert (view == 5.0).all()
    ds["ctf/df1_A"][:2] = [1, 2]
    assert ds.array["ctf/df1_A"][:3].tolist() == [1, 2, 5]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(text_values, max_size=8),
    after=st.data(),
)
def test_text_assignment_matches_cryosparc_tools(before: list[str], after: Any) -> None:
    values = after.draw(st.lists(text_values, min_size=len(before), max_size=len(before)))
    ours = Dataset.allocate(len(before), [("blob/path", "O")])
    peer = Peer.allocate(len(before), [("blob/path", "O")])
    for ds in (ours, peer):
        ds["blob/path"] = before
        ds["blob/path"] = values
    assert text(ours, "blob/path") == text(peer, "blob/path") == values
    for save in PEER_SAVES:
        buffer = io.BytesIO()
        SAVES["numpy" if save == "numpy" else "csdat-lz4"](ours, buffer)
        buffer.seek(0)
        assert text(Peer.load(buffer), "blob/path") == values
        buffer = io.BytesIO()
        PEER_SAVES[save](peer, buffer)
        buffer.seek(0)
        assert text(Dataset.load(buffer), "blob/path") == values


def test_text_that_is_not_utf8_is_named_at_its_first_access(tmp_path: Path) -> None:
    ds = particles(10, ("blob",))
    ds.array["blob/path"][7] = b"J1/\xc3.mrc"
    path = tmp_path / "J3_particles.cs"
    ds.save(path)
    loaded = Dataset.load(path)  # opening decodes nothing
    with pytest.raises(CsFormatError, match=r"J3_particles\.cs: field 'blob/path' .* \(row 7"):
        loaded["blob/path"]


def test_bytes_that_are_not_utf8_are_refused_when_assigned() -> None:
    ds = Dataset([("blob/path", ["a"])])
    with pytest.raises(DatasetError, match="blob/path"):
        ds["blob/path"] = [b"\xff"]


# -- CSDAT long field names -----------------------------------------------------------------


@pytest.mark.parametrize("compression", ["lz4", None])
@pytest.mark.parametrize("values", [["a", "é/µ.mrc", ""], ["", "", ""], [LONG_NAME, "q", "q"]])
def test_a_60_byte_field_name_with_text_reads_in_cryosparc_tools(
    tmp_path: Path, compression: Any, values: list[str]
) -> None:
    ds = Dataset([("blob/path", values), (LONG_NAME, np.arange(3, dtype="<f4"))])
    path = tmp_path / "long.cs"
    ds.save(path, format="csdat", compression=compression)
    peer = Peer.load(path)
    assert text(peer, "blob/path") == values
    assert peer[LONG_NAME].tolist() == [0.0, 1.0, 2.0]
    assert text(Dataset.load(path), "blob/path") == values


def test_cryosparc_tools_long_field_names_read_in_cryoweave(tmp_path: Path) -> None:
    peer = Peer.allocate(3, [("blob/path", "O"), (LONG_NAME, "<f4")])
    peer["blob/path"] = ["a", LONG_NAME, ""]
    peer[LONG_NAME] = [1, 2, 3]
    peer.save(tmp_path / "p.cs", format=CSDAT_FORMAT)
    ours = Dataset.load(tmp_path / "p.cs")
    assert ours.fields() == peer.fields()
    assert text(ours, "blob/path") == ["a", LONG_NAME, ""]
    assert ours[LONG_NAME].tolist() == [1, 2, 3]


# -- constructors ---------------------------------------------------------------------------


def test_constructors_match_cryosparc_tools() -> None:
    pairs = [("ctf/df1_A", np.array([1.5, 2.5])), ("blob/path", ["J1/a.mrc", "é"])]
    for ours, peer in [
        (Dataset(), Peer()),
        (Dataset(None), Peer(None)),
        (Dataset(7), Peer(7)),
        (Dataset(pairs), Peer(pairs)),
        (Dataset(dict(pairs)), Peer(dict(pairs))),
        (Dataset.allocate(), Peer.allocate()),
        (
            Dataset.allocate(4, [("ctf/df1_A", "f4"), ("blob/path", "O")]),
            Peer.allocate(4, [("ctf/df1_A", "f4"), ("blob/path", "O")]),
        ),
    ]:
        assert ours.fields() == peer.fields()
        assert len(ours) == len(peer)
        assert len(np.unique(ours["uid"])) == len(ours)
        for name in ours.fields(exclude_uid=True):
            assert [str(v) for v in ours[name]] == [str(v) for v in peer[name]], name
    copied = Dataset(Dataset(pairs))
    assert text(copied, "blob/path") == ["J1/a.mrc", "é"]


def test_constructors_refuse_columns_of_different_lengths() -> None:
    with pytest.raises(DatasetError, match="ctf/df1_A: 2, blob/path: 3"):
        Dataset([("ctf/df1_A", [1.0, 2.0]), ("blob/path", ["a", "b", "c"])])


def test_a_new_field_by_assignment_and_its_removal() -> None:
    ds = Dataset(3)
    ds["ctf/df1_A"] = np.array([1.0, 2.0, 3.0], "f4")
    ds["blob/path"] = "J1/a.mrc"
    assert ds.fields() == ["uid", "ctf/df1_A", "blob/path"]
    assert ds["blob/path"].tolist() == ["J1/a.mrc"] * 3
    del ds["ctf/df1_A"]
    assert ds.fields() == ["uid", "blob/path"]
    with pytest.raises(KeyError, match="uid"):
        del ds["uid"]


# -- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("save", list(SAVES))
def test_file_objects_in_both_layouts(save: str) -> None:
    ds = particles(20, ("blob", "ctf"))
    buffer = io.BytesIO()
    SAVES[save](ds, buffer)
    buffer.seek(0)
    back = Dataset.load(buffer)
    assert back.fields() == ds.fields()
    for name in ds.fields():  # text as text (CSDAT sizes it anew), numbers as bytes
        if ds[name].dtype.kind == "T":
            assert back[name].tolist() == ds[name].tolist(), name
        else:
            assert back[name].tobytes() == ds[name].tobytes(), name
    buffer.seek(0)
    assert Peer.load(buffer).fields() == ds.fields()


@pytest.mark.parametrize("save", ["numpy", "csdat"])
@pytest.mark.parametrize(
    "keep",
    [
        {"prefixes": ["ctf"]},
        {"fields": ["blob/path", "ctf/df1_A"]},
        {"prefixes": ["blob"], "fields": ["ctf/df2_A"]},
        {"prefixes": []},
    ],
)
def test_load_keeps_the_fields_asked_like_cryosparc_tools(
    tmp_path: Path, save: str, keep: dict[str, list[str]]
) -> None:
    ds = particles(30, ("blob", "ctf", "location"))
    path = tmp_path / "p.cs"
    SAVES["numpy" if save == "numpy" else "csdat-lz4"](ds, path)
    ours, peer = Dataset.load(path, **keep), Peer.load(path, **keep)
    assert ours.fields() == peer.fields()
    for name in ours.fields():
        assert [str(v) for v in np.asarray(ours[name]).tolist()] == [
            str(v) for v in np.asarray(peer[name]).tolist()
        ], name
