"""Files named by documents are read only inside their folder, links followed only while they
stay inside it, regular files only: every way a metafile is read (an output, an input, an
export, a STAR file, the canvas's download) and a job of a read-only project never writes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from cryoweave import open_cryosparc_project
from cryoweave.demo import cryosparc_tutorial_project, particles
from cryoweave.graph import JobError, PathOutsideProject, Project
from cryoweave.graph.paths import confined
from cryoweave.interop import export_star
from cryoweave.widget.builder_data import InputData
from cryoweave.widget.builder_requests import Refused

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
from waiting import finishes


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """J1: particles imported; J2: 2D classification reading them; an outside file that
    a link could lead to (a valid ``.cs`` file, so that following the link would work)."""
    project = Project.create(tmp_path / "P")
    project.import_dataset(particles(40, ("blob", "ctf"), seed=1), "particle", "particles")
    classify = project.create_job("class_2D_new")
    classify.connect("particles", "J1", "particles")
    particles(40, ("blob", "ctf"), seed=2).save(tmp_path / "outside.cs")
    return project


def link_outside(project: Project, tmp_path: Path) -> Path:
    """J1's metafile replaced by a symbolic link to a file outside the project."""
    metafile = project.root / "J1" / "J1_particles.cs"
    metafile.unlink()
    metafile.symlink_to(tmp_path / "outside.cs")
    return metafile


def test_a_metafile_linked_outside_is_refused_by_every_read(
    project: Project, tmp_path: Path
) -> None:
    link_outside(project, tmp_path)
    refusal = r"'J1/J1_particles\.cs' is not read: a symbolic link leads it to "
    with pytest.raises(PathOutsideProject, match=refusal + ".*outside.cs, outside the project"):
        project.locate("J1/J1_particles.cs")
    named = r"J1\.particles.*" + refusal
    with pytest.raises(JobError, match=named):
        project.job("J1").load_output("particles")
    with pytest.raises(JobError, match="J2.particles.*" + named):
        project.job("J2").resolve_input("particles")
    with pytest.raises(JobError, match=named):
        project.job("J1").export_output("particles", tmp_path / "export")
    with pytest.raises(JobError, match=named):
        export_star(project.job("J2"), "particles", tmp_path / "particles.star")
    assert not (tmp_path / "particles.star").exists()
    with pytest.raises(Refused, match=r"cannot read J1\.particles\.blob: .*symbolic link"):
        InputData(project).download("J1", "particles", "blob", "F", 0)
    project.close()


def test_a_folder_on_the_way_linked_outside_is_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(project.root / "J1", outside)
    (project.root / "J1").symlink_to(outside)
    with pytest.raises(JobError, match="symbolic link leads it to .*elsewhere"):
        project.job("J1").load_output("particles")
    project.close()


def test_a_link_to_a_device_outside_is_refused_before_it_is_opened(
    project: Project, tmp_path: Path
) -> None:
    metafile = project.root / "J1" / "J1_particles.cs"
    metafile.unlink()
    metafile.symlink_to("/dev/zero")
    with pytest.raises(JobError, match="symbolic link leads it to /dev/zero"):
        finishes(lambda: project.job("J1").load_output("particles"))
    project.close()


def test_links_that_stay_inside_are_followed(project: Project) -> None:
    expected = project.job("J1").load_output("particles")["uid"].tolist()
    # The file moved to another folder of the project, linked from where the document says
    # (relative and absolute links), as CryoSPARC projects often hold them.
    store = project.root / "store"
    store.mkdir()
    metafile = project.root / "J1" / "J1_particles.cs"
    shutil.move(metafile, store / "J1_particles.cs")
    metafile.symlink_to("../store/J1_particles.cs")
    assert project.job("J1").load_output("particles")["uid"].tolist() == expected
    metafile.unlink()
    metafile.symlink_to(store / "J1_particles.cs")
    assert project.job("J2").resolve_input("particles")["uid"].tolist() == expected
    reply, [data] = InputData(project).download("J1", "particles", "blob", "F", 0)
    assert reply["size"] == len(data)
    assert data == (store / "J1_particles.cs").read_bytes()
    project.close()


def test_a_project_opened_through_a_link_reads_its_files(project: Project, tmp_path: Path) -> None:
    """The root may itself be a link: what counts is its real folder, so an absolute link
    into the real folder is inside."""
    expected = project.job("J1").load_output("particles")["uid"].tolist()
    project.close()
    real = project.root
    metafile = real / "J1" / "J1_particles.cs"
    os.rename(metafile, real / "J1" / "kept.cs")
    metafile.symlink_to(real / "J1" / "kept.cs")
    (tmp_path / "via").symlink_to(real)
    with Project.open(tmp_path / "via") as again:
        assert again.job("J1").load_output("particles")["uid"].tolist() == expected
        assert again.locate("J1/J1_particles.cs") == tmp_path / "via" / "J1" / "J1_particles.cs"


def test_a_named_pipe_or_folder_for_a_metafile_is_a_clear_error_never_a_hang(
    project: Project,
) -> None:
    metafile = project.root / "J1" / "J1_particles.cs"
    metafile.unlink()
    os.mkfifo(metafile)
    with pytest.raises(JobError, match=r"J1_particles\.cs cannot be read \(is a named pipe"):
        finishes(lambda: project.job("J1").load_output("particles"), unblock=metafile)
    with pytest.raises(JobError, match=r"J2\.particles.*cannot be read \(is a named pipe"):
        finishes(lambda: project.job("J2").resolve_input("particles"), unblock=metafile)
    with pytest.raises(Refused, match="is a named pipe, not a regular file"):
        finishes(
            lambda: InputData(project).download("J1", "particles", "blob", "F", 0),
            unblock=metafile,
        )
    metafile.unlink()
    metafile.mkdir()
    with pytest.raises(JobError, match=r"J1_particles\.cs cannot be read \(is a folder"):
        project.job("J1").load_output("particles")
    project.close()


def test_a_missing_metafile_is_named_as_missing(project: Project) -> None:
    (project.root / "J1" / "J1_particles.cs").unlink()
    with pytest.raises(JobError, match=r"J1\.particles: .*J1_particles\.cs is missing"):
        project.job("J1").load_output("particles")
    project.close()


def test_the_linked_cryosparc_folder_counts_as_inside_for_its_jobs(tmp_path: Path) -> None:
    """A CryoSPARC job's files are confined to the CryoSPARC folder (reached through a link
    here): links between its job folders work, a link out of it is refused."""
    real = cryosparc_tutorial_project(tmp_path / "CS", n_particles=100)
    (tmp_path / "CS-link").symlink_to(real)
    with open_cryosparc_project(tmp_path / "CS-link", workspace=tmp_path / "work") as project:
        expected = project.job("J6").load_output("particles")["uid"].tolist()
        metafile = real / "J6" / "J6_particles_v0.cs"
        os.rename(metafile, real / "J5" / "moved.cs")
        metafile.symlink_to("../J5/moved.cs")
        assert project.job("J6").load_output("particles")["uid"].tolist() == expected
        metafile.unlink()
        shutil.copy(real / "J5" / "moved.cs", tmp_path / "work" / "copy.cs")
        metafile.symlink_to(tmp_path / "work" / "copy.cs")  # this project's folder, not CS's
        with pytest.raises(JobError, match="symbolic link leads it to .*copy.cs, outside"):
            project.job("J6").load_output("particles")


def test_confined_resolves_the_root_only_when_a_link_is_on_the_way(tmp_path: Path) -> None:
    root = tmp_path / "P"
    (root / "J1").mkdir(parents=True)
    assert confined(root, ">J1/missing.cs") == root / "J1" / "missing.cs"
    assert confined(root, "J9/none/at/all.cs") == root / "J9" / "none" / "at" / "all.cs"
    (root / "J1" / "loop.cs").symlink_to("loop.cs")  # a loop stays where it is: inside
    assert confined(root, "J1/loop.cs") == root / "J1" / "loop.cs"
    (root / "J1" / "up.cs").symlink_to("../../outside.cs")
    with pytest.raises(PathOutsideProject, match="outside the project folder"):
        confined(root, "J1/up.cs")


def test_save_output_on_a_read_only_project_writes_nothing(tmp_path: Path) -> None:
    with Project.create(tmp_path / "P") as project:
        job = project.create_external_job("Downsample")
        job.add_output("particle", "particles", slots=["blob"])
        job.start()
    before = sorted(p.name for p in (tmp_path / "P").rglob("*"))
    with Project.open(tmp_path / "P", read_only=True) as project:
        job = project.job("J1")
        with pytest.raises(JobError, match=r"open read-only: cannot save J1\.particles"):
            job.save_output("particles", particles(10, ("blob",)))  # type: ignore[attr-defined]
    assert sorted(p.name for p in (tmp_path / "P").rglob("*")) == before
    assert not list((tmp_path / "P").rglob("*.cs"))
