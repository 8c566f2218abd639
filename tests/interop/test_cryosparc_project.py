"""Opening a CryoSPARC project folder: jobs, versions, overrides, problems, never a write."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from cryosparc.dataset import Dataset as ToolsDataset
from cryosparc_fixture import REAL_CS_DIR, REAL_PARTICLES, write_cryosparc_project

from cryoweave import Dataset, open_cryosparc_project
from cryoweave.graph import JobError, Project
from cryoweave.graph.result_groups import read_csg
from cryoweave.interop import export_star


@pytest.fixture
def cs_project(tmp_path: Path) -> Path:
    return write_cryosparc_project(tmp_path / "CS-P12")


def snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under ``root`` with its size, modification time and content hash."""
    return {
        str(path.relative_to(root)): (
            path.stat().st_size,
            path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_jobs_outputs_versions_and_connections_load(cs_project: Path) -> None:
    project = open_cryosparc_project(cs_project)
    assert project.read_only and project.title == "P12 sample"
    assert [job.uid for job in project.jobs] == ["J24", "J25", "J26", "J27"]
    assert all(project.is_external(job.uid) for job in project.jobs)
    j25 = project.state("J25")
    assert j25.type_title == "2D Classification" and j25.status == "completed"
    results = {r.name: (r.versions, r.passthrough) for r in j25.output("particles").results}
    assert results == {
        "alignments2D": ([0, 1, 2], False),
        "blob": ([0], True),
        "ctf": ([0], True),
        "alignments3D": ([0], True),
    }
    assert project.state("J25").position == (320.0, 480.0)  # tile (1, 2)
    connection = project.state("J26").input("particles").connections[0]
    blob = connection.slot("blob")
    assert blob is not None and connection.is_override(blob)
    assert not connection.is_override(connection.slot("ctf"))


def test_problems_name_each_damaged_file_and_the_rest_loads(cs_project: Path) -> None:
    project = open_cryosparc_project(cs_project)
    problems = "\n".join(project.problems)
    assert len(project.problems) == 3, problems
    assert f"{cs_project / 'J27' / 'J27_particles.cs'}: missing" in problems
    assert f"{cs_project / 'J28' / 'job.json'}: not valid JSON" in problems
    assert f"{cs_project / 'J29' / 'job.json'}: missing" in problems
    with pytest.raises(JobError, match="J27_particles.cs"):
        project.job("J27").load_output("particles")


def test_outputs_and_inputs_read_the_cryosparc_files(cs_project: Path) -> None:
    project = open_cryosparc_project(cs_project)
    real = ToolsDataset.load(REAL_CS_DIR / REAL_PARTICLES)
    refined = project.job("J24").load_output("particles")
    assert len(refined) == len(real) == 2019
    for name in real.fields():
        if refined[name].dtype.kind == "S":
            assert list(real[name]) == [v.decode() for v in refined[name]]
        else:
            np.testing.assert_array_equal(refined[name], real[name])
    first = project.job("J25").load_output("particles", 0)
    final = project.job("J25").load_output("particles")
    assert not np.array_equal(first["alignments2D/class"], final["alignments2D/class"])
    # J26's input as CryoSPARC would run it: blob from J24, alignments2D at version 1.
    resolution = project.job("J26").resolve("particles")
    resolved = resolution.dataset
    version1 = ToolsDataset.load(cs_project / "J25" / "J25_001_particles.cs")
    np.testing.assert_array_equal(resolved["alignments2D/class"], version1["alignments2D/class"])
    assert resolution.provenance["blob/path"][0].job_uid == "J24"


def test_read_only_project_refuses_edits(cs_project: Path) -> None:
    project = open_cryosparc_project(cs_project)
    with pytest.raises(JobError, match="read-only"):
        project.create_job("homo_refine_new")


def test_workspace_builds_on_cryosparc_jobs_and_writes_nothing_there(
    cs_project: Path, tmp_path: Path
) -> None:
    before = snapshot(cs_project)
    work = tmp_path / "work"
    with open_cryosparc_project(cs_project, workspace=work) as project:
        refine = project.create_job("homo_refine_new")
        assert refine.uid == "J30"  # after CryoSPARC's last job
        refine.connect("particles", "J25", "particles")
        refine.connect_result("particles", 0, "alignments3D", "J24", "particles", "alignments3D")
        resolution = refine.resolve("particles")
        particles = resolution.dataset
        assert len(particles) == 2019
        assert resolution.provenance["alignments3D/pose"][0].job_uid == "J24"
        # everything a scientist takes away
        csg = refine.export_input("particles", tmp_path / "export")
        assert read_csg(csg).results
        export_star(refine, "particles", tmp_path / "export" / "particles.star")
        project.job("J24").export_output("particles", tmp_path / "export24")
        # CryoSPARC's jobs only move on the canvas
        project.job("J25").set_position(40, 50)
        with pytest.raises(JobError, match="J25 belongs to the CryoSPARC project"):
            project.job("J25").set_title("mine now")
        with pytest.raises(JobError, match="J26 belongs to the CryoSPARC project"):
            project.job("J26").connect("particles", "J24", "particles")
        project.undo()
        project.job("J25").set_position(70, 80)
    assert snapshot(cs_project) == before
    assert sorted(p.name for p in work.iterdir()) == [
        ".cryoweave.lock",
        "J30",
        "cryoweave_project.json",
    ]
    with open_cryosparc_project(cs_project, workspace=work) as again:
        assert again.state("J25").position == (70.0, 80.0)
        assert again.state("J30").input("particles").connections[0].job_uid == "J25"
        assert again.is_external("J25") and not again.is_external("J30")
        assert len(again.problems) == 3
    assert snapshot(cs_project) == before


def test_refusals_for_wrong_folders(cs_project: Path, tmp_path: Path) -> None:
    with pytest.raises(JobError, match="no such CryoSPARC project folder"):
        open_cryosparc_project(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(JobError, match="is not a CryoSPARC project folder"):
        open_cryosparc_project(tmp_path / "empty")
    with pytest.raises(JobError, match="inside the CryoSPARC project"):
        open_cryosparc_project(cs_project, workspace=cs_project / "work")
    Project.create(tmp_path / "plain").close()
    with pytest.raises(JobError, match="belongs to no CryoSPARC project"):
        open_cryosparc_project(cs_project, workspace=tmp_path / "plain")


def test_a_cryosparc_job_with_a_cryoweave_uid_is_reported(cs_project: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    open_cryosparc_project(cs_project, workspace=work).create_job("class_2D_new")  # J30
    work_project = json.loads((work / "cryoweave_project.json").read_text())
    assert work_project["cryosparc_project"] == str(cs_project.resolve())
    # CryoSPARC later makes its own J30
    (cs_project / "J30").mkdir()
    doc = json.loads((cs_project / "J24" / "job.json").read_text())
    (cs_project / "J30" / "job.json").write_text(json.dumps({**doc, "uid": "J30"}))
    with open_cryosparc_project(cs_project, workspace=work) as project:
        assert project.state("J30").type == "class_2D_new"
        assert any("J30 is also a cryoweave job" in p for p in project.problems)


def test_metafiles_of_exported_layout_are_found(cs_project: Path) -> None:
    """Paths written with CryoSPARC's '>' prefix resolve against the project folder."""
    doc = json.loads((cs_project / "J24" / "job.json").read_text())
    for result in doc["output_results"]:
        result["metafiles"] = [">" + m for m in result["metafiles"]]
    (cs_project / "J24" / "job.json").write_text(json.dumps(doc))
    project = open_cryosparc_project(cs_project)
    assert len(project.job("J24").load_output("particles")) == 2019
    assert isinstance(project.job("J24").load_output("particles"), Dataset)
