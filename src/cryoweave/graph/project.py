"""``Project``: a folder of jobs, edited through commands with undo and redo."""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import Dataset
from ..data.atomic import atomic_write
from . import rules, storage
from .commands import AddJob, Changes, Command, DeleteJob
from .errors import JobError
from .model import InputGroup, JobState, OutputGroup, OutputResult, Version
from .result_types import result_type_for
from .specs import JobSpec, OutputSpec, ResultSpec

if TYPE_CHECKING:
    from .job import ExternalJob, Job


@dataclass
class _Edit:
    description: str
    before: dict[str, JobState | None]
    after: dict[str, JobState | None]


class Project:
    """A cryoweave project: jobs ``J1``, ``J2``, ... in a folder, each a CryoSPARC-shaped
    job document beside its ``.cs`` files.

    Every edit is a command: checked, saved atomically, then recorded, so that
    ``undo()`` and ``redo()`` walk the history. One process at a time may open a
    project for writing.

    Examples
    --------
    >>> project = Project.create("my_project")                     # doctest: +SKIP
    >>> refine = project.create_job("homo_refine_new")            # doctest: +SKIP
    >>> refine.connect("particles", "J3", "particles")            # doctest: +SKIP
    """

    def __init__(self, root: Path, doc: dict[str, object], read_only: bool) -> None:
        self.root = root
        self._doc = doc
        self.read_only = read_only
        self._undo: list[_Edit] = []
        self._redo: list[_Edit] = []
        self._listeners: list[Callable[[set[str]], None]] = []
        # Jobs of an opened CryoSPARC project: shown and read, never written.
        self._external: set[str] = set()
        self.problems: list[str] = []
        """What could not be read from the linked CryoSPARC project, one line per file."""
        self._lock = None if read_only else storage.Lock(root)
        try:
            own = storage.load_jobs(root) if (root / storage.PROJECT_FILE).is_file() else {}
            self._jobs = {**self._load_cryosparc_jobs(own), **own}
        except BaseException:
            self.close()
            raise
        self._jobs = _by_number(self._jobs)

    @property
    def cryosparc_project(self) -> Path | None:
        """The CryoSPARC project folder whose jobs this project shows, if any."""
        linked = self._doc.get("cryosparc_project")
        return Path(str(linked)) if linked else None

    @property
    def data_root(self) -> Path:
        """The folder that relative paths inside ``.cs`` files (``J5/extract/...``) start
        from: the CryoSPARC project when one is linked, else this project."""
        return self.cryosparc_project or self.root

    def _load_cryosparc_jobs(self, own: dict[str, JobState]) -> dict[str, JobState]:
        from ..interop.cryosparc_project import read_cryosparc_jobs

        linked = self.cryosparc_project
        if linked is None:
            return {}
        if not linked.is_dir():
            raise JobError(f"the CryoSPARC project {linked} that {self.root} refers to is gone")
        jobs, self.problems = read_cryosparc_jobs(linked)
        for uid in sorted(jobs.keys() & own.keys(), key=storage.job_number):
            self.problems.append(
                f"{linked / uid / 'job.json'}: {uid} is also a cryoweave job in {self.root}; "
                "the CryoSPARC job is not shown"
            )
            del jobs[uid]
        positions = self._doc.get("positions")
        for uid, xy in (positions if isinstance(positions, dict) else {}).items():
            if uid in jobs:
                jobs[uid].position = (float(xy[0]), float(xy[1]))
        self._external = set(jobs)
        return jobs

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        title: str = "",
        *,
        cryosparc_project: str | os.PathLike[str] | None = None,
    ) -> Project:
        """Make a new, empty project folder (it may exist but must be empty).

        With ``cryosparc_project``, the project shows that CryoSPARC project's jobs,
        read-only, and new jobs can build on them (``open_cryosparc_project`` does this).
        """
        root = Path(path)
        if root.exists() and any(root.iterdir()):
            raise JobError(f"cannot create a project in {root}: the folder is not empty")
        root.mkdir(parents=True, exist_ok=True)
        doc: dict[str, object] = {
            "format": storage.FORMAT,
            "title": title or root.name,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "next_job": 1,
        }
        if cryosparc_project is not None:
            doc["cryosparc_project"] = str(Path(cryosparc_project).resolve())
        storage.write_json(root / storage.PROJECT_FILE, doc)
        return cls(root, doc, read_only=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> Project:
        """Open an existing project; refused while another process has it open for writing."""
        root = Path(path)
        doc_path = root / storage.PROJECT_FILE
        if not doc_path.is_file():
            raise JobError(f"{root} is not a cryoweave project (no {storage.PROJECT_FILE})")
        return cls(root, storage.read_json(doc_path), read_only)

    def close(self) -> None:
        """Release the project for other processes."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- jobs ---------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The project's title, given at creation (its folder's name by default)."""
        return str(self._doc.get("title") or self.root.name)

    @property
    def jobs(self) -> list[Job]:
        from .job import handle

        return [handle(self, uid) for uid in self._jobs]

    def job(self, uid: str) -> Job:
        from .job import handle

        if uid not in self._jobs:
            known = ", ".join(self._jobs) or "none"
            raise JobError(f"there is no job {uid} in this project (jobs: {known})")
        return handle(self, uid)

    @property
    def states(self) -> rules.Jobs:
        """Every job's current state by uid (read-only by convention)."""
        return self._jobs

    def is_external(self, uid: str) -> bool:
        """True for a job of an opened CryoSPARC project, which cryoweave never writes."""
        return uid in self._external

    def state(self, uid: str) -> JobState:
        """The current state of one job (read-only by convention)."""
        return self._jobs[uid]

    def create_job(
        self,
        type_key: str,
        title: str | None = None,
        *,
        position: tuple[float, float] = (0.0, 0.0),
    ) -> Job:
        """Add a job of a catalog type, in the building state."""
        from .catalog import job_spec

        return self.add_job(job_spec(type_key), title, position=position)

    def add_job(
        self,
        spec: JobSpec,
        title: str | None = None,
        *,
        position: tuple[float, float] = (0.0, 0.0),
    ) -> Job:
        """Add a building job of any spec, the catalog's or one of your own (one edit, placed
        at ``position`` on the canvas)."""
        state = state_from_spec(self._next_uid(), spec, title)
        state.position = position
        self.apply(AddJob(state))
        return self.job(state.uid)

    def create_external_job(self, title: str | None = None) -> ExternalJob:
        """Add an external job: its inputs and outputs are declared from Python."""
        from .job import ExternalJob

        spec = JobSpec("snowflake", "External job", "External", "Custom processing in Python")
        return ExternalJob(self, self.add_job(spec, title).uid)

    def import_dataset(
        self, source: Dataset | str | os.PathLike[str], item_type: str, name: str
    ) -> Job:
        """A completed import job whose output group ``name`` holds one result per field
        prefix of the dataset, as CryoSPARC's import jobs make them."""
        dataset = source if isinstance(source, Dataset) else Dataset.load(source)
        uid = self._next_uid()
        metafile = f"{uid}/{uid}_{name}.cs"
        (self.root / uid).mkdir(exist_ok=True)
        dataset.save(self.root / metafile)
        results = [
            OutputResult(
                prefix, result_type_for(item_type, prefix), name, [0], [metafile], len(dataset)
            )
            for prefix in dataset.prefixes()
        ]
        output = OutputSpec(
            name, item_type, name, tuple(ResultSpec(r.name, r.type) for r in results)
        )
        kind = {"particle": "import_particles", "volume": "import_volumes"}.get(
            item_type, "import_result_group"
        )
        state = JobState(
            uid=uid,
            type=kind,
            title=f"Import {name}",
            status="completed",
            inputs=[],
            outputs=[OutputGroup(output, results, len(dataset))],
            section="Import",
            type_title="Import",
        )
        self.apply(AddJob(state))
        return self.job(uid)

    def import_result_group(self, csg_path: str | os.PathLike[str]) -> Job:
        """A completed job holding a result group exported from CryoSPARC (a ``.csg``
        file and its ``.cs`` files), copied into the project."""
        from .result_groups import load_result, read_csg

        group = read_csg(csg_path)
        for result in group.results:  # check every file before anything is written
            load_result(group, result)
        uid = self._next_uid()
        (self.root / uid).mkdir(exist_ok=True)
        copies: dict[Path, str] = {}
        for result in group.results:
            if result.metafile not in copies:
                copies[result.metafile] = f"{uid}/{uid}_{result.metafile.name}"
                _copy_file(result.metafile, self.root / copies[result.metafile])
        results = [
            OutputResult(r.name, r.type, group.name, [0], [copies[r.metafile]], r.num_items)
            for r in group.results
        ]
        output = OutputSpec(
            group.name, group.type, group.title, tuple(ResultSpec(r.name, r.type) for r in results)
        )
        state = JobState(
            uid=uid,
            type="import_result_group",
            title=f"Import {group.title}",
            status="completed",
            inputs=[],
            outputs=[OutputGroup(output, results, max(r.num_items for r in results))],
            section="Import",
            type_title="Import Result Group",
        )
        self.apply(AddJob(state))
        return self.job(uid)

    def delete_job(self, uid: str) -> None:
        """Delete a building job that no other job uses."""
        self.apply(DeleteJob(uid))

    def _next_uid(self) -> str:
        number = int(str(self._doc.get("next_job", 1)))
        linked = self.cryosparc_project
        if linked is not None:  # after CryoSPARC's last job folder, readable or not
            from ..interop.cryosparc_project import last_job_number

            number = max(number, last_job_number(linked) + 1)
        while f"J{number}" in self._jobs:
            number += 1
        self._doc["next_job"] = number + 1
        storage.write_json(self.root / storage.PROJECT_FILE, dict(self._doc))
        return f"J{number}"

    # -- asking before editing -------------------------------------------------------

    def can_connect(
        self, target_uid: str, input_name: str, source_uid: str, output_name: str
    ) -> tuple[bool, str]:
        """(ok, reason) for a group connection, without changing anything."""
        reason = rules.refuse_connect(self._jobs, target_uid, input_name, source_uid, output_name)
        return reason is None, reason or ""

    def can_connect_result(
        self,
        target_uid: str,
        input_name: str,
        connection_idx: int,
        slot: str,
        source_uid: str,
        source_output: str,
        source_result: str,
        source_version: Version = "F",
    ) -> tuple[bool, str]:
        """(ok, reason) for a slot override, without changing anything."""
        reason = rules.refuse_connect_result(
            self._jobs,
            target_uid,
            input_name,
            connection_idx,
            slot,
            source_uid,
            source_output,
            source_result,
            source_version,
        )
        return reason is None, reason or ""

    # -- editing ------------------------------------------------------------------------

    def apply(self, command: Command) -> None:
        """Check, save and record one edit; a refused edit changes nothing."""
        if self.read_only:
            raise JobError(f"{self.root} is open read-only: {command.describe()} refused")
        changes = command.run(self._jobs)
        self._refuse_external_changes(command, changes)
        before = {uid: self._jobs.get(uid) for uid in changes}
        self._write(changes)
        self._undo.append(_Edit(command.describe(), before, changes))
        self._redo.clear()
        self._notify(changes)

    def undo(self) -> str | None:
        """Revert the last edit; returns what it was, or None when there is none."""
        if not self._undo:
            return None
        edit = self._undo.pop()
        self._write(edit.before)
        self._redo.append(edit)
        self._notify(edit.before)
        return edit.description

    def redo(self) -> str | None:
        """Apply again the last undone edit; returns what it was, or None."""
        if not self._redo:
            return None
        edit = self._redo.pop()
        self._write(edit.after)
        self._undo.append(edit)
        self._notify(edit.after)
        return edit.description

    @property
    def history(self) -> list[str]:
        """Descriptions of the edits that ``undo`` would revert, oldest first."""
        return [edit.description for edit in self._undo]

    @property
    def redo_history(self) -> list[str]:
        """Descriptions of the edits that ``redo`` would apply again, the next one last."""
        return [edit.description for edit in self._redo]

    def _refuse_external_changes(self, command: Command, changes: Changes) -> None:
        """CryoSPARC's jobs are read-only; only where the canvas draws them may change."""
        for uid, state in changes.items():
            if uid not in self._external:
                continue
            current = self._jobs[uid]
            if state is None or replace(state, position=current.position) != current:
                raise JobError(
                    f"{uid} belongs to the CryoSPARC project {self.cryosparc_project}, which "
                    f"cryoweave never changes: {command.describe()} refused"
                )

    # -- watching -----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[set[str]], None]) -> Callable[[], None]:
        """Call ``listener(changed_uids)`` after every edit, undo and redo, whoever makes it
        (a widget uses this to redraw when a notebook cell edits the project). Returns a
        function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, changes: Changes) -> None:
        """Tell the listeners, once history is up to date (they may read ``history``)."""
        for listener in list(self._listeners):
            listener(set(changes))

    def _write(self, changes: Changes) -> None:
        positions: dict[str, list[float]] = {}
        for uid, state in changes.items():
            if uid in self._external:  # only its position changed (checked by apply)
                assert state is not None
                positions[uid] = [state.position[0], state.position[1]]
                self._jobs[uid] = state
            elif state is None:
                storage.remove_job(self.root, uid)
                self._jobs.pop(uid, None)
            else:
                storage.save_job(self.root, state)
                self._jobs[uid] = state
        if positions:
            saved = self._doc.get("positions")
            self._doc["positions"] = {**(saved if isinstance(saved, dict) else {}), **positions}
            storage.write_json(self.root / storage.PROJECT_FILE, dict(self._doc))
        self._jobs = _by_number(self._jobs)


def _by_number(jobs: dict[str, JobState]) -> dict[str, JobState]:
    return dict(sorted(jobs.items(), key=lambda item: storage.job_number(item[0])))


def _copy_file(source: Path, target: Path) -> None:
    with open(source, "rb") as original:
        atomic_write(str(target), lambda f: shutil.copyfileobj(original, f))


def state_from_spec(uid: str, spec: JobSpec, title: str | None) -> JobState:
    """A new building job of ``spec``: empty inputs, outputs with no versions yet."""
    return JobState(
        uid=uid,
        type=spec.type,
        title=title or spec.title,
        status="building",
        inputs=[InputGroup(input_spec) for input_spec in spec.inputs],
        outputs=[
            OutputGroup(output, [OutputResult(r.name, r.type, output.name) for r in output.results])
            for output in spec.outputs
        ],
        section=spec.section,
        type_title=spec.title,
    )
