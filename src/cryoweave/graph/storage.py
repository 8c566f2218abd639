"""A project folder on disk: the project document, one ``J<n>/job.json`` per job, a lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, cast

from ..data.atomic import atomic_write, is_temporary
from ..data.files import FileRefused, read_regular
from . import project_document
from .documents import DocumentError, read_job, v5_bytes
from .documents.common import parse_json
from .errors import JobError, ProjectLocked
from .model import JobState, uid_number

PROJECT_FILE = "cryoweave_project.json"
LOCK_FILE = ".cryoweave.lock"
# 1: cryoweave 0.1, v4-shaped job documents with positions inside; 2: v5 job documents,
# positions in the project document. A format-1 project opens, and each job is rewritten
# in v5 shape when it is next saved.
FORMAT = 2


def is_job_folder(path: Path) -> bool:
    """``J12/`` is a job's folder; ``Jobs/`` or ``J12_old/`` are not."""
    return path.name.startswith("J") and path.name[1:].isdigit()


def json_bytes(doc: dict[str, Any]) -> bytes:
    """``doc`` with one top-level key per line, each value compact. (``indent`` would make
    ``json`` encode in pure Python: ~15 ms for the positions of 2,000 jobs, on every move.)"""
    lines = [
        f" {json.dumps(key)}: {json.dumps(value, allow_nan=False)}" for key, value in doc.items()
    ]
    return ("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n").encode()


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` (``json_bytes``) atomically: one file, alone."""
    data = json_bytes(doc)
    atomic_write(str(path), lambda f: f.write(data), durable=True)


def read_project_document(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """The project document at ``path`` (or its content ``data``), checked field by field
    (``project_document.check``): a bad one is refused naming the file and the field."""
    try:
        doc = parse_json(read_regular(path) if data is None else data)
    except FileRefused as err:
        raise JobError(f"cannot read the project document: {err}") from None
    except DocumentError as err:
        raise JobError(f"{path}: the project document is {err}") from None
    problem = project_document.check(doc)
    if problem:
        raise JobError(f"{path}: {problem}")
    return cast(dict[str, Any], doc)


def job_document(state: JobState, project_uid: str) -> bytes:
    """The job's v5 document; refused (``JobError``) when a v5 document cannot hold it."""
    try:
        return v5_bytes(state, project_uid)
    except DocumentError as err:
        raise JobError(f"cannot save {state.uid}: {err}") from None


def job_file(uid: str) -> str:
    """Where job ``uid``'s document is, relative to the project: ``J3/job.json``."""
    return f"{uid}/job.json"


def load_jobs(root: Path, pending: Mapping[str, bytes | None] | None = None) -> dict[str, JobState]:
    """Every job of a cryoweave project; a document that cannot be read is refused,
    naming the file (a cryoweave project is never opened with a job missing).

    ``pending``: the documents of an interrupted save (``journal.pending``), read in place
    of those on disk.
    """
    pending = pending or {}
    names = {p.parent.name for p in root.glob("J*/job.json") if is_job_folder(p.parent)}
    names.update(name.partition("/")[0] for name in pending if name != PROJECT_FILE)
    jobs = {}
    for uid in sorted(names, key=uid_number):
        path = root / job_file(uid)
        try:
            data = pending[job_file(uid)] if job_file(uid) in pending else read_regular(path)
            if data is None:
                continue
            jobs[uid], _ = read_job(data, uid)
        except FileRefused as err:
            raise JobError(f"a job document cannot be read: {err}") from None
        except DocumentError as err:
            raise JobError(f"{path}: {err}") from None
    return jobs


def remove_leftovers(root: Path) -> None:
    """Remove the temporary files a killed save left (``atomic.is_temporary`` names) in the
    project folder and every job folder in it, also that of a job whose edit never landed
    (its files are written before the edit). Called with the lock held, when no save of
    the project can be under way; a folder that is a link is not looked in, and only
    regular files are removed."""
    folders = [root, *(p for p in root.iterdir() if is_job_folder(p) and not p.is_symlink())]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not a folder (a file named like one), or gone
            continue
        for entry in entries:
            if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):  # gone already, or not ours: left
                    os.unlink(entry.path)


class Lock:
    """An exclusive lock on a project folder, released when the process ends, however.

    The lock file is never followed if it is a link, nor used if it is not a regular
    file: what it holds (who has the project) is written into it.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_FILE
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o666)
        except OSError as err:
            reason = "it is a symbolic link" if err.errno == errno.ELOOP else err.strerror
            raise JobError(
                f"{self.path}: the project's lock cannot be taken ({reason}); cryoweave writes "
                "only a regular file there: remove it if no process has the project open"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise JobError(
                f"{self.path}: the project's lock is not a regular file; remove it if no "
                "process has the project open"
            )
        os.set_blocking(fd, True)
        self._file: IO[str] | None = os.fdopen(fd, "r+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "another process"
            self._file.close()
            self._file = None
            raise ProjectLocked(
                f"{root} is open for writing by {holder}; close it there first, "
                "or open it with read_only=True"
            ) from None
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"process {os.getpid()} on {socket.gethostname()}")
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
