"""Versions, appended connections, volumes combined by position, and crash safety."""

from __future__ import annotations

import numpy as np
import pytest

from cryoweave import Dataset
from cryoweave.data import atomic
from cryoweave.demo import particles
from cryoweave.graph import ConnectionRefused, JobError, Project
from cryoweave.graph.errors import SaveFailed


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "P1") as p:
        yield p


def classified(project, iterations=3):
    """An external 2D classification that saves one version per iteration."""
    source = project.import_dataset(particles(100, ["blob", "ctf"]), "particle", "particles")
    job = project.create_external_job("2D classes")
    job.add_input("particle", "particles", min=1, slots=["blob"])
    job.connect("particles", source.uid, "particles")
    job.add_output("particle", "particles", slots=["alignments2D"], passthrough="particles")
    with job.run():
        uids = job.resolve_input("particles")["uid"]
        for iteration in range(iterations):
            table = np.zeros(100, [("uid", "<u8"), ("alignments2D/class", "<u4")])
            table["uid"] = uids
            table["alignments2D/class"] = iteration
            assert job.save_output("particles", Dataset(table)) == iteration
    return job


def test_each_save_is_a_version_and_F_is_the_last(project):
    job = classified(project)
    result = job.state.output("particles").result("alignments2D")
    assert result.versions == [0, 1, 2]
    assert job.load_output("particles")["alignments2D/class"][0] == 2
    assert job.load_output("particles", version=1)["alignments2D/class"][0] == 1
    passthrough = job.state.output("particles").result("ctf")
    assert passthrough.passthrough
    assert passthrough.metafiles == ["J1/J1_particles.cs"]


def test_a_slot_can_take_an_earlier_version(project):
    job = classified(project)
    consumer = project.create_external_job("consumer")
    consumer.add_input("particle", "particles", min=1, slots=["alignments2D"])
    consumer.connect("particles", job.uid, "particles")
    consumer.connect_result("particles", 0, "alignments2D", job.uid, "particles", "alignments2D", 0)
    resolution = consumer.resolve("particles")
    resolved = resolution.dataset
    assert (resolved["alignments2D/class"] == 0).all()
    assert resolution.provenance["alignments2D/class"][0].version == 0
    with pytest.raises(ConnectionRefused, match=r"has no version 7 \(versions \[0, 1, 2\]\)"):
        consumer.connect_result(
            "particles", 0, "alignments2D", job.uid, "particles", "alignments2D", 7
        )


def test_connections_append_and_repeats_follow_the_input(project):
    first = project.import_dataset(particles(30, ["blob", "ctf"], seed=1), "particle", "particles")
    second = project.import_dataset(particles(20, ["blob", "ctf"], seed=2), "particle", "particles")
    job = project.create_job("homo_refine_new")
    job.connect("particles", first.uid, "particles")
    job.connect("particles", second.uid, "particles")
    resolution = job.resolve("particles")
    resolved = resolution.dataset
    assert len(resolved) == 50
    sources = resolution.provenance["blob/path"]
    assert [s.job_uid for s in sources] == [first.uid, second.uid]
    np.testing.assert_array_equal(resolved["uid"][:30], first.load_output("particles")["uid"])


def test_volumes_of_different_sizes_are_not_combined_by_position(project):
    volumes = []
    for rows in (1, 2):
        job = project.create_external_job()
        job.add_output("volume", "volume", slots=["map_half_A", "map_half_B"])
        table = np.zeros(
            rows, [("uid", "<u8"), ("map_half_A/path", "S8"), ("map_half_B/path", "S8")]
        )
        table["uid"] = np.arange(rows) + 10 * rows
        with job.run():
            job.save_output("volume", Dataset(table))
        volumes.append(job)
    local = project.create_job("local_resolution")
    local.connect("volume", volumes[0].uid, "volume")
    local.connect_result("volume", 0, "map_half_B", volumes[1].uid, "volume", "map_half_B")
    with pytest.raises(JobError, match=r"cannot combine volume results by position.*\[1, 2\] rows"):
        local.resolve_input("volume")


def test_a_crash_while_saving_leaves_the_last_good_document(project, monkeypatch):
    job = project.create_job("homo_refine_new")
    path = project.root / job.uid / "job.json"
    saved = path.read_bytes()

    def crash(source, target):  # the new document is written, the rename never happens
        raise OSError("killed before the rename")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(SaveFailed, match="killed before the rename"):
        job.set_title("renamed")
    monkeypatch.undo()
    assert path.read_bytes() == saved
    assert not list(path.parent.glob(".*tmp")) and not list(project.root.glob(".*tmp"))
    assert job.title == "Homogeneous Refinement"
    assert project.history[-1] == f"create {job.uid} (homo_refine_new)"
    project.close()
    with Project.open(project.root, read_only=True) as again:
        assert again.job(job.uid).title == "Homogeneous Refinement"
