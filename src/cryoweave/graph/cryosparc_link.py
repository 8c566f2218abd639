"""The link between a cryoweave project and a CryoSPARC project folder it shows.

CryoSPARC's jobs are read from their ``J<n>/job.json`` documents (v4 or v5, also mixed),
never written: no lock file, no cache, nothing in the CryoSPARC folder changes. A
document that cannot be read, a ``.cs`` file that is not there, or a path that points
outside the folder is one line in the problems, naming the file, the job and what is
wrong; everything else still loads.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .documents import TILE_HEIGHT_PX, TILE_WIDTH_PX, DocumentError, read_job
from .model import JobState, uid_number
from .paths import outside_reason
from .storage import is_job_folder


def is_cryosparc_project(path: Path) -> bool:
    """True for a folder that looks like a CryoSPARC project (``project.json`` or jobs)."""
    return (path / "project.json").is_file() or any(job_folders(path))


def project_info(path: Path) -> tuple[str, str]:
    """The project's (title, uid) from ``project.json``: the folder's name and ``P1`` when
    it does not say."""
    try:
        doc = json.loads((path / "project.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = None
    doc = doc if isinstance(doc, dict) else {}
    title, uid = doc.get("title"), doc.get("uid")
    return (
        str(title) if isinstance(title, str) and title else path.name,
        uid if isinstance(uid, str) and uid[:1] == "P" and uid[1:].isdigit() else "P1",
    )


def job_folders(root: Path) -> list[Path]:
    """``J<n>`` folders of a project, by number."""
    folders = [p for p in root.glob("J*") if is_job_folder(p) and p.is_dir()]
    return sorted(folders, key=lambda p: uid_number(p.name))


def last_job_number(root: Path) -> int:
    """The highest job number of the CryoSPARC project (0 when it has no job folder)."""
    folders = job_folders(root)
    return uid_number(folders[-1].name) if folders else 0


def read_cryosparc_jobs(root: Path) -> tuple[dict[str, JobState], list[str]]:
    """Every readable job of the CryoSPARC project at ``root``, and the problems found.

    Metafiles stay as the documents have them, relative to ``root``. Problems name the
    file: ``/data/P3/J7/job.json: not valid JSON (...); job not shown``.
    """
    with _collector_paused():
        return _read_jobs(root)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a project's documents become objects.

    Every job adds thousands of long-lived objects and none is garbage, yet the collector
    would walk all of them again and again as they pile up (about a third of the time of
    opening a large project). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_jobs(root: Path) -> tuple[dict[str, JobState], list[str]]:
    jobs: dict[str, JobState] = {}
    problems: list[str] = []
    checked: dict[str, _Check] = {}  # results share files: each one is looked at once
    listings: dict[str, set[str]] = {}
    for folder in job_folders(root):
        doc_path = folder / "job.json"
        try:
            data = doc_path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{doc_path}: missing; job {folder.name} is not shown")
            continue
        except OSError as err:
            problems.append(f"{doc_path}: cannot be read ({err.strerror}); job not shown")
            continue
        try:
            state, _ = read_job(data, folder.name)
        except DocumentError as err:
            problems.append(f"{doc_path}: {err}; job not shown")
            continue
        problems.extend(metafile_problems(root, state, checked, listings))
        jobs[state.uid] = state
    problems.extend(_dangling_connections(root, jobs))
    _place_unplaced(jobs)
    return jobs, problems


# The canvas spacing of a CryoSPARC 4 tile; v5 documents keep no position.
COLUMN_PX, ROW_PX = TILE_WIDTH_PX, TILE_HEIGHT_PX


def _place_unplaced(jobs: Mapping[str, JobState]) -> None:
    """Jobs whose documents say nothing of where they were drawn (v5 keeps positions
    elsewhere) go in columns by their depth in the chain, so the canvas opens readable."""
    if not any(state.position == (0.0, 0.0) for state in jobs.values()):
        return
    depth: dict[str, int] = {}
    for uid, state in jobs.items():  # by number: parents come first in CryoSPARC projects
        parents = [depth.get(p, 0) for p in state.upstream() if p in jobs]
        depth[uid] = 1 + max(parents) if parents else 0
    rows: dict[int, int] = {}
    for uid, state in jobs.items():
        if state.position == (0.0, 0.0):
            column = depth[uid]
            state.position = (column * COLUMN_PX, rows.get(column, 0) * ROW_PX)
            rows[column] = rows.get(column, 0) + 1


_Check = tuple[str, str] | None
"""What is wrong with one metafile: ("outside", why), ("missing", its path), or None."""


def metafile_problems(
    root: Path,
    state: JobState,
    checked: dict[str, _Check] | None = None,
    listings: dict[str, set[str]] | None = None,
) -> list[str]:
    """One line per output result whose file is outside ``root`` or missing.

    ``checked`` keeps what was found per metafile across calls, so that a file that
    several results (its output's, passthroughs, versions of other jobs) name is
    checked once per project.
    """
    checked = {} if checked is None else checked
    listings = {} if listings is None else listings
    problems: list[str] = []
    for group in state.outputs:
        for result in group.results:
            for metafile in result.metafiles:
                try:
                    check = checked[metafile]
                except KeyError:
                    check = checked[metafile] = _check_metafile(root, metafile, listings)
                if check is None:
                    continue
                where = f"{state.uid}.{group.spec.name}.{result.name}"
                kind, text = check
                if kind == "outside":
                    line = (
                        f"{root / state.uid / 'job.json'}: output {where} names {metafile!r}: "
                        f"{text}; the result cannot be read or downloaded"
                    )
                else:
                    line = f"{text}: missing; output {where} cannot be read"
                if line not in problems:
                    problems.append(line)
    return problems


# A path of plain names (``J9/J9_003_particles.cs``): relative, no ``.`` or ``..`` part, no
# NUL, drive, backslash or trailing separator, so inside the folder by construction, and
# the same file as a string as through pathlib. Anything else takes the full check.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_+\-][A-Za-z0-9_.+\-]*(?:/[A-Za-z0-9_+\-][A-Za-z0-9_.+\-]*)*")


def _check_metafile(root: Path, metafile: str, listings: dict[str, set[str]]) -> _Check:
    relative = metafile.lstrip(">")
    if len(metafile) - len(relative) <= 1 and _PLAIN_PATH.fullmatch(relative):
        # Each folder is listed once (a job's files sit together): no stat per file.
        folder, _, name = relative.rpartition("/")
        files = listings.get(folder)
        if files is None:
            files = listings[folder] = _regular_files(os.path.join(root, folder))
        found = name in files
    else:
        reason = outside_reason(metafile)
        if reason:
            return ("outside", reason)
        found = (root / relative).is_file()
    return None if found else ("missing", str(root / relative))


def _regular_files(folder: str) -> set[str]:
    """Names of the regular files in ``folder`` (through symbolic links); none when it
    cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if _is_file(entry)}
    except OSError:
        return set()


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _dangling_connections(root: Path, jobs: Mapping[str, JobState]) -> list[str]:
    problems = []
    for state in jobs.values():
        for group in state.inputs:
            if not group.connections:
                continue
            sources = {e.job_uid for c in group.connections for e in c.slots}
            sources.update([c.job_uid for c in group.connections])
            for uid in sorted(uid for uid in sources if uid not in jobs):
                problems.append(
                    f"{root / state.uid / 'job.json'}: input {group.spec.name} reads from "
                    f"{uid}, which could not be loaded"
                )
    return problems
