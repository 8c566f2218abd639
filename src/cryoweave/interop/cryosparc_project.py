"""Read a CryoSPARC project directory: one v4 job document per ``J<n>/job.json``.

Reading never writes: no lock file, no cache, nothing in the CryoSPARC folder changes.
A job whose document is missing or malformed, or an output ``.cs`` file that is not
there, is reported as a problem naming the file, and everything else still loads.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..graph.model import JobState, Status
from ..graph.specs import JobSpec
from ..graph.storage import is_job_folder, job_number

if TYPE_CHECKING:
    from ..graph.project import Project

# CryoSPARC's job statuses, as the job model names them.
_STATUSES: Mapping[str, Status] = {
    "building": "building",
    "queued": "queued",
    "launched": "running",
    "started": "running",
    "running": "running",
    "waiting": "running",
    "completed": "completed",
    "killed": "killed",
    "failed": "failed",
}


def is_cryosparc_project(path: Path) -> bool:
    """True for a folder that looks like a CryoSPARC project (``project.json`` or jobs)."""
    return (path / "project.json").is_file() or any(_job_folders(path))


def project_title(path: Path) -> str:
    """The project's title from ``project.json``, or the folder name."""
    try:
        doc = json.loads((path / "project.json").read_text(encoding="utf-8"))
        title = doc.get("title") if isinstance(doc, dict) else None
    except (OSError, ValueError):
        title = None
    return str(title) if title else path.name


def read_cryosparc_jobs(root: Path) -> tuple[dict[str, JobState], list[str]]:
    """Every readable job of the CryoSPARC project at ``root``, and the problems found.

    Output metafiles become absolute paths, so that a cryoweave project elsewhere can
    read them. Problems name the file: ``/data/P3/J7/job.json: not valid JSON (...)``.
    """
    jobs: dict[str, JobState] = {}
    problems: list[str] = []
    for folder in _job_folders(root):
        doc_path = folder / "job.json"
        if not doc_path.is_file():
            problems.append(f"{doc_path}: missing; job {folder.name} is not shown")
            continue
        try:
            doc = json.loads(doc_path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as err:
            problems.append(f"{doc_path}: not UTF-8 text ({err.reason}); job not shown")
            continue
        except ValueError as err:
            problems.append(f"{doc_path}: not valid JSON ({err}); job not shown")
            continue
        except OSError as err:
            problems.append(f"{doc_path}: cannot be read ({err.strerror}); job not shown")
            continue
        try:
            state = job_state_from_cryosparc(doc, folder.name)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            problems.append(
                f"{doc_path}: not a CryoSPARC job document ({_why(err)}); job not shown"
            )
            continue
        problems.extend(_absolute_metafiles(root, state))
        jobs[state.uid] = state
    problems.extend(_dangling_connections(root, jobs))
    return jobs, problems


def job_state_from_cryosparc(doc: Any, folder_uid: str) -> JobState:
    """A job state from a CryoSPARC v4 job document (as read from ``job.json``)."""
    if not isinstance(doc, dict):
        raise TypeError("the document is not a JSON object")
    uid = doc.get("uid", folder_uid)
    if uid != folder_uid:
        raise ValueError(f"its uid {uid!r} is not its folder's name {folder_uid!r}")
    status = _STATUSES.get(str(doc.get("status", "")))
    if status is None:
        raise ValueError(f"unknown status {doc.get('status')!r}")
    # The job model reads the same v4 shapes; CryoSPARC documents lack our extra keys.
    spec = _catalog_spec(str(doc["type"]))
    ours = {
        **doc,
        "status": status,
        "title": doc.get("title") or (spec.title if spec else doc["type"]),
        "type_title": spec.title if spec else str(doc["type"]),
        "section": spec.section if spec else "",
        "ui_position": _position(doc),
    }
    return JobState.from_doc(ours)


def _catalog_spec(type_key: str) -> JobSpec | None:
    from ..graph.catalog import CATALOG

    return CATALOG.get(type_key)


# CryoSPARC places jobs on a grid of tiles; the canvas works in pixels.
TILE_WIDTH_PX = 320.0
TILE_HEIGHT_PX = 240.0


def _position(doc: dict[str, Any]) -> dict[str, float]:
    """Where CryoSPARC's workspace tree drew the job (its first layout's tile), in canvas
    pixels; the origin when it has no layout."""
    layouts = doc.get("ui_layouts")
    if isinstance(layouts, dict):
        for layout in layouts.values():
            if isinstance(layout, dict) and "x" in layout and "y" in layout:
                x, y = float(layout["x"]), float(layout["y"])
                return {"x": x * TILE_WIDTH_PX, "y": y * TILE_HEIGHT_PX}
    return {"x": 0.0, "y": 0.0}


def last_job_number(root: Path) -> int:
    """The highest job number of the CryoSPARC project (0 when it has no job folder)."""
    folders = _job_folders(root)
    return job_number(folders[-1].name) if folders else 0


def _job_folders(root: Path) -> list[Path]:
    folders = [p for p in root.glob("J*") if p.is_dir() and is_job_folder(p)]
    return sorted(folders, key=lambda p: job_number(p.name))


def _absolute_metafiles(root: Path, state: JobState) -> list[str]:
    problems = []
    for group in state.outputs:
        for result in group.results:
            absolute = []
            for metafile in result.metafiles:
                path = root / metafile.lstrip(">")
                absolute.append(str(path))
                if not path.is_file():
                    problems.append(
                        f"{path}: missing; output {state.uid}.{group.spec.name}.{result.name} "
                        "cannot be read"
                    )
            result.metafiles = absolute
    return sorted(set(problems), key=problems.index)


def _dangling_connections(root: Path, jobs: Mapping[str, JobState]) -> list[str]:
    problems = []
    for state in jobs.values():
        for group in state.inputs:
            sources = {c.job_uid for c in group.connections}
            sources.update(e.job_uid for c in group.connections for e in c.slots)
            for uid in sorted(sources - jobs.keys()):
                problems.append(
                    f"{root / state.uid / 'job.json'}: input {group.spec.name} reads from "
                    f"{uid}, which could not be loaded"
                )
    return problems


def _why(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"no {err.args[0]!r} key"
    return str(err)


def open_cryosparc_project(
    path: str | os.PathLike[str], workspace: str | os.PathLike[str] | None = None
) -> Project:
    """Open a CryoSPARC project folder, read-only, as a cryoweave project.

    Every ``J*/job.json`` becomes a job with its outputs, versions and connections;
    its ``.cs`` files are read where they are. What cannot be read is listed in
    ``project.problems`` (one line naming each file) and the rest still loads.

    Without ``workspace`` the project is read-only: browse, resolve inputs, export.
    With ``workspace``, a cryoweave project folder outside the CryoSPARC one (made on
    first use, reopened after), new jobs can be added and connected to CryoSPARC's
    jobs; they live in the workspace, and nothing in the CryoSPARC folder is ever
    written.

    Examples
    --------
    >>> project = open_cryosparc_project("/data/CS-t20s", workspace="t20s_work")  # doctest: +SKIP
    >>> project.problems                                                         # doctest: +SKIP
    >>> refine = project.create_job("homo_refine_new")                           # doctest: +SKIP
    """
    from ..graph import storage
    from ..graph.errors import JobError
    from ..graph.project import Project

    root = Path(path).resolve()
    if not root.is_dir():
        raise JobError(f"{root}: no such CryoSPARC project folder")
    if not is_cryosparc_project(root):
        raise JobError(f"{root} is not a CryoSPARC project folder (no project.json, no J*/ jobs)")
    if workspace is None:
        doc: dict[str, object] = {"title": project_title(root), "cryosparc_project": str(root)}
        return Project(root, doc, read_only=True)
    work = Path(workspace).resolve()
    if work == root or root in work.parents:
        raise JobError(
            f"the workspace {work} is inside the CryoSPARC project {root}; "
            "cryoweave never writes there: choose a folder outside it"
        )
    if not (work / storage.PROJECT_FILE).is_file():
        return Project.create(work, project_title(root), cryosparc_project=root)
    project = Project.open(work)
    if project.cryosparc_project != root:
        linked = project.cryosparc_project
        project.close()
        raise JobError(
            f"the workspace {work} belongs to "
            + (f"the CryoSPARC project {linked}" if linked else "no CryoSPARC project")
            + f", not to {root}"
        )
    return project
