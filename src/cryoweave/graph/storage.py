"""A project folder on disk: the project document, one ``J<n>/job.json`` per job, a lock."""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO, Any

from ..data.atomic import atomic_write
from .documents import DocumentError, read_job, v5_bytes
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


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """``doc`` with one top-level key per line, each value compact. (``indent`` would make
    ``json`` encode in pure Python: ~15 ms for the positions of 2,000 jobs, on every move.)"""
    lines = [f" {json.dumps(key)}: {json.dumps(value)}" for key, value in doc.items()]
    data = ("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n").encode()
    atomic_write(str(path), lambda f: f.write(data), durable=True)


def read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise JobError(f"{path}: cannot read the document ({err})") from None
    if not isinstance(doc, dict):
        raise JobError(f"{path}: the document is not a JSON object")
    return doc


def job_dir(root: Path, uid: str) -> Path:
    return root / uid


def job_document(state: JobState, project_uid: str) -> bytes:
    """The job's v5 document; refused (``JobError``) when a v5 document cannot hold it."""
    try:
        return v5_bytes(state, project_uid)
    except DocumentError as err:
        raise JobError(f"cannot save {state.uid}: {err}") from None


def save_job(root: Path, state: JobState, project_uid: str) -> None:
    """Write the job's v5 document (``J<n>/job.json``), atomically."""
    write_job_document(root, state.uid, job_document(state, project_uid))


def write_job_document(root: Path, uid: str, data: bytes) -> None:
    folder = job_dir(root, uid)
    folder.mkdir(exist_ok=True)
    atomic_write(str(folder / "job.json"), lambda f: f.write(data), durable=True)


def remove_job(root: Path, uid: str) -> None:
    """Remove a job's document; its folder too when nothing else is in it."""
    folder = job_dir(root, uid)
    (folder / "job.json").unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def load_jobs(root: Path) -> dict[str, JobState]:
    """Every job of a cryoweave project; a document that cannot be read is refused,
    naming the file (a cryoweave project is never opened with a job missing)."""
    jobs = {}
    paths = [p for p in root.glob("J*/job.json") if is_job_folder(p.parent)]
    for path in sorted(paths, key=lambda p: uid_number(p.parent.name)):
        try:
            jobs[path.parent.name], _ = read_job(path.read_bytes(), path.parent.name)
        except OSError as err:
            raise JobError(f"{path}: cannot be read ({err.strerror})") from None
        except DocumentError as err:
            raise JobError(f"{path}: {err}") from None
    return jobs


class Lock:
    """An exclusive lock on a project folder, released when the process ends, however."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_FILE
        self._file: IO[str] | None = open(self.path, "a+")  # noqa: SIM115 (held open)
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
