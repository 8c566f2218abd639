"""The jobs a project shows when it opens: its own, those of the CryoSPARC project it
links to (read-only), and a line for each file that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import cryosparc_link, pipeline
from .cryosparc_folder import FolderIndex
from .errors import JobError
from .model import JobState, uid_number
from .paths import parts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .project_folder import ProjectFolder


@dataclass
class OpenedJobs:
    """What ``load`` found: every job by number, which of them are CryoSPARC's, and the
    problems (one line per file)."""

    own: dict[str, JobState]
    jobs: dict[str, JobState]
    external: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def load(root: Path, folder: ProjectFolder) -> OpenedJobs:
    """Read the project's own job documents and the linked CryoSPARC project's; a
    CryoSPARC job whose uid is also one of the project's own is left out (a problem line).
    The garbage collector is paused while thousands of documents are parsed."""
    with cryosparc_link.collector_paused():
        own = folder.load_jobs()
        cryosparc_jobs, problems = _cryosparc_jobs(root, folder.linked, own)
    external = set(cryosparc_jobs)
    problems += _own_problems(root, own, external)
    return OpenedJobs(own, by_number({**cryosparc_jobs, **own}), external, problems)


def by_number(jobs: dict[str, JobState]) -> dict[str, JobState]:
    """``jobs`` ordered J1, J2, ..., J10 (parents before children)."""
    return dict(sorted(jobs.items(), key=lambda item: uid_number(item[0])))


def _cryosparc_jobs(
    root: Path, linked: Path | None, own: dict[str, JobState]
) -> tuple[dict[str, JobState], list[str]]:
    if linked is None:
        return {}, []
    if not linked.is_dir():
        raise JobError(f"the CryoSPARC project {linked} that {root} refers to is gone")
    jobs, problems = cryosparc_link.read_cryosparc_jobs(linked)
    for uid in sorted(jobs.keys() & own.keys(), key=uid_number):
        problems.append(
            f"{linked / uid / 'job.json'}: {uid} is also a cryoweave job in {root}; "
            "the CryoSPARC job is not shown"
        )
        del jobs[uid]
    for state in jobs.values():  # by number: parents first
        if state.status == "building" and not state.outputs:
            # CryoSPARC keeps no outputs for a job that has not run; show what it will
            # have, as for a job built here.
            state.outputs = pipeline.derived_outputs(state, jobs)
    return jobs, problems


def _own_problems(root: Path, own: dict[str, JobState], external: set[str]) -> list[str]:
    """A line per result of the project's own jobs whose file is missing or outside the
    project (by its text or through a link); files of CryoSPARC's jobs (a passthrough of
    one) were checked with them."""
    checked: dict[str, tuple[str, str] | None] = {}
    index = FolderIndex(root)
    problems: list[str] = []
    for state in own.values():
        if external:  # a passthrough of a CryoSPARC job's file is not looked for here
            for metafile in _metafiles(state):
                names = parts(metafile)
                if names and names[0] in external:
                    checked[metafile] = None
        problems += cryosparc_link.metafile_problems(root, state, checked, index)
    return problems


def _metafiles(state: JobState) -> Iterator[str]:
    for group in state.outputs:
        for result in group.results:
            yield from result.metafiles
