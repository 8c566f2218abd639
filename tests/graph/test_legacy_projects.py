"""Projects saved by cryoweave 0.1: v4-shaped ``J<n>/job.json`` documents with cryoweave's own
keys (``type_title``, ``section``, ``ui_position``) and a project document of format 1.

The folder is written here exactly as 0.1 wrote it (``JobState.to_doc`` and
``storage.write_json`` at commit 4376cb4). Read-only, it opens untouched; for writing, every
job becomes a CryoSPARC v5 document and the positions move into the project document.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryosparc.models.job import Job as ToolsJob

from cryoweave import open_cryosparc_project
from cryoweave.demo import tutorial_project
from cryoweave.graph import (
    InputSpec,
    JobSpec,
    OutputSpec,
    Project,
    ResultSpec,
    SlotSpec,
)
from cryoweave.graph.documents import read_job
from cryoweave.graph.model import JobState, OutputResult

sys.path.insert(0, str(Path(__file__).parents[1] / "interop"))
from cryosparc_fixture import write_cryosparc_project

# A job type of one's own, as 0.1 allowed (its title and section lived in each document).
REFINE = JobSpec(
    "refine_like",
    "My refinement",
    "My tools",
    "Takes particles and a volume",
    inputs=(
        InputSpec(
            "particles",
            "particle",
            "Particles",
            (
                SlotSpec("blob", "particle.blob"),
                SlotSpec("ctf", "particle.ctf"),
                SlotSpec("alignments3D", "particle.alignments3D", required=False),
            ),
        ),
        InputSpec("volume", "volume", "Volume", (SlotSpec("map", "volume.blob"),), 1, 1),
    ),
    outputs=(
        OutputSpec(
            "particles",
            "particle",
            "Particles",
            (ResultSpec("alignments3D", "particle.alignments3D"),),
            passthrough="particles",
        ),
    ),
)


def legacy_document(state: JobState) -> dict[str, Any]:
    """``JobState.to_doc()`` of cryoweave 0.1, key for key."""
    uid = state.uid
    return {
        "uid": uid,
        "type": state.type,
        "type_title": state.type_title,
        "section": state.section,
        "title": state.title,
        "status": state.status,
        "ui_position": {"x": state.position[0], "y": state.position[1]},
        "input_slot_groups": [
            {
                "type": g.spec.type,
                "name": g.spec.name,
                "title": g.spec.title,
                "description": g.spec.description,
                "count_min": g.spec.count_min,
                "count_max": g.spec.count_max,
                "repeat_allowed": g.spec.repeat_allowed,
                "slots": [
                    {
                        "type": slot.type,
                        "name": slot.name,
                        "title": slot.title,
                        "description": "",
                        "optional": not slot.required,
                    }
                    for slot in g.spec.slots
                ],
                "connections": [
                    {
                        "job_uid": c.job_uid,
                        "group_name": c.group_name,
                        "slots": [
                            {
                                "slot_name": e.slot_name,
                                "job_uid": e.job_uid,
                                "group_name": e.group_name,
                                "result_name": e.result_name,
                                "result_type": e.result_type,
                                "version": e.version,
                            }
                            for e in c.slots
                        ],
                    }
                    for c in g.connections
                ],
            }
            for g in state.inputs
        ],
        "output_result_groups": [
            {
                "uid": f"{uid}-G{i + 1}",
                "type": g.spec.type,
                "name": g.spec.name,
                "title": g.spec.title,
                "description": "",
                "contains": [
                    {
                        "uid": f"{uid}-{g.spec.name}-{r.name}",
                        "type": r.type,
                        "name": r.name,
                        "group_name": g.spec.name,
                        "passthrough": r.passthrough,
                    }
                    for r in g.results
                ],
                "passthrough": g.spec.passthrough or False,
                "num_items": g.num_items,
                "summary": {},
            }
            for i, g in enumerate(state.outputs)
        ],
        "output_results": [
            {
                "uid": f"{uid}-{r.group_name}-{r.name}",
                "type": r.type,
                "name": r.name,
                "group_name": r.group_name,
                "title": r.name,
                "description": "",
                "versions": r.versions,
                "metafiles": r.metafiles,
                "min_fields": [],
                "num_items": r.num_items,  # 0.1 kept one count, the final version's
                "passthrough": r.passthrough,
            }
            for g in state.outputs
            for r in g.results
        ],
    }


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """``storage.write_json`` of 0.1."""
    path.write_bytes(json.dumps(doc, indent=1).encode())


@pytest.fixture
def legacy(tmp_path: Path) -> tuple[Path, dict[str, JobState]]:
    """A 0.1 project: the demo chain, J13 a refinement being built with an overridden slot,
    J14 a job of one's own type, J15 an external job; each drawn somewhere of its own."""
    root = tmp_path / "P-0.1"
    with tutorial_project(root, n_particles=200) as project:
        refine = project.create_job("homo_refine_new", "refine selected")
        refine.connect("particles", "J8", "particles_selected")
        refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
        refine.connect_result("particles", 0, "ctf", "J7", "particles", "ctf", 1)
        refine.connect("volume", "J9", "volume_class_0")
        mine = project.add_job(REFINE)
        mine.connect("particles", "J10", "particles")
        mine.connect("volume", "J10", "volume")
        external = project.create_external_job("Sort by defocus")
        external.add_input("particle", "particles", 1, 1, slots=["ctf"])
        external.add_output("particle", "sorted", slots=["ctf"], passthrough="particles")
        external.connect("particles", "J12", "particles")
        states = {
            uid: replace(state.clone(), position=(100.0 * n, 7.5 * n))
            for n, (uid, state) in enumerate(project.states.items())
        }
    created = json.loads((root / "cryoweave_project.json").read_text())["created_at"]
    for uid, state in states.items():
        write_json(root / uid / "job.json", legacy_document(state))
    write_json(
        root / "cryoweave_project.json",
        {"format": 1, "title": "T20S (0.1)", "created_at": created, "next_job": 16},
    )
    return root, states


def snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    return {
        str(path.relative_to(root)): (
            path.stat().st_size,
            path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def shapes(root: Path) -> dict[str, str]:
    return {
        path.parent.name: read_job(path.read_bytes(), path.parent.name)[1]
        for path in root.glob("J*/job.json")
    }


def assert_same_jobs(project: Project, states: dict[str, JobState]) -> None:
    assert list(project.states) == list(states)
    for uid, expected in states.items():
        state = project.state(uid)
        assert state.inputs == expected.inputs, uid
        assert state.outputs == expected.outputs, uid
        assert state.position == expected.position, uid
        assert (state.type, state.title, state.status) == (
            expected.type,
            expected.title,
            expected.status,
        )


def test_the_legacy_folder_is_what_0_1_wrote(legacy: tuple[Path, dict[str, JobState]]) -> None:
    root, states = legacy
    assert set(shapes(root).values()) == {"v4"}
    doc = json.loads((root / "J14" / "job.json").read_text())
    assert (doc["type_title"], doc["section"]) == ("My refinement", "My tools")
    assert doc["ui_position"] == {"x": 1300.0, "y": 97.5}
    assert "spec" not in doc and "description" not in doc and "params_spec" not in doc
    assert json.loads((root / "cryoweave_project.json").read_text())["format"] == 1
    assert len(states) == 15


def test_read_only_it_opens_unchanged(legacy: tuple[Path, dict[str, JobState]]) -> None:
    root, states = legacy
    before = snapshot(root)
    with Project.open(root, read_only=True) as project:
        assert_same_jobs(project, states)
        for uid, expected in states.items():
            assert project.state(uid) == expected, uid
        assert len(project.job("J7").load_output("particles", 1)) == 200
        resolved = project.job("J13").resolve("particles")
        assert resolved.provenance["blob/path"][0].job_uid == "J5"
        assert resolved.provenance["ctf/exp_group_id"][0].version == 1
    assert snapshot(root) == before
    assert set(shapes(root).values()) == {"v4"}


def test_for_writing_every_job_becomes_a_v5_document(
    legacy: tuple[Path, dict[str, JobState]],
) -> None:
    root, states = legacy
    with Project.open(root) as project:
        assert_same_jobs(project, states)
        assert project.history == [] and project.undo() is None  # the upgrade is no edit
    assert set(shapes(root)) == set(states) and set(shapes(root).values()) == {"v5"}
    for uid in states:
        job = ToolsJob.model_validate_json((root / uid / "job.json").read_bytes())
        assert (job.uid, job.project_uid, job.spec.type) == (uid, "P1", states[uid].type)
        assert "ui_position" not in json.loads((root / uid / "job.json").read_text())
    doc = json.loads((root / "cryoweave_project.json").read_text())
    assert doc["format"] == 2 and doc["next_job"] == 16
    assert doc["positions"] == {uid: list(s.position) for uid, s in states.items()}
    with Project.open(root, read_only=True) as again:
        assert_same_jobs(again, states)
        assert (
            len(again.job("J13").resolve_input("particles"))
            == states["J8"].output("particles_selected").num_items
        )


def test_after_the_upgrade_edits_undo_and_redo_work(
    legacy: tuple[Path, dict[str, JobState]],
) -> None:
    root, states = legacy
    with Project.open(root) as project:
        refine = project.job("J13")
        refine.connect_result("particles", 0, "alignments3D", "J10", "particles", "alignments3D")
        refine.set_param("refine_symmetry", "D7")
        refine.set_position(5, 6)
        added = project.create_job("local_resolution")
        assert added.uid == "J16"
        added.connect("volume", "J12", "volume")
        project.job("J14").set_title("mine, renamed")
        assert project.undo() is not None
        assert project.state("J14").title == states["J14"].title
        assert project.undo() is not None and project.undo() is not None
        assert list(project.states) == list(states)
        assert project.redo() is not None
        assert project.state("J16").input("volume").connections == []
        assert project.redo() is not None and project.redo() is not None
        assert project.state("J16").input("volume").connections[0].job_uid == "J12"
        assert project.state("J14").title == "mine, renamed"
    for path in root.glob("J*/job.json"):
        ToolsJob.model_validate_json(path.read_bytes())
    with Project.open(root, read_only=True) as again:
        j13 = again.state("J13")
        assert j13.position == (5.0, 6.0) and j13.params == {"refine_symmetry": "D7"}
        assert j13.input("particles").connections[0].slot("alignments3D").job_uid == "J10"
        assert again.state("J14").title == "mine, renamed"
        assert list(again.states) == [*states, "J16"]
        unchanged = {uid: s for uid, s in states.items() if uid not in ("J13", "J14")}
        for uid, expected in unchanged.items():
            assert again.state(uid).outputs == expected.outputs, uid


def test_a_job_type_of_ones_own_keeps_its_title_and_section(
    legacy: tuple[Path, dict[str, JobState]],
) -> None:
    """0.1 kept them in each document; v5 documents have no place for them."""
    root, _ = legacy
    with Project.open(root, read_only=True) as project:
        mine = project.state("J14")
        assert (mine.type_title, mine.section) == ("My refinement", "My tools")
    with Project.open(root) as project:
        mine = project.state("J14")
        assert (mine.type_title, mine.section) == ("My refinement", "My tools")
    with Project.open(root, read_only=True) as again:
        mine = again.state("J14")
        assert (mine.type_title, mine.section) == ("My refinement", "My tools")


# -- a 0.1 workspace on a CryoSPARC project ------------------------------------------------------

J24_FILE = "J24/cryosparc_P12_J24_001_particles.cs"


@pytest.fixture
def legacy_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """A 0.1 workspace on the interop fixture's CryoSPARC 4 project: J30, an external job of
    its own, completed, its output passing J24's alignments3D through. 0.1 kept CryoSPARC's
    metafiles as absolute paths, and the positions of CryoSPARC's jobs in the project
    document."""
    cs_root = write_cryosparc_project(tmp_path / "CS-P12").resolve()
    work = tmp_path / "work"
    with open_cryosparc_project(cs_root, workspace=work) as project:
        job = project.create_external_job("Sort")
        job.add_input("particle", "particles", 1, 1, slots=["blob"])
        job.add_output("particle", "particles", slots=["ctf"], passthrough="particles")
        job.connect("particles", "J24", "particles")
        with job.run():
            job.save_output("particles", job.resolve_input("particles"))
        state = project.state(job.uid).clone()
        created = json.loads((work / "cryoweave_project.json").read_text())["created_at"]
    assert state.uid == "J30"
    passed = OutputResult(
        "alignments3D",
        "particle.alignments3D",
        "particles",
        [0],
        [str(cs_root / J24_FILE)],
        [2019],
        passthrough=True,
    )
    state.output("particles").results.append(passed)
    state.position = (640.0, 80.0)
    write_json(work / "J30" / "job.json", legacy_document(state))
    write_json(
        work / "cryoweave_project.json",
        {
            "format": 1,
            "title": "work",
            "created_at": created,
            "next_job": 31,
            "cryosparc_project": str(cs_root),
            "positions": {"J24": [10.0, 20.0]},
        },
    )
    return cs_root, work


def test_a_workspace_upgrade_makes_cryosparc_paths_relative_and_writes_only_itself(
    legacy_workspace: tuple[Path, Path],
) -> None:
    cs_root, work = legacy_workspace
    before = snapshot(cs_root)
    with Project.open(work) as project:
        (passed,) = [r for r in project.state("J30").output("particles").results if r.passthrough]
        assert passed.metafiles == [J24_FILE]
        particles = project.job("J30").load_output("particles")
        assert len(particles) == 2019 and "alignments3D/pose" in particles.fields()
        assert project.state("J24").position == (10.0, 20.0)
        assert project.state("J30").position == (640.0, 80.0)
    assert snapshot(cs_root) == before
    doc = ToolsJob.model_validate_json((work / "J30" / "job.json").read_bytes())
    results = doc.spec.outputs.root["particles"].results
    assert [r.metafiles for r in results if r.passthrough] == [[J24_FILE]]


def test_a_workspace_of_0_1_reads_its_outputs_read_only(
    legacy_workspace: tuple[Path, Path],
) -> None:
    _, work = legacy_workspace
    with Project.open(work, read_only=True) as project:
        assert len(project.job("J30").load_output("particles")) == 2019
