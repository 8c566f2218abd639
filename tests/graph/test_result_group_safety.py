"""Importing ``.csg`` result groups from files a person was handed: a folder, a named pipe, a
link out of the export folder or YAML nested without end is a clear ``JobError`` naming the
file, never another exception or a hang; two metafiles of one name both arrive."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from cryoweave.demo import particles
from cryoweave.graph import JobError, Project
from cryoweave.graph.result_groups import read_csg


@pytest.fixture
def project(tmp_path: Path) -> Any:
    with Project.create(tmp_path / "P") as p:
        yield p


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A ``.csg`` of particles (blob, ctf) and its ``.cs`` file, exported by cryoweave."""
    with Project.create(tmp_path / "source") as source:
        job = source.import_dataset(particles(30, ("blob", "ctf"), seed=3), "particle", "particles")
        return job.export_output("particles", tmp_path / "export")


def edit(csg: Path, change: Any) -> None:
    doc = yaml.safe_load(csg.read_text())
    change(doc)
    csg.write_text(yaml.safe_dump(doc))


def test_a_metafile_that_is_a_folder(project: Project, exported: Path) -> None:
    (exported.parent / "folder.cs").mkdir()
    edit(exported, lambda d: d["results"]["ctf"].update(metafile=">folder.cs"))
    with pytest.raises(JobError, match=r"result 'ctf' names .*folder\.cs, which is a folder"):
        project.import_result_group(exported)
    assert not (project.root / "J1").exists()


def test_a_metafile_linked_out_of_the_export_folder(
    project: Project, exported: Path, tmp_path: Path
) -> None:
    metafile = exported.parent / "J1_particles_exported.cs"
    os.rename(metafile, tmp_path / "elsewhere.cs")
    metafile.symlink_to(tmp_path / "elsewhere.cs")
    with pytest.raises(JobError, match=r"J1_particles\.csg: metafile .*symbolic link leads it to"):
        project.import_result_group(exported)


def test_yaml_nested_without_end(project: Project, tmp_path: Path) -> None:
    csg = tmp_path / "deep.csg"
    csg.write_text("group: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(JobError, match=r"deep\.csg: not a result group file .*nested too deeply"):
        read_csg(csg)


def test_a_csg_that_is_a_named_pipe_is_refused_at_once(project: Project, tmp_path: Path) -> None:
    csg = tmp_path / "pipe.csg"
    os.mkfifo(csg)
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            project.import_result_group(csg)
        except BaseException as err:  # handed to the test
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():
        os.close(os.open(csg, os.O_WRONLY | os.O_NONBLOCK))  # release the reader
        thread.join(20)
        pytest.fail("reading a named pipe waited for a writer")
    assert isinstance(outcome.get("error"), JobError)
    assert "pipe.csg: not a readable result group file (is a named pipe" in str(outcome["error"])


def test_a_huge_csg_is_refused_unread(project: Project, tmp_path: Path) -> None:
    csg = tmp_path / "huge.csg"
    with open(csg, "wb") as f:
        f.truncate(64 << 20)
    with pytest.raises(JobError, match=r"huge\.csg: not a readable .*more than the"):
        read_csg(csg)


def test_two_metafiles_of_one_name_both_arrive(project: Project, tmp_path: Path) -> None:
    """A group whose blob and ctf come from two folders, each file named ``particles.cs``:
    each result keeps its own file (numbered), and reads back its own values."""
    folder = tmp_path / "group"
    first = particles(20, ("blob", "ctf"), seed=4)
    second = first.filter_prefixes(["ctf"]).take(np.arange(20))
    second["ctf/df1_A"][:] = np.arange(20) + 10_000.0
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    first.filter_prefixes(["blob"]).save(folder / "a" / "particles.cs")
    second.save(folder / "b" / "particles.cs")
    doc = {
        "group": {"name": "particles", "type": "particle", "title": "two folders"},
        "results": {
            "blob": {"metafile": ">a/particles.cs", "num_items": 20, "type": "particle.blob"},
            "ctf": {"metafile": ">b/particles.cs", "num_items": 20, "type": "particle.ctf"},
        },
        "version": "v4.4.1",
    }
    (folder / "group.csg").write_text(yaml.safe_dump(doc))

    job = project.import_result_group(folder / "group.csg")
    results = {r.name: r.metafiles for r in job.state.output("particles").results}
    assert results == {"blob": ["J1/J1_particles.cs"], "ctf": ["J1/J1_particles_2.cs"]}
    blob = job.load_output("particles", slots=["blob"])
    ctf = job.load_output("particles", slots=["ctf"])
    np.testing.assert_array_equal(blob["blob/path"], first["blob/path"])
    np.testing.assert_array_equal(ctf["ctf/df1_A"], np.arange(20) + 10_000.0)
    joined = job.load_output("particles")
    np.testing.assert_array_equal(joined["ctf/df1_A"], np.arange(20) + 10_000.0)
    np.testing.assert_array_equal(joined["blob/idx"], first["blob/idx"])
    assert sorted(p.name for p in (project.root / "J1").iterdir()) == [
        "J1_particles.cs",
        "J1_particles_2.cs",
        "job.json",
    ]


def test_a_copy_that_fails_leaves_no_file(tmp_path: Path) -> None:
    """A real failure part-way: the child process may not grow a file past 64 kB (as on a
    full disk). The group's first file (small) is copied, its second (large) cannot be: the
    import is refused naming it, and neither copy stays behind, whole or half."""
    folder = tmp_path / "group"
    folder.mkdir()
    ds = particles(2000, ("blob", "ctf", "location", "alignments3D"), seed=5)
    ds.filter_prefixes(["ctf"]).take(np.arange(100)).save(folder / "small.cs")
    ds.take(np.arange(1000)).save(folder / "large.cs")  # more rows, more fields
    assert (folder / "small.cs").stat().st_size < 64 * 1024 < (folder / "large.cs").stat().st_size
    doc = {
        "group": {"name": "particles", "type": "particle"},
        "results": {
            "ctf": {"metafile": ">small.cs", "num_items": 100, "type": "particle.ctf"},
            "blob": {"metafile": ">large.cs", "num_items": 1000, "type": "particle.blob"},
        },
    }
    (folder / "group.csg").write_text(yaml.safe_dump(doc))
    Project.create(tmp_path / "P").close()
    child = textwrap.dedent(
        f"""
        import resource, signal
        from cryoweave.graph import JobError, Project
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
        with Project.open({str(tmp_path / "P")!r}) as project:
            try:
                project.import_result_group({str(folder / "group.csg")!r})
            except JobError as err:
                print("refused:", err)
        """
    )
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
    assert run.stdout.startswith("refused: cannot copy "), run.stdout + run.stderr
    assert "large.cs" in run.stdout and "File too large" in run.stdout
    assert sorted(p.name for p in (tmp_path / "P").iterdir()) == [
        ".cryoweave.lock",
        "cryoweave_project.json",
    ]
