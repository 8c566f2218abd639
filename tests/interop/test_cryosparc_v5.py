"""CryoSPARC 5 project folders: v5 job documents, folders mixing v4 and v5 documents, crafted
paths that point outside the folder, damaged documents, and never a write into the folder."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from cryoweave import Dataset, open_cryosparc_project
from cryoweave.demo import cryosparc_tutorial_project
from cryoweave.graph import JobError, Project
from cryoweave.graph.documents import read_job, v5_bytes
from cryoweave.graph.model import JobState
from cryoweave.widget import JobBuilder

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
sys.path.insert(0, str(Path(__file__).parents[1] / "graph"))
sys.path.insert(0, str(Path(__file__).parents[1] / "widget"))
from test_documents import v4_document
from test_job_builder import Driver
from waiting import finishes

N_PARTICLES = 1000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo chain as CryoSPARC 5 keeps it, made once; each test works on a copy."""
    return cryosparc_tutorial_project(
        tmp_path_factory.mktemp("template") / "CS-T20S", n_particles=N_PARTICLES
    )


@pytest.fixture
def cs_root(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "CS-T20S"
    shutil.copytree(template, root)
    return root


def snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and folder under ``root`` with its size, modification time and content hash
    (folders: their entry count), so that a file made and removed again shows too."""
    return {
        str(path.relative_to(root)): (
            (path.stat().st_size, path.stat().st_mtime_ns, "folder")
            if path.is_dir()
            else (
                path.stat().st_size,
                path.stat().st_mtime_ns,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
        )
        for path in sorted([root, *root.rglob("*")])
    }


def document(root: Path, uid: str) -> JobState:
    state, _ = read_job((root / uid / "job.json").read_bytes(), uid)
    return state


def write_v4(root: Path, uid: str, state: JobState | None = None) -> None:
    """Rewrite a job's document in CryoSPARC 4's shape, as an upgraded project keeps it."""
    doc = v4_document(state or document(root, uid))
    del doc["ui_layouts"]  # where CryoSPARC 4 drew it is beside the point here
    (root / uid / "job.json").write_text(json.dumps(doc, indent=2))


def resolve_every_input(project: Project) -> dict[str, int]:
    return {
        f"{job.uid}.{group.spec.name}": len(job.resolve_input(group.spec.name))
        for job in project.jobs
        for group in job.state.inputs
        if group.connections
    }


# -- v5 and mixed folders --------------------------------------------------------------------------


def test_a_v5_folder_opens_with_every_job_and_its_inputs_resolve(cs_root: Path) -> None:
    with open_cryosparc_project(cs_root) as project:
        assert project.read_only and project.problems == []
        assert [job.uid for job in project.jobs] == [f"J{n}" for n in range(1, 13)]
        assert all(project.is_external(job.uid) for job in project.jobs)
        assert {job.status for job in project.jobs} == {"completed"}
        j7 = project.state("J7").output("particles").result("alignments2D")
        assert j7.versions == [0, 1, 2, 3] and j7.item_counts == [N_PARTICLES] * 4
        sizes = resolve_every_input(project)
        assert sizes["J6.particles"] == N_PARTICLES
        assert sizes["J10.volume"] == 1
        assert (
            sizes["J9.particles"]
            == sizes["J10.particles"]
            == project.state("J8").output("particles_selected").num_items
        )


def test_a_mixed_folder_opens_the_same_jobs(cs_root: Path, template: Path) -> None:
    for uid in ("J2", "J5", "J7", "J8", "J10"):
        write_v4(cs_root, uid)
    shapes = {
        uid: read_job((cs_root / uid / "job.json").read_bytes(), uid)[1]
        for uid in ("J1", "J2", "J7", "J12")
    }
    assert shapes == {"J1": "v5", "J2": "v4", "J7": "v4", "J12": "v5"}
    with (
        open_cryosparc_project(template) as v5_only,
        open_cryosparc_project(cs_root) as mixed,
    ):
        assert mixed.problems == []
        assert list(mixed.states) == list(v5_only.states)
        for uid, state in mixed.states.items():
            expected = v5_only.state(uid)
            assert state.inputs == expected.inputs, uid
            assert state.outputs == expected.outputs, uid
            assert (state.title, state.status, state.params) == (
                expected.title,
                expected.status,
                expected.params,
            )
        assert resolve_every_input(mixed) == resolve_every_input(v5_only)


def test_a_v4_document_with_per_version_num_items_lists_opens(cs_root: Path) -> None:
    """CryoSPARC 4 types ``num_items`` an int, yet writes one count per version: such a
    document once made the whole job unreadable."""
    write_v4(cs_root, "J7")
    doc = json.loads((cs_root / "J7" / "job.json").read_text())
    counts = {r["name"]: r["num_items"] for r in doc["output_results"]}
    assert counts["alignments2D"] == [N_PARTICLES] * 4 and counts["location"] == [N_PARTICLES]
    with open_cryosparc_project(cs_root) as project:
        assert project.problems == []
        result = project.state("J7").output("particles").result("alignments2D")
        assert result.item_counts == [N_PARTICLES] * 4
        version1 = project.job("J7").load_output("particles", 1)
        on_disk = Dataset.load(cs_root / "J7" / "J7_particles_v1.cs")
        np.testing.assert_array_equal(version1["alignments2D/class"], on_disk["alignments2D/class"])
        assert len(project.job("J8").resolve_input("particles")) == N_PARTICLES


# -- paths that leave the folder -----------------------------------------------------------------

CRAFTED = ["../../../../etc/passwd", "/etc/passwd", "J3/../../outside.cs", ">../x.cs"]


@pytest.fixture
def crafted(cs_root: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    """J6's ``particles.blob`` names a crafted path; where that path leads outside the folder,
    a readable ``.cs`` file lies in wait (J6's own blob file, so reading it would succeed)."""
    metafile, shape = request.param
    own = cs_root / "J6" / "J6_particles_v0.cs"
    for bait in (cs_root.parent / "outside.cs", cs_root.parent / "x.cs"):
        shutil.copyfile(own, bait)
    state = document(cs_root, "J6")
    state.output("particles").result("blob").metafiles = [metafile]
    if shape == "v4":
        write_v4(cs_root, "J6", state)
    else:
        (cs_root / "J6" / "job.json").write_bytes(v5_bytes(state, "P1"))
    return cs_root, metafile


@pytest.mark.parametrize(
    "crafted",
    [pytest.param((m, s), id=f"{s}:{m}") for m in CRAFTED for s in ("v5", "v4")],
    indirect=True,
)
def test_a_path_outside_the_folder_is_one_problem_and_is_never_read(
    crafted: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, metafile = crafted
    with open_cryosparc_project(root) as project:
        (line,) = project.problems
        assert line.startswith(f"{root / 'J6' / 'job.json'}: output J6.particles.blob names ")
        assert repr(metafile) in line
        assert "leaves the project folder" in line or "absolute" in line
        with pytest.raises(JobError, match=r"J6.particles.blob cannot be read: .* is not read"):
            project.job("J6").load_output("particles")
        with pytest.raises(JobError, match=r"J6.particles.blob cannot be read"):
            project.job("J7").resolve_input("particles")
        with pytest.raises(JobError, match="is not read"):
            project.locate(metafile)
        # the rest of J6's output and of the chain is read as usual
        assert len(project.job("J6").load_output("particles", slots=["ctf"])) == N_PARTICLES
        assert len(project.job("J8").resolve_input("particles")) == N_PARTICLES

        builder = JobBuilder(project)
        fe = Driver(builder, monkeypatch)
        error = fe.refused(
            "download", job="J6", output="particles", result="blob", version="F", offset=0
        )
        assert error.startswith("cannot read J6.particles.blob: ") and repr(metafile) in error
        reply, (data,) = fe.request(
            "download", job="J7", output="particles", result="blob", version=2, offset=0
        )
        assert reply["ok"] and reply["filename"] == "J7_particles_v2.cs"
        assert bytes(data) == (root / "J7" / "J7_particles_v2.cs").read_bytes()
        builder.close()


@pytest.mark.parametrize("metafile", ["J6", "."])
def test_a_metafile_naming_a_folder_is_missing_and_refused_cleanly(
    cs_root: Path, metafile: str
) -> None:
    state = document(cs_root, "J6")
    state.output("particles").result("blob").metafiles = [metafile]
    (cs_root / "J6" / "job.json").write_bytes(v5_bytes(state, "P1"))
    with open_cryosparc_project(cs_root) as project:
        (line,) = project.problems
        assert "missing; output J6.particles.blob cannot be read" in line
        with pytest.raises(JobError, match=r"J6\.particles: .* cannot be read \("):
            project.job("J6").load_output("particles")


# -- damaged documents -----------------------------------------------------------------------------


def test_damaged_documents_are_problem_lines_naming_the_file_and_the_rest_loads(
    cs_root: Path,
) -> None:
    j3 = cs_root / "J3" / "job.json"
    j3.write_bytes(j3.read_bytes()[:300])  # cut short while being written
    j4 = cs_root / "J4" / "job.json"
    doc = json.loads(j4.read_text())
    del doc["spec"]
    j4.write_text(json.dumps(doc))
    j11 = cs_root / "J11" / "job.json"
    doc = json.loads(j11.read_text())
    doc["uid"] = "J12"  # a copy of another job's document
    j11.write_text(json.dumps(doc))

    with open_cryosparc_project(cs_root) as project:
        assert [job.uid for job in project.jobs] == [
            "J1",
            "J2",
            *(f"J{n}" for n in range(5, 11)),
            "J12",
        ]
        damaged = {
            j3: "not valid JSON",
            j4: "not a CryoSPARC v5 job document (spec: Field required",
            j11: "its uid 'J12' is not its folder's name 'J11'",
        }
        for path, message in damaged.items():
            (line,) = [p for p in project.problems if p.startswith(f"{path}: ")]
            assert message in line and line.endswith("job not shown"), line
        # the jobs that read from a job not shown say so; nothing else is a problem
        others = [p for p in project.problems if not p.startswith(tuple(map(str, damaged)))]
        assert others == [
            f"{cs_root / 'J5' / 'job.json'}: input {name} reads from J4, which could not be loaded"
            for name in ("micrographs", "particles")
        ]
        assert len(project.job("J2").resolve_input("movies")) == 4
        assert len(project.job("J7").resolve_input("particles")) == N_PARTICLES
        assert (
            len(project.job("J12").load_output("particles"))
            == project.state("J12").output("particles").num_items
        )


# -- nothing written -------------------------------------------------------------------------------


def test_opening_writes_nothing_in_the_folder(
    cs_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_v4(cs_root, "J7")  # a mixed folder, where an upgrade would be tempting
    before = snapshot(cs_root)
    with open_cryosparc_project(cs_root) as project:
        resolve_every_input(project)
        project.job("J7").load_output("particles", 1)
        builder = JobBuilder(project)
        fe = Driver(builder, monkeypatch)
        fe.ok("download", job="J7", output="particles", result="blob", version=1, offset=0)
        builder.close()
    assert snapshot(cs_root) == before


def test_a_workspace_writes_nothing_in_the_folder(cs_root: Path, tmp_path: Path) -> None:
    write_v4(cs_root, "J8")
    before = snapshot(cs_root)
    work = tmp_path / "work"
    with open_cryosparc_project(cs_root, workspace=work) as project:
        assert project.problems == []
        refine = project.create_job("homo_refine_new")
        assert refine.uid == "J13"  # after CryoSPARC's last job
        refine.connect("particles", "J8", "particles_selected")
        refine.connect("volume", "J9", "volume_class_0")
        refine.connect_result("particles", 0, "blob", "J7", "particles", "blob", 2)
        refine.set_param("refine_symmetry", "D7")
        assert (
            len(refine.resolve_input("particles"))
            == project.state("J8").output("particles_selected").num_items
        )
        project.job("J8").set_position(10, 20)
        project.undo()
        project.redo()
        with pytest.raises(JobError, match="J8 belongs to the CryoSPARC project"):
            project.job("J8").set_title("mine")
    with open_cryosparc_project(cs_root, workspace=work) as again:
        assert again.state("J8").position == (10.0, 20.0)
        connection = again.state("J13").input("particles").connections[0]
        assert connection.slot("blob").version == 2
        assert not again.is_external("J13") and again.is_external("J8")
    assert snapshot(cs_root) == before
    assert (work / "J13" / "job.json").is_file()


# -- links and files that are not regular files ----------------------------------------------------


def test_a_job_document_that_is_a_named_pipe_is_a_problem_line_never_a_hang(
    cs_root: Path,
) -> None:
    pipe = cs_root / "J3" / "job.json"
    pipe.unlink()
    os.mkfifo(pipe)
    with finishes(lambda: open_cryosparc_project(cs_root), unblock=pipe) as project:
        assert f"{pipe}: is a named pipe, not a regular file; job not shown" in project.problems
        assert "J3" not in project.states and len(project.jobs) == 11


def test_a_job_document_that_is_a_folder_or_a_device_is_a_problem_line(cs_root: Path) -> None:
    folder = cs_root / "J3" / "job.json"
    folder.unlink()
    folder.mkdir()
    device = cs_root / "J4" / "job.json"
    device.unlink()
    device.symlink_to("/dev/zero")  # read whole, it would end in MemoryError
    with open_cryosparc_project(cs_root) as project:
        assert f"{folder}: is a folder, not a regular file; job not shown" in project.problems
        assert (
            f"{device}: a symbolic link to /dev/zero, outside the project folder; job not shown"
            in project.problems
        )
        assert "J3" not in project.states and "J4" not in project.states


def test_a_project_document_that_is_a_named_pipe_is_refused_never_a_hang(cs_root: Path) -> None:
    pipe = cs_root / "project.json"
    pipe.unlink()
    os.mkfifo(pipe)
    with pytest.raises(JobError, match=f"{pipe}: is a named pipe, not a regular file"):
        finishes(lambda: open_cryosparc_project(cs_root), unblock=pipe)


def test_a_project_document_linked_outside_or_a_loop_of_links_is_refused(
    cs_root: Path, tmp_path: Path
) -> None:
    linked = cs_root / "project.json"
    linked.rename(tmp_path / "project.json")
    linked.symlink_to(tmp_path / "project.json")
    with pytest.raises(JobError, match=f"{linked}: a symbolic link to .*, outside the project"):
        open_cryosparc_project(cs_root)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(JobError, match="no such CryoSPARC project folder .*loop"):
        open_cryosparc_project(loop)
    with pytest.raises(JobError, match="no such workspace .*loop"):
        open_cryosparc_project(cs_root, workspace=loop)


def test_links_that_stay_inside_the_folder_are_followed(cs_root: Path, tmp_path: Path) -> None:
    """As CryoSPARC projects use them: a job folder moved aside and linked back, a metafile
    linked to another job's, the whole project reached through a link."""
    (cs_root / "moved").mkdir()
    (cs_root / "J7").rename(cs_root / "moved" / "J7")
    (cs_root / "J7").symlink_to(Path("moved") / "J7")
    metafile = cs_root / "J6" / "J6_particles_v0.cs"
    metafile.rename(cs_root / "J5" / "J6_particles_kept.cs")
    metafile.symlink_to(Path("..") / "J5" / "J6_particles_kept.cs")
    (tmp_path / "via").symlink_to(cs_root)
    for root in (cs_root, tmp_path / "via"):
        with open_cryosparc_project(root) as project:
            assert project.problems == []
            assert len(project.jobs) == 12
            assert len(project.job("J6").load_output("particles")) == N_PARTICLES
            assert len(project.job("J7").load_output("particles", 2)) == N_PARTICLES


def test_links_that_leave_the_folder_are_problem_lines_and_never_followed(
    cs_root: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # a metafile linked to a readable .cs file outside
    metafile = cs_root / "J6" / "J6_particles_v0.cs"
    metafile.rename(elsewhere / "J6_particles_v0.cs")
    metafile.symlink_to(elsewhere / "J6_particles_v0.cs")
    # a whole job folder linked outside
    (cs_root / "J11").rename(elsewhere / "J11")
    (cs_root / "J11").symlink_to(elsewhere / "J11")
    # a metafile in a folder on the way that is linked outside
    (elsewhere / "volumes").mkdir()
    shutil.copyfile(cs_root / "J9" / "J9_volume_class_0_v0.cs", elsewhere / "volumes" / "v.cs")
    (cs_root / "J9" / "volumes").symlink_to(elsewhere / "volumes")
    state = document(cs_root, "J9")
    state.output("volume_class_0").result("map").metafiles = ["J9/volumes/v.cs"]
    (cs_root / "J9" / "job.json").write_bytes(v5_bytes(state, "P1"))

    with open_cryosparc_project(cs_root) as project:
        assert project.problems == [
            f"{cs_root / 'J6' / 'job.json'}: output J6.particles.blob names "
            f"'J6/J6_particles_v0.cs': it is a symbolic link to {elsewhere / 'J6_particles_v0.cs'}"
            ", outside the project folder; the result cannot be read or downloaded",
            f"{cs_root / 'J9' / 'job.json'}: output J9.volume_class_0.map names "
            f"'J9/volumes/v.cs': {cs_root / 'J9' / 'volumes'} is a symbolic link to "
            f"{elsewhere / 'volumes'}, outside the project folder; the result cannot be read "
            "or downloaded",
            f"{cs_root / 'J11'}: a symbolic link to {elsewhere / 'J11'}, outside the project "
            "folder; job not shown",
        ]
        with pytest.raises(JobError, match="J6.particles.blob cannot be read"):
            project.job("J6").load_output("particles")


def test_a_link_that_leads_nowhere_is_a_missing_metafile(cs_root: Path) -> None:
    metafile = cs_root / "J6" / "J6_particles_v0.cs"
    metafile.unlink()
    metafile.symlink_to("J6_gone.cs")
    with open_cryosparc_project(cs_root) as project:
        assert project.problems == [f"{metafile}: missing; output J6.particles.blob cannot be read"]


def test_problem_lines_are_made_in_linear_time_each_once_in_order(cs_root: Path) -> None:
    """100,000 missing metafiles in one document: one line each, in the document's order, a
    repeated one once. (Each line was looked up in the list of lines before: minutes here.)"""
    n = 100_000
    state = document(cs_root, "J7")
    result = state.output("particles").result("alignments2D")
    result.versions = list(range(n + 1))
    result.metafiles = [f"J7/J7_lost_{v}.cs" for v in range(n)] + ["J7/J7_lost_0.cs"]
    result.item_counts = [N_PARTICLES] * (n + 1)
    (cs_root / "J7" / "job.json").write_bytes(v5_bytes(state, "P1"))
    with finishes(lambda: open_cryosparc_project(cs_root), seconds=60) as project:
        assert project.problems == [
            f"{cs_root / 'J7' / f'J7_lost_{v}.cs'}: missing; output J7.particles.alignments2D "
            "cannot be read"
            for v in range(n)
        ]


def test_opening_leaves_objects_the_program_froze_frozen(cs_root: Path) -> None:
    """The jobs are handed to the cycle collector as old by freezing and unfreezing every
    object; a program that froze objects itself (before forking workers) keeps them frozen."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with open_cryosparc_project(cs_root) as project:
            assert len(project.jobs) == 12
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()
