"""The link between a cryoweave project and a CryoSPARC project folder it shows.

CryoSPARC's jobs are read from their ``J<n>/job.json`` documents (v4 or v5, also mixed),
never written: no lock file, no cache, nothing in the CryoSPARC folder changes. A
document that cannot be read, a ``.cs`` file that is not there, or a path that points
outside the folder is one line in the problems, naming the file, the job and what is
wrong; everything else still loads.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..data.files import FileMissing, FileRefused, read_regular
from .cryosparc_folder import FolderIndex, outside_link
from .documents import TILE_HEIGHT_PX, TILE_WIDTH_PX, DocumentError, read_job
from .documents.common import parse_json
from .errors import JobError
from .model import JobState, uid_number
from .paths import is_within, outside_reason
from .project_document import PROJECT_UID
from .storage import is_job_folder


def is_cryosparc_project(path: Path) -> bool:
    """True for a folder that looks like a CryoSPARC project (``project.json`` or jobs)."""
    return (path / "project.json").is_file() or any(job_folders(path))


def project_info(path: Path) -> tuple[str, str]:
    """The project's (title, uid) from ``project.json``: the folder's name and ``P1`` when
    it does not say (no such file, or not a JSON object).

    Raises
    ------
    JobError
        When ``project.json`` is there but cannot be read as a file: a named pipe, a
        device, a folder, too large, unreadable, or a link that leads outside ``path``.
    """
    doc_path = path / "project.json"
    if os.path.islink(doc_path):
        target = os.path.realpath(doc_path)
        if not is_within(os.path.realpath(path), target):
            raise JobError(
                f"{doc_path}: {outside_link(target)}; the CryoSPARC project cannot be opened"
            )
    try:
        doc = parse_json(read_regular(doc_path))
    except (FileMissing, DocumentError):
        doc = None
    except FileRefused as err:
        raise JobError(f"{err}; the CryoSPARC project cannot be opened") from None
    doc = doc if isinstance(doc, dict) else {}
    title, uid = doc.get("title"), doc.get("uid")
    return (
        str(title) if isinstance(title, str) and title else path.name,
        uid if isinstance(uid, str) and PROJECT_UID.fullmatch(uid) else "P1",
    )


def job_folders(root: Path) -> list[Path]:
    """``J<n>`` folders of a project (or links to folders), by number."""
    return [root / name for name in _job_names(FolderIndex(root))]


def _job_names(index: FolderIndex) -> list[str]:
    """Names of the ``J<n>`` entries of the root that are folders or links (those that
    leave the folder included: they are reported, not skipped silently), by number."""
    top = index.listing("")
    names = [n for n in (*top.folders, *top.outside) if is_job_folder(Path(n))]
    return sorted(names, key=uid_number)


def last_job_number(root: Path) -> int:
    """The highest job number of the CryoSPARC project (0 when it has no job folder)."""
    folders = job_folders(root)
    return uid_number(folders[-1].name) if folders else 0


def read_cryosparc_jobs(root: Path) -> tuple[dict[str, JobState], list[str]]:
    """Every readable job of the CryoSPARC project at ``root``, and the problems found.

    Metafiles stay as the documents have them, relative to ``root``. Problems name the
    file: ``/data/P3/J7/job.json: not valid JSON (...); job not shown``. Documents are
    read as regular files only, size-limited (a named pipe or a device is a problem line,
    never a hang), and links are followed only while they stay inside ``root``.
    """
    with collector_paused():
        return _read_jobs(root)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a project's documents become objects, and
    what they became handed to it as old.

    Every job adds thousands of long-lived objects and none is garbage, yet the collector
    would walk all of them again and again as they pile up, and three times more once
    resumed (young, middle and old generation: about a third of the time of opening a large
    project). Reference counting still frees everything as usual. ``gc.freeze()`` followed
    by ``gc.unfreeze()`` moves every tracked object to the oldest generation without walking
    any: the jobs are then seen by the collector's rare full collections only, as any
    long-lived data is. (Skipped when the program froze objects itself: unfreezing would
    undo that.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _read_jobs(root: Path) -> tuple[dict[str, JobState], list[str]]:
    jobs: dict[str, JobState] = {}
    problems: dict[str, None] = {}  # lines in order, each once
    index = FolderIndex(root)
    checked: dict[str, _Check] = {}  # results share files: each one is looked at once
    top = index.listing("")
    for name in _job_names(index):
        if name in top.outside:
            problems[f"{root / name}: {outside_link(top.outside[name])}; job not shown"] = None
            continue
        data = _read_document(index, name, problems)
        if data is None:
            continue
        try:
            state, _ = read_job(data, name)
        except DocumentError as err:
            problems[f"{root / name / 'job.json'}: {err}; job not shown"] = None
            continue
        problems.update(dict.fromkeys(metafile_problems(root, state, checked, index)))
        jobs[state.uid] = state
    parents, dangling = _parents(root, jobs)
    problems.update(dict.fromkeys(dangling))
    _place_unplaced(jobs, parents)
    return jobs, list(problems)


def _read_document(index: FolderIndex, name: str, problems: dict[str, None]) -> bytes | None:
    """The bytes of job ``name``'s ``job.json``, or None with the problem noted."""
    doc_path = os.path.join(index.root, name, "job.json")  # a string: pathlib costs here
    listing = index.listing(name)
    if listing.leaves is None and "job.json" in listing.outside:
        problems[f"{doc_path}: {outside_link(listing.outside['job.json'])}; job not shown"] = None
        return None
    try:
        return read_regular(doc_path)
    except FileMissing:
        problems[f"{doc_path}: missing; job {name} is not shown"] = None
    except FileRefused as err:
        problems[f"{err}; job not shown"] = None
    return None


# The canvas spacing of a CryoSPARC 4 tile; v5 documents keep no position.
COLUMN_PX, ROW_PX = TILE_WIDTH_PX, TILE_HEIGHT_PX


def _place_unplaced(jobs: Mapping[str, JobState], parents: Mapping[str, set[str]]) -> None:
    """Jobs whose documents say nothing of where they were drawn (v5 keeps positions
    elsewhere) go in columns by their depth in the chain, so the canvas opens readable."""
    if not any(state.position == (0.0, 0.0) for state in jobs.values()):
        return
    depth: dict[str, int] = {}
    for uid in jobs:  # by number: parents come first in CryoSPARC projects
        depth[uid] = 1 + max([depth.get(p, 0) for p in parents[uid]]) if parents[uid] else 0
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
    index: FolderIndex | None = None,
) -> list[str]:
    """One line per output result whose file is outside ``root`` (by its text, or as a link
    whose real target leaves ``root``) or missing; each line once, in the document's order.

    ``checked`` keeps what was found per metafile across calls, and ``index`` the folders
    listed, so that a file that several results (its output's, passthroughs, versions of
    other jobs) name is checked once per project, and each folder listed once.
    """
    checked = {} if checked is None else checked
    index = FolderIndex(root) if index is None else index
    problems: dict[str, None] = {}  # a dict, not a list: a line is looked up in O(1)
    # Most metafiles are a file of the job's own folder (``J9/J9_particles.cs``): a name in
    # its listing is there, a regular file inside the project (a name holds no ``/``).
    own, prefix = index.listing(state.uid).files, f"{state.uid}/"
    cut = len(prefix)
    for group in state.outputs:
        for result in group.results:
            for metafile in result.metafiles:
                if metafile.startswith(prefix) and metafile[cut:] in own:
                    continue
                try:
                    check = checked[metafile]
                except KeyError:
                    check = checked[metafile] = _check_metafile(index, metafile)
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
                problems[line] = None
    return list(problems)


# A path of plain names (``J9/J9_003_particles.cs``): relative, no ``.`` or ``..`` part, no
# NUL, drive, backslash or trailing separator, so inside the folder by its text, and the
# same file as a string as through pathlib. Anything else takes the full check.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_+\-][A-Za-z0-9_.+\-]*(?:/[A-Za-z0-9_+\-][A-Za-z0-9_.+\-]*)*")


def _check_metafile(index: FolderIndex, metafile: str) -> _Check:
    relative = metafile.lstrip(">")
    if len(metafile) - len(relative) <= 1 and _PLAIN_PATH.fullmatch(relative):
        # Each folder is listed once (a job's files sit together): no stat per file.
        check = index.check(relative)
    else:
        reason = outside_reason(metafile)
        if reason:
            return ("outside", reason)
        relative = metafile[1:] if metafile.startswith(">") else metafile
        check = index.check_any(relative)
    if check is not None and check[0] == "missing":
        return ("missing", str(index.root / relative))
    return check


def _parents(root: Path, jobs: Mapping[str, JobState]) -> tuple[dict[str, set[str]], list[str]]:
    """Each job's parents among ``jobs`` (overrides included), and one line per input that
    reads from a job that is not there."""
    parents: dict[str, set[str]] = {}
    problems = []
    for uid, state in jobs.items():
        found: set[str] = set()
        for group in state.inputs:
            if not group.connections:
                continue
            sources = {e.job_uid for c in group.connections for e in c.slots}
            sources.update([c.job_uid for c in group.connections])
            found |= sources
            for gone in sorted(sources.difference(jobs)):
                problems.append(
                    f"{root / uid / 'job.json'}: input {group.spec.name} reads from "
                    f"{gone}, which could not be loaded"
                )
        parents[uid] = {p for p in found if p in jobs}  # (intersection would walk jobs)
    return parents, problems
