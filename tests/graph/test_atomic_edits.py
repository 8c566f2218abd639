"""Every edit, undo and redo is all or nothing on disk.

A child process is killed (SIGKILL) at each point where the save changes something on
disk: every file created, flushed, renamed or removed and every folder made or removed,
one point per run, every point in turn. The project then reopens equal to before the edit
or after it, never in between. Writes that fail (a refused rename) leave disk, memory and
history as before, with ``SaveFailed`` naming the file.
"""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from cryoweave.data import atomic
from cryoweave.demo import particles
from cryoweave.graph import JobError, Project, journal
from cryoweave.graph.errors import SaveFailed

# What a save may do to the disk; each call is a point at which the child is killed.
_WRITES = ("replace", "unlink", "fsync", "mkdir", "rmdir")


def _chain(root):
    """J1 imported particles, J2 a 2D classification, J3 a selection, J4 an ab-initio of
    three classes, J5 a refinement of its third: J4's ``abinit_K`` changes J5's input, so
    one edit saves both (and J3's particles changes J3, J4 and J5)."""
    with Project.create(root) as project:
        project.import_dataset(particles(50, ("blob", "ctf")), "particle", "particles")
        classify = project.create_job("class_2D_new", position=(300, 0))
        classify.connect("particles", "J1", "particles")
        select = project.create_job("select_2D", position=(600, 0))
        select.connect("particles", "J2", "particles")
        select.connect("templates", "J2", "class_averages")
        abinit = project.create_job("homo_abinit", position=(900, 0))
        abinit.connect("particles", "J3", "particles_selected")
        abinit.set_param("abinit_K", 3)
        refine = project.create_job("homo_refine_new", position=(1200, 0))
        refine.connect("particles", "J4", "particles_class_2")
        refine.connect("volume", "J4", "volume_class_2")


def _snapshot(root):
    """What a person sees of the project: every job's state and where it is drawn."""
    with Project.open(root) as project:
        return {uid: project.state(uid) for uid in project.states}


# Each scenario: (what is done before the kill points are counted, the action killed).
SCENARIOS = {
    "set a parameter whose passthroughs change downstream": (
        None,
        lambda p: p.job("J4").set_param("abinit_K", 2),
    ),
    "create a job": (None, lambda p: p.create_job("homo_refine_new", position=(5, 5))),
    "delete a job and those that use it": (None, lambda p: p.delete_job("J2", cascade=True)),
    "move a job": (None, lambda p: p.job("J3").set_position(12.5, -4)),
    "select particles by a field's range (its files written first)": (
        None,
        lambda p: p.select_particles("J1", "particles", "ctf/df1_A", high=20_000.0),
    ),
    "undo a cascade delete": (lambda p: p.delete_job("J2", cascade=True), lambda p: p.undo()),
    "redo a cascade delete": (
        lambda p: (p.delete_job("J2", cascade=True), p.undo()),
        lambda p: p.redo(),
    ),
    "undo a disconnection": (lambda p: p.job("J3").disconnect("particles"), lambda p: p.undo()),
    "undo a parameter": (lambda p: p.job("J4").set_param("abinit_K", 2), lambda p: p.undo()),
    "redo a parameter": (
        lambda p: (p.job("J4").set_param("abinit_K", 2), p.undo()),
        lambda p: p.redo(),
    ),
}


def _run_child(root, prepare, action, kill_at):
    """Open ``root`` in a forked child, ``prepare``, then ``action`` with a SIGKILL at the
    ``kill_at``-th write; returns how many writes the action made (when not killed)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read)
            project = Project.open(root)
            if prepare:
                prepare(project)
            count = [0]

            def counting(name, original):
                def call(*args, **kwargs):
                    count[0] += 1
                    if count[0] == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return original(*args, **kwargs)

                return call

            for name in _WRITES:
                setattr(os, name, counting(name, getattr(os, name)))
            action(project)
            os.write(write, str(count[0]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as pipe:
        made = pipe.read().decode()
    if kill_at and os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return None
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the child failed"
    return int(made)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_kill_at_any_write_leaves_the_project_before_or_after(tmp_path, scenario):
    prepare, action = SCENARIOS[scenario]  # history lives in memory: prepared in the child
    base = tmp_path / "base"
    _chain(base)
    prepared = tmp_path / "prepared"
    shutil.copytree(base, prepared)
    _run_child(prepared, prepare, lambda p: None, kill_at=0)
    before = _snapshot(prepared)
    done = tmp_path / "done"
    shutil.copytree(base, done)
    writes = _run_child(done, prepare, action, kill_at=0)
    after = _snapshot(done)
    assert after != before
    assert writes >= 2  # a file's content flushed, then renamed into place
    outcomes = set()
    for kill_at in range(1, writes + 1):
        copy = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, copy)
        assert _run_child(copy, prepare, action, kill_at) is None
        state = _snapshot(copy)  # opening for writing finishes an interrupted save
        assert state in (before, after), f"killed at write {kill_at} of {writes}"
        outcomes.add("after" if state == after else "before")
        assert not (copy / journal.JOURNAL).exists()
        leftovers = [p.name for p in copy.rglob("*") if atomic.is_temporary(p.name)]
        assert not leftovers, f"killed at write {kill_at}: opening left {leftovers}"
        shutil.rmtree(copy)
    # A save of several files is finished from its journal once that is in place.
    assert outcomes == {"before", "after"} if writes > 3 else outcomes == {"before"}


def test_a_project_opened_read_only_shows_an_interrupted_save_finished(tmp_path):
    _chain(tmp_path / "base")
    done = tmp_path / "done"
    shutil.copytree(tmp_path / "base", done)
    _run_child(done, None, lambda p: p.job("J4").set_param("abinit_K", 2), kill_at=0)
    after = _snapshot(done)
    # Kill after the journal is in place, before the documents are replaced.
    for kill_at in range(1, 20):
        copy = tmp_path / f"k{kill_at}"
        shutil.copytree(tmp_path / "base", copy)
        _run_child(copy, None, lambda p: p.job("J4").set_param("abinit_K", 2), kill_at)
        if (copy / journal.JOURNAL).exists():
            break
    else:
        pytest.fail("no kill point left a journal")
    with Project.open(copy, read_only=True) as project:
        assert {uid: project.state(uid) for uid in project.states} == after
    assert (copy / journal.JOURNAL).exists()  # read-only: nothing written


def test_a_damaged_journal_is_refused_naming_it(tmp_path):
    _chain(tmp_path / "P1")
    (tmp_path / "P1" / journal.JOURNAL).write_bytes(b"cryoweave journal 1\n[]\nnot a checksum\n")
    with pytest.raises(SaveFailed, match=r"\.cryoweave\.journal: the journal .* is damaged"):
        Project.open(tmp_path / "P1")


def _failing_replace(fail_on):
    """``os.replace`` that refuses to rename onto a path ending in ``fail_on``."""
    original = os.replace

    def replace(source, target):
        if str(target).endswith(fail_on):
            raise PermissionError(13, "Permission denied")
        return original(source, target)

    return replace


def _files(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".cryoweave.lock"
    }


def test_an_edit_whose_second_document_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    _chain(tmp_path / "P1")
    with Project.open(tmp_path / "P1") as project:
        before_files = _files(project.root)
        states = {uid: project.state(uid) for uid in project.states}
        history = project.history
        monkeypatch.setattr(atomic.os, "replace", _failing_replace("J5/job.json"))
        with pytest.raises(SaveFailed, match=r"J5/job\.json: cannot be written .*nothing was"):
            project.job("J4").set_param("abinit_K", 2)
        monkeypatch.undo()
        assert _files(project.root) == before_files  # J4 was saved, then put back
        assert {uid: project.state(uid) for uid in project.states} == states
        assert project.history == history
        project.job("J4").set_param("abinit_K", 2)  # and the project goes on
        assert project.job("J5").input_status("particles").state == "unmet"


def test_an_undo_whose_save_fails_stays_undoable(tmp_path, monkeypatch):
    _chain(tmp_path / "P1")
    with Project.open(tmp_path / "P1") as project:
        project.job("J4").set_param("abinit_K", 2)
        after = {uid: project.state(uid) for uid in project.states}
        monkeypatch.setattr(atomic.os, "replace", _failing_replace("J5/job.json"))
        with pytest.raises(SaveFailed):
            project.undo()
        monkeypatch.undo()
        assert {uid: project.state(uid) for uid in project.states} == after
        assert project.history[-1] == "set J4.abinit_K to 2"
        assert project.redo_history == []
        assert project.undo() == "set J4.abinit_K to 2"
    with Project.open(tmp_path / "P1") as again:
        assert again.state("J4").params["abinit_K"] == 3
        assert again.job("J5").input_status("particles").state == "waiting"


def test_when_even_putting_back_fails_the_next_open_finishes_the_edit(tmp_path, monkeypatch):
    _chain(tmp_path / "P1")
    project = Project.open(tmp_path / "P1")
    calls = []
    original = os.replace

    def replace(source, target):  # J4 is saved, J5 refused, and J4 cannot be put back
        calls.append(str(target))
        if str(target).endswith("J5/job.json") or calls.count(calls[-1]) > 1:
            raise PermissionError(13, "Permission denied")
        return original(source, target)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(SaveFailed, match="journal .* is kept"):
        project.job("J4").set_param("abinit_K", 2)
    monkeypatch.undo()
    with pytest.raises(JobError, match="open it again"):
        project.job("J2").set_title("anything")
    project.close()
    with Project.open(tmp_path / "P1") as again:
        assert again.state("J4").params["abinit_K"] == 2
        assert again.job("J5").input_status("particles").state == "unmet"
        assert not (again.root / journal.JOURNAL).exists()


def test_a_symbolic_link_as_the_lock_is_never_followed(tmp_path):
    _chain(tmp_path / "P1")
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me")
    lock = tmp_path / "P1" / ".cryoweave.lock"
    lock.unlink()
    lock.symlink_to(elsewhere)
    with pytest.raises(JobError, match=r"\.cryoweave\.lock: .* symbolic link"):
        Project.open(tmp_path / "P1")
    assert elsewhere.read_text() == "keep me"
    with Project.open(tmp_path / "P1", read_only=True) as project:  # reading needs no lock
        assert "J5" in project.states


@pytest.mark.parametrize(
    "x",
    [
        10**400,
        pytest.param(10**5000, id="10**5000"),
        "left",
        float("nan"),
        float("inf"),
        -float("inf"),
        True,
    ],
)
def test_a_position_that_is_not_a_finite_number_is_refused_and_forgotten(tmp_path, x):
    _chain(tmp_path / "P1")
    with Project.open(tmp_path / "P1") as project:
        with pytest.raises(JobError, match=r"cannot place J2 at .*two finite numbers"):
            project.job("J2").set_position(x, 0)
        with pytest.raises(JobError, match="two finite numbers"):
            project.create_job("homo_refine_new", position=(0, x))
        project.job("J2").set_position(1, 2)  # later moves and jobs still work
        project.create_job("homo_refine_new", position=(3, 4))
    with Project.open(tmp_path / "P1") as again:
        assert again.state("J2").position == (1.0, 2.0)


def test_a_numpy_number_is_a_position(tmp_path):
    np = pytest.importorskip("numpy")
    _chain(tmp_path / "P1")
    with Project.open(tmp_path / "P1") as project:
        project.job("J2").set_position(np.float32(120), np.int64(-3))
        assert project.state("J2").position == (120.0, -3.0)
        assert type(project.state("J2").position[0]) is float
        project.job("J3").set_position(0, 0)
    with Project.open(tmp_path / "P1") as again:
        assert again.state("J2").position == (120.0, -3.0)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        (5, "a title is text, not int"),
        pytest.param(10**5000, "more than 4,300 digits: a title is text", id="10**5000"),
        ("bad \udc80 title", "lone surrogate"),
    ],
)
def test_a_title_that_is_not_text_is_refused(tmp_path, title, message):
    _chain(tmp_path / "P1")
    with Project.open(tmp_path / "P1") as project:
        with pytest.raises(JobError, match=message):
            project.job("J2").set_title(title)
        with pytest.raises(JobError, match=message):
            project.create_job("homo_refine_new", title)
        assert project.state("J2").title == "2D Classification"
        assert len(project.states) == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("positions", {"J2": [1e400, 0]}, r"'positions'\['J2'\] .* not two finite numbers"),
        ("positions", {"J2": ["left", 0]}, r"'positions'\['J2'\]"),
        ("positions", {"J2": [1, 2, 3]}, r"'positions'\['J2'\]"),
        ("positions", {"../x": [1, 2]}, "'positions' names '../x', not a job uid"),
        ("positions", [1, 2], "'positions' is a list"),
        ("next_job", "7", "'next_job' is '7', not a job number"),
        ("next_job", 10**30, "'next_job' is 1000000000000000000000000000000"),
        ("next_job", 0, "'next_job' is 0"),
        ("project_uid", 'P1"""; import os', "'project_uid' .* not a CryoSPARC project uid"),
        ("title", 5, "'title' is a int, not text"),
        ("types", {"x": "y"}, r"'types'\['x'\] is not an object"),
        ("format", 3, "'format' is 3"),
    ],
)
def test_a_bad_project_document_is_refused_naming_the_field(tmp_path, field, value, message):
    _chain(tmp_path / "P1")
    path = tmp_path / "P1" / "cryoweave_project.json"
    text = path.read_text()
    import json

    doc = json.loads(text)
    doc[field] = value
    path.write_text(json.dumps(doc).replace("Infinity", "1e400"))
    for read_only in (False, True):
        with pytest.raises(JobError, match=rf"cryoweave_project\.json: {message}"):
            Project.open(tmp_path / "P1", read_only=read_only)


@pytest.mark.parametrize("content", [b"\xff\xfe", b"[1, 2]", b"{" * 100_000])
def test_a_project_document_that_is_not_a_json_object_is_refused(tmp_path, content):
    _chain(tmp_path / "P1")
    (tmp_path / "P1" / "cryoweave_project.json").write_bytes(content)
    with pytest.raises(JobError, match=r"cryoweave_project\.json: "):
        Project.open(tmp_path / "P1")


def test_a_project_document_that_is_a_named_pipe_is_refused_not_waited_for(tmp_path):
    _chain(tmp_path / "P1")
    path = tmp_path / "P1" / "cryoweave_project.json"
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(JobError, match=r"cryoweave_project\.json: is a named pipe"):
        Project.open(tmp_path / "P1")


def test_a_journal_that_cannot_be_removed_stops_further_edits_until_reopened(tmp_path, monkeypatch):
    _chain(tmp_path / "P1")
    project = Project.open(tmp_path / "P1")
    original = os.unlink

    def unlink(path, *args, **kwargs):
        if str(path).endswith(journal.JOURNAL):
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(SaveFailed, match=r"\.cryoweave\.journal: cannot be removed"):
        project.job("J4").set_param("abinit_K", 2)
    with pytest.raises(JobError, match="open it again"):
        project.job("J2").set_position(1, 1)  # a save without the journal would be overwritten
    monkeypatch.undo()
    project.close()
    with Project.open(tmp_path / "P1") as again:
        assert again.state("J4").params["abinit_K"] == 2
        assert not (again.root / journal.JOURNAL).exists()


def test_opening_for_writing_removes_what_a_killed_save_left_and_nothing_else(tmp_path):
    _chain(tmp_path / "P1")
    left = [
        tmp_path / "P1" / ".cryoweave_project.json.0123456789ab.tmp",
        tmp_path / "P1" / "J2" / ".job.json.a1b2c3d4e5f6.tmp",
    ]
    kept = [
        tmp_path / "P1" / "J2" / "notes.tmp",
        tmp_path / "P1" / "J2" / ".cache.tmp",
        tmp_path / "P1" / "J2" / ".job.json.a1b2c3d4e5f.tmp",  # not a name of ours
    ]
    for path in left + kept:
        path.write_bytes(b"partial")
    with Project.open(tmp_path / "P1", read_only=True):
        assert all(path.exists() for path in left)  # a reader never removes anything
    with Project.open(tmp_path / "P1"):
        assert not any(path.exists() for path in left)
        assert all(path.exists() for path in kept)
