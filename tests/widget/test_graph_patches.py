"""The JobBuilder's graph after edits: patches of what changed, never the whole graph again,
and a ``graph`` trait that stays the whole, current state for views that ask for it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cryoweave.demo import particles
from cryoweave.graph import Project
from cryoweave.widget import JobBuilder
from cryoweave.widget.builder_graph import graph_view

View = dict[str, Any]


class Views:
    """What a front end holds: the first snapshot, then every patch applied as
    ``js/src/builder/graphStore.ts`` applies it."""

    def __init__(self, widget: JobBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
        self.graph: View = json.loads(json.dumps(widget.graph))
        self.patches: list[View] = []

        def send(content: View, buffers: list[Any] | None = None) -> None:
            assert content["type"] == "graph_patch" and not buffers
            content = json.loads(json.dumps(content))  # as it travels
            self.patches.append(content)
            self.apply(content)

        monkeypatch.setattr(widget, "send", send)

    def apply(self, patch: View) -> None:
        graph = self.graph
        assert patch["base"] == graph["revision"], "a patch applies to the revision before it"
        header = {k: v for k, v in patch.items() if k not in ("type", "base", "jobs", "removed")}
        specs = {**graph["specs"], **header.pop("specs")}
        changed = {job["uid"]: job for job in patch["jobs"]}
        jobs = [changed.pop(job["uid"], job) for job in graph["jobs"]]
        jobs = [job for job in jobs if job["uid"] not in patch["removed"]] + list(changed.values())
        jobs.sort(key=lambda job: int(job["uid"][1:]))
        # Specs are kept once received, used or not: an undo may bring their jobs back.
        self.graph = {**graph, **header, "specs": specs, "jobs": jobs}

    def used(self) -> View:
        """The graph with only the specs its jobs name, as the trait has it."""
        used = {job["spec"] for job in self.graph["jobs"]}
        specs = {key: spec for key, spec in self.graph["specs"].items() if key in used}
        return {**self.graph, "specs": specs}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """J1: imported particles (blob, ctf, alignments3D; 300); J2, J3: refinements being built."""
    with Project.create(tmp_path / "P1", title="Patches") as p:
        p.import_dataset(
            particles(300, ["blob", "ctf", "alignments3D"], seed=1), "particle", "particles"
        )
        p.create_job("homo_refine_new")
        p.create_job("homo_refine_new")
        yield p


@pytest.fixture
def widget(project: Project) -> Iterator[JobBuilder]:
    builder = JobBuilder(project)
    yield builder
    builder.close()


@pytest.fixture
def views(widget: JobBuilder, monkeypatch: pytest.MonkeyPatch) -> Views:
    return Views(widget, monkeypatch)


def uids(jobs: list[View]) -> list[str]:
    return [job["uid"] for job in jobs]


def test_a_connection_sends_the_one_job_it_changed(
    project: Project, widget: JobBuilder, views: Views
) -> None:
    revision = widget.graph["revision"]
    project.job("J2").connect("particles", "J1", "particles")
    (patch,) = views.patches
    assert (patch["base"], patch["revision"]) == (revision, revision + 1)
    assert uids(patch["jobs"]) == ["J2"] and patch["removed"] == [] and patch["specs"] == {}
    assert patch["undo_label"] == "connect J1.particles to J2.particles" and patch["can_undo"]
    (j2,) = patch["jobs"]
    assert j2["tags"] == ["300 particles"] and j2["inputs"][0]["status"] == "met"


def test_jobs_downstream_of_an_edit_are_sent_when_their_view_changes(
    project: Project, views: Views
) -> None:
    extract = project.create_external_job("Extract")
    extract.add_output("particle", "particles", slots=["blob", "ctf"])
    project.job("J3").connect("particles", extract.uid, "particles")
    views.patches.clear()
    with extract.run():
        extract.save_output("particles", particles(40, ["blob", "ctf"], seed=0))
    # J3 reads from the job that ran: its count, then its input's status follow.
    assert views.patches
    assert all(uids(patch["jobs"]) == ["J3", extract.uid] for patch in views.patches)
    j3 = views.patches[-1]["jobs"][0]
    assert j3["tags"] == ["40 particles"] and j3["inputs"][0]["status"] == "met"
    assert all(job["uid"] != "J2" for patch in views.patches for job in patch["jobs"])


def test_a_deleted_job_is_removed_and_an_undo_brings_it_back(
    project: Project, views: Views
) -> None:
    project.delete_job("J3")
    assert views.patches[-1]["removed"] == ["J3"] and views.patches[-1]["jobs"] == []
    project.undo()
    assert uids(views.patches[-1]["jobs"]) == ["J3"] and views.patches[-1]["removed"] == []


def test_a_job_with_its_own_spec_sends_it_once_and_again_when_it_changes(
    project: Project, views: Views
) -> None:
    job = project.create_external_job("Mine")
    assert views.patches[-1]["specs"].keys() == {job.uid}
    job.add_output("particle", "picked", slots=["blob"])
    spec = views.patches[-1]["specs"][job.uid]
    assert [output["name"] for output in spec["outputs"]] == ["picked"]
    job.set_title("Still mine")
    assert views.patches[-1]["specs"] == {}


def test_patches_rebuild_the_graph_the_trait_holds_after_any_edits(
    project: Project, widget: JobBuilder, views: Views
) -> None:
    """Every edit kind, undone and redone: the front end's graph, patched, is the trait, and
    the trait is what a full rebuild gives."""
    j2, j3 = project.job("J2"), project.job("J3")
    edits = [
        lambda: j2.connect("particles", "J1", "particles"),
        lambda: j3.connect("particles", "J2", "particles"),
        lambda: j3.connect_result("particles", 0, "blob", "J1", "particles", "blob"),
        lambda: j2.set_title("Refine all"),
        lambda: j2.set_position(300, 40),
        lambda: j3.set_param("refine_symmetry", "D7"),
        lambda: j3.clear_slot("particles", 0, "alignments3D"),
        lambda: project.create_job("nonuniform_refine_new"),
        lambda: project.delete_job("J2", cascade=True),
        project.undo,
        project.undo,
        project.redo,
        lambda: j2.disconnect("particles", 0),
    ]
    for edit in edits:
        before = copy.deepcopy(widget.graph)
        edit()
        assert views.used() == json.loads(json.dumps(widget.graph))
        # The job a cell made is the widget's news of the edit, not part of the project.
        rebuilt = graph_view(project, widget.graph["revision"])
        assert widget.graph == {**rebuilt, "made_in_python": widget.graph["made_in_python"]}
        assert widget.graph != before
    assert len(views.patches) == len(edits)


def test_the_trait_changes_without_being_sent_and_a_new_view_gets_it_whole(
    project: Project, widget: JobBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_states: list[Any] = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: None)
    monkeypatch.setattr(widget, "send_state", lambda key=None: sent_states.append(key))
    project.job("J2").connect("particles", "J1", "particles")
    assert sent_states == []  # the edit went out as a patch only
    assert widget.graph["undo_label"] == "connect J1.particles to J2.particles"
    state = widget.get_state()  # what a new view, or a reload, gets
    assert state["graph"] == graph_view(project, widget.graph["revision"])


def test_a_view_that_lost_track_asks_for_the_whole_graph(
    project: Project, widget: JobBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[View] = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    project.job("J2").set_title("Renamed")
    widget._handle_custom_msg({"id": 5, "type": "graph"}, [])
    reply = sent[-1]
    assert reply["id"] == 5 and reply["ok"] is True
    assert reply["graph"] == widget.graph and reply["graph"]["revision"] == 1


def test_an_edit_in_a_large_project_sends_a_small_patch(tmp_path: Path) -> None:
    """The patch for one connection does not grow with the project (the widget benchmark
    measures it at 2,000 jobs)."""
    sizes = {}
    for count in (10, 120):
        with Project.create(tmp_path / f"P{count}") as project:
            project.import_dataset(particles(50, ["blob", "ctf"], seed=1), "particle", "particles")
            for _ in range(count):
                project.create_job("homo_refine_new").connect("particles", "J1", "particles")
            last = project.create_job("homo_refine_new")
            widget = JobBuilder(project)
            patches: list[View] = []
            widget.send = patches.append  # type: ignore[method-assign,assignment]
            last.connect("particles", "J1", "particles")
            (patch,) = patches
            sizes[count] = len(json.dumps(patch))
            assert len(json.dumps(widget.graph)) > 5 * sizes[count]
            widget.close()
    assert abs(sizes[120] - sizes[10]) <= 8 and sizes[120] < 2_000  # only uids grow: J12, J122


def test_a_job_made_in_a_cell_is_named_for_the_canvas_to_show_and_one_made_on_it_is_not(
    project: Project, widget: JobBuilder
) -> None:
    sent: list[View] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    made = project.create_job("class_2D_new")
    (patch,) = sent
    assert patch["made_in_python"] == made.uid == widget.graph["made_in_python"]
    project.job(made.uid).connect("particles", "J1", "particles")  # no job made
    assert sent[-1]["made_in_python"] == "" == widget.graph["made_in_python"]
    sent.clear()
    command = {"op": "add_job", "type": "homo_refine_new", "x": 900, "y": 0}
    widget._handle_custom_msg({"id": 1, "type": "command", "command": command}, [])
    (patch,) = [content for content in sent if content.get("type") == "graph_patch"]
    assert uids(patch["jobs"]) == ["J5"] and patch["made_in_python"] == ""
