"""Reading frames and volumes from MRC files, and the refusals that name the file."""

from __future__ import annotations

import os
from pathlib import Path

import mrcfile
import numpy as np
import pytest

from cryoweave.data.files import FileMissing, FileRefused
from cryoweave.data.images import ImageRefused, read_frames, read_volume, row_indices


def _stack(path: Path, frames: np.ndarray) -> Path:
    with mrcfile.new(path) as mrc:
        mrc.set_data(frames)
    return path


@pytest.fixture
def stacks(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    """Two stacks of 8 x 6 frames whose pixels say which file and frame they are."""
    a = np.arange(5, dtype=np.float32)[:, None, None] + np.zeros((5, 8, 6), np.float32)
    b = 100 + np.arange(3, dtype=np.float16)[:, None, None] + np.zeros((3, 8, 6), np.float16)
    _stack(tmp_path / "a.mrc", a)
    _stack(tmp_path / "b.mrcs", b)
    return tmp_path, a, b


def _locate(root: Path):  # type: ignore[no-untyped-def]
    return lambda name: root / name


def test_frames_come_in_row_order_from_each_file(stacks) -> None:  # type: ignore[no-untyped-def]
    root, a, b = stacks
    paths = np.array(["b.mrcs", "a.mrc", "a.mrc", "b.mrcs", "a.mrc"])
    idx = np.array([2, 4, 0, 0, 4])
    frames = read_frames(paths, idx, np.full((5, 2), (8, 6)), _locate(root))
    assert frames.dtype == np.float32 and frames.shape == (5, 8, 6)
    assert frames[:, 0, 0].tolist() == [102, 4, 0, 100, 4]
    assert np.array_equal(frames[1], a[4]) and np.array_equal(frames[0], b[2])


def test_one_image_is_frame_zero(tmp_path: Path) -> None:
    image = np.random.default_rng(0).normal(size=(10, 12)).astype(np.float32)
    _stack(tmp_path / "mic.mrc", image)
    frames = read_frames(np.array(["mic.mrc"]), np.array([0]), None, _locate(tmp_path))
    assert np.array_equal(frames[0], image)
    with pytest.raises(ImageRefused, match=r"mic\.mrc: holds 1 frame\(s\), but frame 1 is asked"):
        read_frames(np.array(["mic.mrc"]), np.array([1]), None, _locate(tmp_path))


def test_rows_of_every_form() -> None:
    assert row_indices(None, 3).tolist() == [0, 1, 2]
    assert row_indices(range(1, 3), 5).tolist() == [1, 2]
    assert row_indices(slice(None, None, -2), 5).tolist() == [4, 2, 0]
    assert row_indices([3, -1, 0], 5).tolist() == [3, 4, 0]
    assert row_indices(np.array([False, True, True]), 3).tolist() == [1, 2]
    assert row_indices([], 3).tolist() == []
    with pytest.raises(IndexError, match="there are 3 rows"):
        row_indices([3], 3)
    with pytest.raises(IndexError, match="needs 3 booleans"):
        row_indices(np.array([True]), 3)
    with pytest.raises(IndexError, match="integers or a mask"):
        row_indices(np.array([0.5]), 3)


def test_a_frame_past_the_end_names_the_file(stacks) -> None:  # type: ignore[no-untyped-def]
    root, *_ = stacks
    with pytest.raises(ImageRefused, match=r"b\.mrcs: holds 3 frame\(s\), but frame 3 is asked"):
        read_frames(np.array(["a.mrc", "b.mrcs"]), np.array([0, 3]), None, _locate(root))


def test_a_shape_that_disagrees_names_the_file(stacks) -> None:  # type: ignore[no-untyped-def]
    root, *_ = stacks
    with pytest.raises(ImageRefused, match=r"a\.mrc: holds frames of 8 x 6 px, .* says 6 x 8 px"):
        read_frames(np.array(["a.mrc"]), np.array([0]), np.array([[6, 8]]), _locate(root))


def test_rows_of_two_sizes_are_refused(stacks, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, *_ = stacks
    _stack(root / "big.mrc", np.zeros((2, 16, 16), np.float32))
    with pytest.raises(ImageRefused, match="rows of one picture must share a shape"):
        read_frames(np.array(["a.mrc", "big.mrc"]), np.array([0, 0]), None, _locate(root))


def test_a_file_that_is_not_mrc_names_it(tmp_path: Path) -> None:
    (tmp_path / "notes.mrc").write_bytes(b"not an image " * 200)
    (tmp_path / "empty.mrc").write_bytes(b"")
    for name in ("notes.mrc", "empty.mrc"):
        with pytest.raises(ImageRefused, match=rf"{name}: is not an MRC file") as caught:
            read_frames(np.array([name]), np.array([0]), None, _locate(tmp_path))
        assert caught.value.path == os.fspath(tmp_path / name)


def test_a_truncated_stack_is_refused(tmp_path: Path) -> None:
    path = _stack(tmp_path / "cut.mrc", np.zeros((4, 8, 8), np.float32))
    os.truncate(path, os.path.getsize(path) - 100)
    with pytest.raises(ImageRefused, match=r"cut\.mrc: is not an MRC file"):
        read_frames(np.array(["cut.mrc"]), np.array([0]), None, _locate(tmp_path))


def test_a_missing_file_and_a_pipe_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match=r"gone\.mrc: does not exist"):
        read_frames(np.array(["gone.mrc"]), np.array([0]), None, _locate(tmp_path))
    os.mkfifo(tmp_path / "pipe.mrc")
    with pytest.raises(FileRefused, match=r"pipe\.mrc: is a named pipe"):
        read_frames(np.array(["pipe.mrc"]), np.array([0]), None, _locate(tmp_path))


def test_no_rows_reads_no_file() -> None:
    assert (
        read_frames(np.array([], str), np.array([], int), None, _locate(Path("/nowhere"))).size == 0
    )


def test_volumes(tmp_path: Path) -> None:
    volume = np.random.default_rng(1).normal(size=(6, 7, 8)).astype(np.float32)
    _stack(tmp_path / "map.mrc", volume)
    assert np.array_equal(read_volume("map.mrc", (6, 7, 8), _locate(tmp_path)), volume)
    with pytest.raises(ImageRefused, match=r"map\.mrc: holds a volume of 6 x 7 x 8 px, .* 8 x 8"):
        read_volume("map.mrc", (8, 8, 8), _locate(tmp_path))
    _stack(tmp_path / "flat.mrc", np.zeros((4, 4), np.float32))
    with pytest.raises(ImageRefused, match=r"flat\.mrc: is not a volume: it holds a 2D image"):
        read_volume("flat.mrc", None, _locate(tmp_path))
