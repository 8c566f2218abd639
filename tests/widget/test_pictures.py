"""The JobBuilder's pictures through its request path, on the demo's real pixels: tiles of
outputs and inputs (overrides honoured), the class gallery, volume slices, a micrograph with
its picks, refusals naming the file, and selections made by command with their code line."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mrcfile  # type: ignore[import-untyped]
import numpy as np
import pytest
from test_job_builder import Driver
from test_wire_contract import typecheck

from cryoweave.demo.tutorial import tutorial_project
from cryoweave.graph import Project
from cryoweave.widget import JobBuilder
from cryoweave.widget.builder_pictures import MAX_TILES, TILE_PX, contrast, shrink
from cryoweave.widget.standalone import GALLERY_BYTES, galleries


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    made = tutorial_project(tmp_path_factory.mktemp("pictures") / "demo", 1_000, seed=5)
    yield made
    made.close()


@pytest.fixture
def fe(demo: Project, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    builder = JobBuilder(demo)
    yield Driver(builder, monkeypatch)
    builder.close()


def picture(fe: Driver, type: str, **fields: Any) -> tuple[dict[str, Any], list[Any]]:
    reply, buffers = fe.request(type, **fields)
    assert reply["ok"] is True, reply
    return reply, [bytes(b) for b in buffers]


def tiles(buffer: bytes, reply: dict[str, Any]) -> np.ndarray:
    h, w = reply["size"]
    assert len(buffer) == reply["count"] * h * w  # one byte per pixel drawn, no more
    return np.frombuffer(buffer, np.uint8).reshape(reply["count"], h, w)


def test_contrast_spreads_each_picture_and_keeps_flat_ones_grey() -> None:
    ramp = np.linspace(-5, 5, 400, dtype=np.float32).reshape(20, 20)
    out = contrast(np.stack([ramp, ramp * 1000 + 7, np.full((20, 20), 3.0, np.float32)]))
    assert out.dtype == np.uint8
    assert out[0].min() == 0 and out[0].max() == 255
    assert np.array_equal(out[0], out[1])  # per picture: scale and offset do not matter
    assert (out[2] == 127).all()


def test_shrink_averages_blocks_and_never_enlarges() -> None:
    big = np.arange(2 * 200 * 100, dtype=np.float32).reshape(2, 200, 100)
    small = shrink(big, TILE_PX)
    assert small.shape == (2, 66, 33)  # factor 3: 198 x 99 kept
    assert small[1, 4, 5] == pytest.approx(big[1, 12:15, 15:18].mean())
    tiny = np.ones((1, 20, 20), np.float32)
    assert shrink(tiny, TILE_PX) is tiny


def test_output_tiles_are_the_images_with_contrast_page_by_page(fe: Driver, demo: Project) -> None:
    full, _ = picture(fe, "tiles", job="J5", side="output", name="particles", slot="blob",
                      offset=0, limit=8)  # fmt: skip
    small, buffers = picture(fe, "tiles", job="J6", side="output", name="particles",
                             slot="blob", offset=16, limit=8)  # fmt: skip
    assert full["size"] == full["box"] == [40, 40]
    assert small["size"] == small["box"] == [20, 20]
    assert (small["offset"], small["count"], small["total"]) == (16, 8, 1000)
    expected = contrast(demo.job("J6").load_images("particles", rows=range(16, 24)))
    assert np.array_equal(tiles(buffers[0], small), expected)
    last, buffers = picture(fe, "tiles", job="J6", side="output", name="particles",
                            slot="blob", offset=995, limit=1000)  # fmt: skip
    assert last["count"] == 5 and len(buffers[0]) == 5 * 20 * 20
    page, _ = picture(fe, "tiles", job="J6", side="output", name="particles", slot="blob",
                      offset=0, limit=10_000)  # fmt: skip
    assert page["count"] == MAX_TILES
    past, buffers = picture(fe, "tiles", job="J6", side="output", name="particles",
                            slot="blob", offset=5_000, limit=8)  # fmt: skip
    assert past["count"] == 0 and buffers == [b""]


def test_an_inputs_tiles_follow_the_blob_override(fe: Driver, demo: Project) -> None:
    refine = demo.create_job("homo_refine_new")
    try:
        refine.connect("particles", "J7", "particles")
        request = {"job": refine.uid, "side": "input", "name": "particles", "slot": "blob"}
        small, _ = picture(fe, "tiles", offset=0, limit=4, **request)
        assert small["size"] == [20, 20] and small["total"] == 1000
        refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
        full, buffers = picture(fe, "tiles", offset=0, limit=4, **request)
        assert full["size"] == [40, 40]
        expected = contrast(refine.input_images("particles", rows=range(4)))
        assert np.array_equal(tiles(buffers[0], full), expected)
    finally:
        demo.delete_job(refine.uid)


def test_class_gallery_sorted_by_particle_count(fe: Driver, demo: Project) -> None:
    reply, buffers = picture(fe, "class_gallery", job="J7", output="class_averages")
    classes = demo.job("J7").load_output("particles", slots=["alignments2D"])
    counts = np.bincount(classes["alignments2D/class"], minlength=50)
    assert sorted(reply["classes"]) == list(range(50))
    assert reply["counts"] == counts[reply["classes"]].tolist()
    assert reply["counts"] == sorted(reply["counts"], reverse=True)
    assert reply["particles"] == 1000 and reply["size"] == [20, 20]
    averages = demo.job("J7").load_images("class_averages")
    got = np.frombuffer(buffers[0], np.uint8).reshape(50, 20, 20)  # 400 bytes a tile
    assert np.array_equal(got, contrast(averages[reply["classes"]]))


def test_class_gallery_refuses_a_job_without_classes(fe: Driver) -> None:
    error = fe.refused("class_gallery", job="J8", output="templates_selected")
    assert "J8.templates_selected is not the class averages of a 2D classification" in error


def test_volume_slices_show_map_and_half_maps(fe: Driver, demo: Project) -> None:
    reply, buffers = picture(fe, "volume_slices", job="J10", output="volume", z=None)
    assert [m["slot"] for m in reply["maps"]] == ["map", "map_half_A", "map_half_B"]
    assert reply["z"] == 10 and reply["maps"][0]["shape"] == [20, 20, 20]
    assert [len(b) for b in buffers] == [3 * 400] * 3
    assert buffers[1] != buffers[2]  # two different half maps
    volume = demo.job("J10").load_volume("volume", "map_half_A")
    xy = np.frombuffer(buffers[1][:400], np.uint8).reshape(20, 20)
    # Brighter voxels stay brighter: the slice is the volume's z = 10, contrast applied.
    assert np.corrcoef(xy.ravel(), volume[10].ravel())[0, 1] > 0.95
    other, more = picture(fe, "volume_slices", job="J10", output="volume", z=3)
    assert other["z"] == 3 and more[0][:400] != buffers[0][:400]
    assert more[0][400:] == buffers[0][400:]  # xz and yz stay central
    error = fe.refused("volume_slices", job="J10", output="volume", z=20)
    assert "J10.volume.map has 20 slices in z; slice 20 is past the end" in error


def test_micrograph_with_its_picks(fe: Driver, demo: Project) -> None:
    reply, buffers = picture(fe, "micrograph", job="J4", output="micrographs", index=0)
    assert reply["shape"] == [960, 928] and reply["size"] == [480, 464]
    assert len(buffers[0]) == 480 * 464
    exposure = demo.job("J4").load_output("micrographs", slots=["micrograph_blob"])["uid"][0]
    picks = demo.job("J4").load_output("particles", slots=["location"])
    here = picks["location/micrograph_uid"] == exposure
    assert reply["picks"] == int(here.sum()) > 0
    xy = np.frombuffer(buffers[1], "<f4").reshape(-1, 2)
    assert np.allclose(xy[:, 0], picks["location/center_x_frac"][here] * 464)
    assert np.allclose(xy[:, 1], picks["location/center_y_frac"][here] * 480)
    # Particles are brighter than the background where they were put.
    image = np.frombuffer(buffers[0], np.uint8).reshape(480, 464).astype(float)
    at = image[xy[:, 1].astype(int), xy[:, 0].astype(int)]
    assert at.mean() > image.mean()
    error = fe.refused("micrograph", job="J4", output="micrographs", index=4)
    assert "J4.micrographs has 4 exposures; 4 is past the end" in error


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Project, Driver]]:
    project = tutorial_project(tmp_path / "small", 200, seed=2)
    builder = JobBuilder(project)
    yield project, Driver(builder, monkeypatch)
    builder.close()
    project.close()


def stack_of(project: Project, row: int = 0) -> Path:
    ds = project.job("J6").load_output("particles", slots=["blob"])
    return Path(project.root) / str(ds.strings("blob/path")[row])


def test_refusals_name_the_file(small: tuple[Project, Driver]) -> None:
    project, fe = small
    request = {"job": "J6", "side": "output", "name": "particles", "slot": "blob"}
    path = stack_of(project)
    data = path.read_bytes()
    path.write_bytes(b"not an MRC file at all" * 100)
    error = fe.refused("tiles", offset=0, limit=1, **request)
    assert str(path) in error and "is not an MRC file" in error
    with mrcfile.new(str(path), overwrite=True) as mrc:
        mrc.set_data(np.zeros((1, 20, 20), np.float32))
    idx = project.job("J6").load_output("particles", slots=["blob"])["blob/idx"]
    row = int(np.flatnonzero(idx > 0)[0])
    error = fe.refused("tiles", offset=row, limit=1, **request)
    assert str(path) in error and "holds 1 frame(s), but frame" in error
    path.unlink()
    error = fe.refused("tiles", offset=0, limit=1, **request)
    assert str(path) in error
    path.write_bytes(data)
    picture(fe, "tiles", offset=0, limit=1, **request)


def test_select_classes_by_command_with_its_code_line(small: tuple[Project, Driver]) -> None:
    project, fe = small
    reply = fe.command("select_classes", job="J7", classes=[3, 1, 7])
    uid = reply["job"]
    assert fe.widget.code()[-1] == f"project.select_classes('J7', [3, 1, 7])  # {uid}"
    source = project.job("J7").load_output("particles", slots=["alignments2D"])
    chosen = source["uid"][np.isin(source["alignments2D/class"], [1, 3, 7])]
    selected = project.job(uid).load_output("particles_selected")
    assert sorted(selected["uid"].tolist()) == sorted(chosen.tolist())
    assert any(job["uid"] == uid for job in fe.widget.graph["jobs"])
    error = fe.refused("command", command={"op": "select_classes", "job": "J7", "classes": [60]})
    assert "cannot select classes [60] of J7" in error
    error = fe.refused("command", command={"op": "select_classes", "job": "J7", "classes": [-1]})
    assert "'classes' as a list of whole numbers >= 0" in error


def test_select_particles_by_command_with_its_code_line(small: tuple[Project, Driver]) -> None:
    project, fe = small
    field = "ctf/df1_A"
    values = project.job("J7").load_output("particles", slots=["ctf"])[field]
    low = float(np.median(values))
    reply = fe.command(
        "select_particles", job="J7", output="particles", field=field, low=low, high=None
    )
    uid = reply["job"]
    line = f"project.select_particles('J7', 'particles', 'ctf/df1_A', {low!r}, None)  # {uid}"
    assert fe.widget.code()[-1] == line
    selected = project.job(uid).load_output("particles_selected")
    assert len(selected) == int((values >= low).sum())
    error = fe.refused(
        "command",
        command={"op": "select_particles", "job": "J7", "output": "particles", "field": field,
                 "low": 2.0, "high": 1.0},
    )  # fmt: skip
    assert "the range is empty" in error


def test_picture_replies_and_selection_commands_have_their_protocol_types(
    fe: Driver, tmp_path: Path
) -> None:
    def sent(type: str, **fields: Any) -> dict[str, Any]:
        reply, _ = picture(fe, type, **fields)
        return reply

    request = {"job": "J6", "side": "output", "name": "particles", "slot": "blob"}
    payloads: list[tuple[str, Any]] = [
        ("TilesReply", sent("tiles", offset=0, limit=2, **request)),
        ("ClassGalleryReply", sent("class_gallery", job="J7", output="class_averages")),
        ("VolumeSlicesReply", sent("volume_slices", job="J10", output="volume", z=None)),
        ("MicrographReply", sent("micrograph", job="J4", output="micrographs", index=0)),
        ("Command", {"op": "select_classes", "job": "J7", "classes": [1, 2]}),
        ("Command", {"op": "select_particles", "job": "J7", "output": "particles",
                     "field": "ctf/df1_A", "low": None, "high": 2.5}),
    ]  # fmt: skip
    checked = typecheck(tmp_path, payloads)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_standalone_page_keeps_the_class_galleries(fe: Driver, demo: Project) -> None:
    kept = galleries(demo)
    assert list(kept) == ["J7/class_averages"]  # J8's templates are no classification's
    gallery = kept["J7/class_averages"]
    reply, buffers = picture(fe, "class_gallery", job="J7", output="class_averages")
    assert base64.b64decode(gallery.pop("tiles")) == buffers[0]
    assert gallery == {k: v for k, v in reply.items() if k not in ("id", "ok")}
    assert len(buffers[0]) <= GALLERY_BYTES


def test_a_standalone_page_leaves_out_galleries_it_cannot_read(
    small: tuple[Project, Driver],
) -> None:
    project, _ = small
    averages = project.job("J7").load_output("class_averages", slots=["blob"])
    (Path(project.root) / str(averages.strings("blob/path")[0])).unlink()
    assert galleries(project) == {}
