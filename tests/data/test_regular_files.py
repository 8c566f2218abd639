"""``.cs`` files that are not regular files, and text fields: a clear error naming the file,
never a hang, never a bare ``UnicodeDecodeError``; an ``|S0`` field is empty text everywhere,
as cryosparc-tools reads it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import starfile
from cryosparc.dataset import Dataset as ToolsDataset
from waiting import finishes

from cryoweave import CsFormatError, Dataset
from cryoweave.data.files import FileMissing, FileRefused
from cryoweave.demo import particles
from cryoweave.interop import write_relion_star
from cryoweave.widget.builder_data import encode_columns


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "J1_particles.cs"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match=f"{fifo}: is a named pipe, not a regular file"):
        finishes(lambda: Dataset.load(fifo), unblock=fifo)


def test_a_folder_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=f"{tmp_path}: is a folder"):
        Dataset.load(tmp_path)


def test_a_missing_file_is_still_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match="nowhere.cs: does not exist") as info:
        Dataset.load(tmp_path / "nowhere.cs")
    assert isinstance(info.value, FileNotFoundError)


def test_a_regular_file_is_still_memory_mapped(tmp_path: Path) -> None:
    path = tmp_path / "p.cs"
    particles(1000, ("blob", "ctf")).save(path)
    loaded = Dataset.load(path)
    assert isinstance(loaded.array.base, np.memmap)
    loaded["ctf/df1_A"][:] = 0  # copy-on-write: the file never changes
    assert Dataset.load(path)["ctf/df1_A"].min() > 0


# -- text that is not UTF-8 -----------------------------------------------------------------


@pytest.fixture
def not_utf8(tmp_path: Path) -> Path:
    """A numpy-layout file (which may hold any bytes) whose row 3 path is not UTF-8."""
    ds = particles(10, ("blob", "ctf", "location"))
    ds.array["blob/path"][3] = b"J1/\xff\xfe.mrc"  # the stored bytes, as a file may hold
    path = tmp_path / "J1_particles.cs"
    ds.save(path)
    return path


NAMED = r"J1_particles\.cs: field 'blob/path' holds text that is not UTF-8 \(row 3"


def test_opening_does_not_decode(not_utf8: Path) -> None:
    ds = Dataset.load(not_utf8)  # no error until the text is read
    assert len(ds.slice(2, 5)) == 3 and len(ds.query({"uid": ds["uid"][:2]})) == 2


@pytest.mark.parametrize(
    "decode",
    [
        lambda ds, _: repr(ds.to_pandas()),
        lambda ds, _: ds.to_pandas()["blob/path"][3],
        lambda ds, _: ds.to_pandas()["blob/path"].tolist(),
        lambda ds, _: ds.to_pandas()["blob/path"].iloc[:5].to_numpy(dtype=str),
        lambda ds, _: ds.strings("blob/path"),
        lambda ds, out: ds.save(out / "out.cs", format="csdat"),
        lambda ds, out: write_relion_star(ds, out / "out.star"),
    ],
    ids=["pandas-repr", "pandas-item", "pandas-list", "pandas-slice", "strings", "csdat", "star"],
)
def test_text_that_is_not_utf8_is_named_at_the_first_decode(
    not_utf8: Path, tmp_path: Path, decode: Callable[[Dataset, Path], Any]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CsFormatError, match=NAMED):
        decode(Dataset.load(not_utf8), out)
    assert list(out.iterdir()) == []


# -- |S0: a text field of empty values --------------------------------------------------------


@pytest.fixture
def empty_text(tmp_path: Path) -> Path:
    array = np.zeros(3, [("uid", "<u8"), ("blob/path", "S0"), ("blob/idx", "<u4")])
    array["uid"] = [7, 8, 9]
    path = tmp_path / "s0.cs"
    with open(path, "wb") as f:
        np.save(f, array)
    return path


def test_an_s0_field_reads_as_empty_text_as_cryosparc_tools_does(empty_text: Path) -> None:
    theirs = ToolsDataset.load(str(empty_text))
    assert list(theirs["blob/path"]) == ["", "", ""]
    ds = Dataset.load(empty_text)
    assert ds.strings("blob/path").tolist() == ["", "", ""]
    assert ds.to_pandas()["blob/path"].tolist() == ["", "", ""]


@pytest.mark.parametrize("layout", ["numpy", "csdat"])
def test_an_s0_field_saves_and_reads_back(empty_text: Path, tmp_path: Path, layout: Any) -> None:
    out = tmp_path / "out.cs"
    Dataset.load(empty_text).save(out, format=layout)
    again = Dataset.load(out)
    assert again["uid"].tolist() == [7, 8, 9]
    assert again.strings("blob/path").tolist() == ["", "", ""]
    assert list(ToolsDataset.load(str(out))["blob/path"]) == ["", "", ""]


def test_an_s0_path_in_a_star_file(tmp_path: Path) -> None:
    ds = particles(4, ("blob", "ctf"))
    layout = [(n, "S0" if n == "blob/path" else ds.array.dtype[n]) for n in ds.fields()]
    empty = Dataset(ds.array.astype(layout))
    path = write_relion_star(empty, tmp_path / "p.star")
    names = starfile.read(path, always_dict=True)["particles"]["rlnImageName"]
    assert [name.split("@")[1] for name in names] == ["", "", "", ""]


def test_an_s0_field_travels_to_the_canvas_one_byte_wide(empty_text: Path) -> None:
    columns, buffers = encode_columns(Dataset.load(empty_text).array)
    assert columns[1] == {"name": "blob/path", "kind": "str"}
    assert bytes(buffers[1]) == b"\0\0\0"  # rows.ts splits it into three empty strings
