"""What a front end reads from a project: redo history, listeners told after the history is
up to date, one-edit auto-layouts and job placement, the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cryoweave.demo import particles
from cryoweave.graph import JobError, Project
from cryoweave.graph.commands import SetPositions


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "P1", title="Watched") as p:
        p.import_dataset(particles(20, ["blob", "ctf"]), "particle", "particles")
        p.create_job("homo_refine_new")
        yield p


def test_redo_history_mirrors_history(project: Project) -> None:
    project.job("J2").connect("particles", "J1", "particles")
    project.job("J2").set_title("Refine")
    assert project.redo_history == []
    project.undo()
    project.undo()
    assert project.redo_history == ["rename J2 to 'Refine'", "connect J1.particles to J2.particles"]
    assert project.redo() == project.history[-1] == "connect J1.particles to J2.particles"
    assert project.redo_history == ["rename J2 to 'Refine'"]
    project.job("J2").set_position(1, 2)  # a new edit drops what could be redone
    assert project.redo_history == []


def test_listeners_see_the_history_of_the_change_they_are_told_of(project: Project) -> None:
    seen: list[tuple[set[str], list[str], list[str]]] = []
    unsubscribe = project.subscribe(
        lambda uids: seen.append((uids, project.history[-1:], project.redo_history[-1:]))
    )
    project.job("J2").connect("particles", "J1", "particles")
    project.undo()
    project.redo()
    connect = "connect J1.particles to J2.particles"
    assert seen == [
        ({"J2"}, [connect], []),
        ({"J2"}, ["create J2 (homo_refine_new)"], [connect]),
        ({"J2"}, [connect], []),
    ]
    unsubscribe()
    unsubscribe()
    project.job("J2").set_title("unseen")
    assert len(seen) == 3


def test_a_refused_edit_tells_no_listener(project: Project) -> None:
    told: list[set[str]] = []
    project.subscribe(told.append)
    with pytest.raises(ValueError, match="takes volume items"):
        project.job("J2").connect("volume", "J1", "particles")
    assert project.undo() is not None and told == [{"J2"}]


def test_set_positions_is_one_edit(project: Project) -> None:
    placed = (project.state("J1").position, project.state("J2").position)
    project.apply(SetPositions((("J1", 10.0, 20.0), ("J2", 30.0, 40.0))))
    assert project.history[-1] == "move 2 jobs"
    assert (project.state("J1").position, project.state("J2").position) == ((10, 20), (30, 40))
    project.undo()
    assert (project.state("J1").position, project.state("J2").position) == placed
    project.apply(SetPositions((("J2", 5.0, 6.0),)))
    assert project.history[-1] == "move J2"


@pytest.mark.parametrize(
    ("positions", "message"),
    [((), "nothing to move"), ((("J1", 0.0, 0.0), ("J9", 1.0, 1.0)), "cannot move J9")],
)
def test_set_positions_refusals_change_nothing(
    project: Project, positions: tuple[tuple[str, float, float], ...], message: str
) -> None:
    history, placed = project.history, project.state("J1").position
    with pytest.raises(JobError, match=message):
        project.apply(SetPositions(positions))
    assert project.history == history and project.state("J1").position == placed


def test_a_job_is_created_where_it_is_placed_in_one_edit(project: Project) -> None:
    history = len(project.history)
    job = project.create_job("local_resolution", position=(120.0, -8.5))
    assert job.state.position == (120.0, -8.5) and len(project.history) == history + 1
    root = project.root
    project.close()
    with Project.open(root, read_only=True) as reopened:
        assert reopened.state(job.uid).position == (120.0, -8.5)
        assert reopened.title == "Watched"


def test_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    with Project.create(tmp_path / "My project") as project:
        assert project.title == "My project"
