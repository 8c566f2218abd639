"""Open a CryoSPARC project folder as a cryoweave project, read-only or with a workspace.

The folder's job documents are read by ``graph.cryosparc_link`` (v4 and v5); this module
decides where new jobs may live, and never lets cryoweave write into the CryoSPARC folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..graph import Project, cryosparc_link, storage
from ..graph.errors import JobError


def open_cryosparc_project(
    path: str | os.PathLike[str], workspace: str | os.PathLike[str] | None = None
) -> Project:
    """Open a CryoSPARC project folder, read-only, as a cryoweave project.

    Every ``J*/job.json`` (a CryoSPARC v4 or v5 job document, both in one folder too)
    becomes a job with its outputs, versions, connections and parameters; its ``.cs``
    files are read where they are. A path in a document that is absolute or leaves the
    folder is a problem line, and that result can be neither read nor downloaded. What
    cannot be read is listed in ``project.problems`` (one line naming each file) and the
    rest still loads.

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
    root = _real_folder(path, "CryoSPARC project folder")
    if not root.is_dir():
        raise JobError(f"{root}: no such CryoSPARC project folder")
    if not cryosparc_link.is_cryosparc_project(root):
        raise JobError(f"{root} is not a CryoSPARC project folder (no project.json, no J*/ jobs)")
    if workspace is None:
        return Project.view_cryosparc(root)
    work = _real_folder(workspace, "workspace")
    if work == root or root in work.parents:
        raise JobError(
            f"the workspace {work} is inside the CryoSPARC project {root}; "
            "cryoweave never writes there: choose a folder outside it"
        )
    if not (work / storage.PROJECT_FILE).is_file():
        return Project.create(work, cryosparc_link.project_info(root)[0], cryosparc_project=root)
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


def _real_folder(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` with its links resolved.

    Raises
    ------
    JobError
        When it cannot be resolved (a loop of links, a NUL byte), naming it.
    """
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError) as err:  # RuntimeError: a loop of links
        raise JobError(f"{os.fsdecode(path)!r}: no such {what} ({err})") from None
