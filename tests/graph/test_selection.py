"""Selections as jobs: chosen 2D classes, a field's range; one edit each, refusals named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from cryoweave.demo.tutorial import tutorial_project
from cryoweave.graph import Project
from cryoweave.graph.errors import JobError


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    made = tutorial_project(tmp_path_factory.mktemp("select") / "demo", 1_000, seed=3)
    yield made
    made.close()


def test_select_classes_keeps_exactly_those_classes_particles(project: Project) -> None:
    classes = [1, 4, 9, 30]
    before = len(project.history)
    job = project.select_classes("J7", classes)
    assert job.type == "select_2D" and job.status == "completed"
    assert len(project.history) == before + 1
    source = project.job("J7").load_output("particles")
    chosen = np.isin(source["alignments2D/class"], classes)
    selected = job.load_output("particles_selected")
    excluded = job.load_output("particles_excluded")
    assert set(selected["uid"].tolist()) == set(source["uid"][chosen].tolist())
    assert set(excluded["uid"].tolist()) == set(source["uid"][~chosen].tolist())
    # The other results pass through: the blob and CTF of the source, row for row.
    assert {"blob", "ctf", "alignments2D"} <= set(selected.prefixes())
    order = np.argsort(source["uid"])
    where = order[np.searchsorted(source["uid"], selected["uid"], sorter=order)]
    assert np.array_equal(selected["ctf/df1_A"], source["ctf/df1_A"][where])
    averages = project.job("J7").load_images("class_averages")
    templates = job.load_images("templates_selected")
    assert np.array_equal(templates, averages[classes])
    assert len(job.load_output("templates_excluded")) == len(averages) - len(classes)
    tiles = job.load_images("particles_selected", rows=range(3))
    assert np.array_equal(tiles, project.job("J7").load_images("particles", rows=where[:3]))


def test_a_selection_is_one_edit_that_undo_takes_away(project: Project) -> None:
    job = project.select_classes("J7", [0], title="one class")
    assert job.title == "one class"
    assert project.undo() is not None
    assert job.uid not in project.states
    project.redo()
    assert project.job(job.uid).load_output("particles_selected") is not None


def test_unknown_classes_are_refused_and_nothing_is_written(project: Project) -> None:
    folders = set(Path(project.root).iterdir())
    with pytest.raises(
        JobError, match=r"cannot select classes \[50\] of J7: its classes are 0 to 49"
    ):
        project.select_classes("J7", [3, 50])
    with pytest.raises(JobError, match="J5 has no output 'class_averages'"):
        project.select_classes("J5", [3])
    assert set(Path(project.root).iterdir()) == folders


def test_select_particles_by_a_range(project: Project) -> None:
    source = project.job("J5").load_output("particles", slots=["ctf"])
    cut = float(np.median(source["ctf/df1_A"]))
    job = project.select_particles("J5", "particles", "ctf/df1_A", high=cut)
    assert job.status == "completed"
    selected = job.load_output("particles_selected")
    keep = source["ctf/df1_A"] <= cut
    assert set(selected["uid"].tolist()) == set(source["uid"][keep].tolist())
    assert np.all(selected["ctf/df1_A"] <= cut) and "blob" in selected.prefixes()
    excluded = job.load_output("particles_excluded")
    assert len(selected) + len(excluded) == len(source) and np.all(excluded["ctf/df1_A"] > cut)
    both = project.select_particles("J5", "particles", "ctf/df1_A", low=cut, high=cut)
    assert len(both.load_output("particles_selected")) == np.count_nonzero(
        source["ctf/df1_A"] == np.float32(cut)
    )


def test_select_particles_refusals(project: Project) -> None:
    with pytest.raises(JobError, match="the range is empty"):
        project.select_particles("J5", "particles", "ctf/df1_A", low=2.0, high=1.0)
    with pytest.raises(JobError, match="not one number per particle"):
        project.select_particles("J5", "particles", "blob/path")
    with pytest.raises(JobError, match="not one number per particle"):
        project.select_particles("J5", "particles", "blob/shape")
    with pytest.raises(JobError, match=r"J5.particles has no result 'nope'"):
        project.select_particles("J5", "particles", "nope/x")
    with pytest.raises(JobError, match=r"has no field 'ctf/nope'"):
        project.select_particles("J5", "particles", "ctf/nope")
