"""The demo's pixels agree with its datasets; pictures read through jobs; refusals named."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import mrcfile
import numpy as np
import pytest

from cryoweave.data.files import FileMissing
from cryoweave.data.images import ImageRefused
from cryoweave.demo.tutorial import EXTRACT_BOX, SMALL_BOX, tutorial_project
from cryoweave.graph import Project
from cryoweave.graph.paths import PathOutsideProject


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    made = tutorial_project(tmp_path_factory.mktemp("pixels") / "demo", 1_000, seed=5)
    yield made
    made.close()


def test_stacks_agree_with_blob_fields(project: Project) -> None:
    full = project.job("J5").load_images("particles", rows=range(40))
    small = project.job("J6").load_images("particles", rows=range(40))
    assert full.shape == (40, EXTRACT_BOX, EXTRACT_BOX) and full.dtype == np.float32
    assert small.shape == (40, SMALL_BOX, SMALL_BOX)
    # J6 is J5 binned: same uids, same rows (both keep J5's order).
    f = EXTRACT_BOX // SMALL_BOX
    binned = full.reshape(40, SMALL_BOX, f, SMALL_BOX, f).mean(axis=(2, 4))
    assert np.allclose(small, binned, atol=1e-5)
    # A particle is its class's view plus noise: not blank, not all alike.
    assert np.all(full.std(axis=(1, 2)) > 0.5) and not np.allclose(full[0], full[1])


def test_particles_sit_at_their_picks(project: Project) -> None:
    picks = project.job("J5").load_output("particles")
    micrographs = project.job("J2").load_output("micrographs")
    row = 0
    on = micrographs["uid"] == picks["location/micrograph_uid"][row]
    (mic,) = project.job("J2").load_images("micrographs", "micrograph_blob", rows=on)
    assert mic.shape == tuple(micrographs["micrograph_blob/shape"][np.flatnonzero(on)[0]])
    ny, nx = mic.shape
    y = int(picks["location/center_y_frac"][row] * ny) - EXTRACT_BOX // 2
    x = int(picks["location/center_x_frac"][row] * nx) - EXTRACT_BOX // 2
    (box,) = project.job("J5").load_images("particles", rows=[row])
    inside = box[max(0, -y) : ny - y, max(0, -x) : nx - x]
    cut = mic[max(0, y) : y + EXTRACT_BOX, max(0, x) : x + EXTRACT_BOX]
    assert np.allclose(inside, cut, atol=1e-2)  # stored at half precision


def test_class_averages_are_their_particles_averages(project: Project) -> None:
    j7 = project.job("J7")
    averages = j7.load_images("class_averages")
    particles = j7.load_output("particles")
    images = j7.load_images("particles")
    for k in (0, 7, 23):
        members = particles["alignments2D/class"] == k
        expected = images[members].mean(axis=0) if members.any() else np.zeros_like(averages[k])
        assert np.allclose(averages[k], expected, atol=1e-4)
    first = j7.load_images("class_averages", version=0)
    assert not np.allclose(first, averages)  # each iteration its own averages


def test_maps_and_two_different_half_maps(project: Project) -> None:
    for uid in ("J10", "J12"):
        job = project.job(uid)
        half_a = job.load_volume("volume", "map_half_A")
        half_b = job.load_volume("volume", "map_half_B")
        full = job.load_volume("volume")
        assert half_a.shape == (SMALL_BOX,) * 3 and not np.allclose(half_a, half_b)
        assert np.allclose(full, (half_a + half_b) / 2, atol=1e-5)
        assert np.corrcoef(half_a.ravel(), half_b.ravel())[0, 1] > 0.3
        assert not np.allclose(job.load_volume("volume", "map_sharp"), full)
    assert project.job("J9").load_volume("volume_class_0").shape == (SMALL_BOX,) * 3


def test_input_images_follow_the_blob_override(project: Project) -> None:
    refine = project.create_job("homo_refine_new")
    refine.connect("particles", "J9", "particles_class_0")
    assert refine.input_images("particles", rows=range(2)).shape[1:] == (SMALL_BOX, SMALL_BOX)
    refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
    tiles = refine.input_images("particles", rows=range(2))
    assert tiles.shape == (2, EXTRACT_BOX, EXTRACT_BOX)
    uids = refine.resolve_input("particles")["uid"][:2]
    j5 = project.job("J5").load_output("particles")
    rows = [int(np.flatnonzero(j5["uid"] == uid)[0]) for uid in uids]
    assert np.array_equal(tiles, project.job("J5").load_images("particles", rows=rows))


def test_the_demo_is_deterministic(tmp_path: Path, project: Project) -> None:
    again = tutorial_project(tmp_path / "again", 1_000, seed=5)
    try:
        for name in ("J7/J7_003_class_averages.mrc", "J10/J10_008_volume_map_half_B.mrc"):
            # Pixels, not bytes: mrcfile labels each file with the time it was made.
            pixels = []
            for made in (project, again):
                with mrcfile.open(made.root / name) as mrc:
                    pixels.append(np.array(mrc.data))
            assert np.array_equal(pixels[0], pixels[1]), name
    finally:
        again.close()


@pytest.mark.slow
def test_the_tour_demo_fits_on_disk(tmp_path: Path) -> None:
    made = tutorial_project(tmp_path / "tour")  # 20,000 particles
    made.close()
    size = int(
        subprocess.run(
            ["du", "-sk", str(tmp_path / "tour")], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )
    assert size < 200 * 1024, f"{size} kB"


# -- refusals, on crafted files in a copy of the demo -----------------------------------


@pytest.fixture
def bad(tmp_path: Path) -> Iterator[Project]:
    made = tutorial_project(tmp_path / "bad", 200, seed=6)
    yield made
    made.close()


def _stack_of_row(project: Project, row: int) -> Path:
    return project.root / str(project.job("J6").load_output("particles").strings("blob/path")[row])


def test_a_missing_stack_is_named(bad: Project) -> None:
    path = _stack_of_row(bad, 0)
    path.unlink()
    with pytest.raises(FileMissing, match=f"{path}: does not exist"):
        bad.job("J6").load_images("particles", rows=[0])


def test_a_stack_that_is_not_mrc_is_named(bad: Project) -> None:
    path = _stack_of_row(bad, 0)
    path.write_bytes(b"\0" * 4096)
    with pytest.raises(ImageRefused, match=f"{path}: is not an MRC file"):
        bad.job("J6").load_images("particles", rows=[0])


def test_a_short_stack_and_a_wrong_shape_are_named(bad: Project) -> None:
    path = _stack_of_row(bad, 0)
    particles = bad.job("J6").load_output("particles")
    last = int(
        np.flatnonzero(particles.strings("blob/path") == particles.strings("blob/path")[0])[-1]
    )
    with mrcfile.new(path, overwrite=True) as mrc:
        mrc.set_data(np.zeros((1, SMALL_BOX, SMALL_BOX), np.float32))
    with pytest.raises(ImageRefused, match=rf"{path}: holds 1 frame\(s\), but frame \d+ is asked"):
        bad.job("J6").load_images("particles", rows=[last])
    with mrcfile.new(path, overwrite=True) as mrc:
        mrc.set_data(np.zeros((400, 16, 16), np.float32))
    with pytest.raises(ImageRefused, match=rf"{path}: holds frames of 16 x 16 px, .* says 20 x 20"):
        bad.job("J6").load_images("particles", rows=[0])


def test_links_out_of_the_project(bad: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    path = _stack_of_row(bad, 0)
    os.replace(path, outside / path.name)
    path.symlink_to(outside / path.name)
    with pytest.raises(PathOutsideProject, match="a symbolic link leads it to"):
        bad.job("J6").load_images("particles", rows=[0])
    # An import job's imported/ folder may link raw data where it lies: read for pixels.
    imported = bad.root / "J1" / "imported"
    imported.mkdir(parents=True, exist_ok=True)
    (imported / "gain.mrc").symlink_to(outside / path.name)
    from cryoweave.graph.job import image_path

    assert image_path(bad, "J1/imported/gain.mrc") == imported / "gain.mrc"
    with pytest.raises(PathOutsideProject, match="leaves the project folder"):
        image_path(bad, "J1/imported/../../../elsewhere/x.mrc")
    # ... but not from a job that is no import.
    (bad.root / "J6" / "imported").mkdir()
    (bad.root / "J6" / "imported" / "x.mrc").symlink_to(outside / path.name)
    with pytest.raises(PathOutsideProject):
        image_path(bad, "J6/imported/x.mrc")
