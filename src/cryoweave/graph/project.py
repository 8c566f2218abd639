"""``Project``: a folder of jobs, edited through commands with undo and redo."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import Dataset
from . import cryosparc_link, imports, pipeline, placement, project_jobs, rules, storage
from .catalog import job_spec
from .commands import AddJob, Command, DeleteJob
from .errors import JobError
from .history import Edit, History, Listener
from .links import Links
from .model import Changes, InputGroup, JobState, OutputGroup, OutputResult, Version
from .paths import confined, parts, placed
from .project_folder import ProjectFolder
from .result_groups import read_csg
from .specs import JobSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .job import ExternalJob, Job


class Project:
    """A cryoweave project: jobs ``J1``, ``J2``, ... in a folder, each a CryoSPARC v5 job
    document beside its ``.cs`` files.

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
        self.read_only = read_only
        self._folder = ProjectFolder(root, doc, read_only)
        self._history = History()
        # Jobs of an opened CryoSPARC project: shown and read, never written.
        self._external: set[str] = set()
        self.problems: list[str] = []
        """What cannot be read, one line per file: documents of the linked CryoSPARC
        project, and results (of any job) whose file is missing or lies outside its
        folder."""
        try:
            opened = project_jobs.load(root, self._folder)
            self._external = opened.external
            self.problems = opened.problems
            self._folder.place(opened.jobs)
            self._jobs = opened.jobs
            self._links = Links(self._jobs)
            if opened.own and not read_only and not self._folder.is_current:
                self._folder.upgrade(opened.own, self._jobs)
        except BaseException:
            self.close()
            raise

    @property
    def cryosparc_project(self) -> Path | None:
        """The CryoSPARC project folder whose jobs this project shows, if any."""
        return self._folder.linked

    @property
    def data_root(self) -> Path:
        """The folder that relative paths inside ``.cs`` files (``J5/extract/...``) start
        from: the CryoSPARC project when one is linked, else this project."""
        return self.cryosparc_project or self.root

    @property
    def project_uid(self) -> str:
        """The uid the job documents carry (the linked CryoSPARC project's, else ``P1``)."""
        return self._folder.project_uid

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        title: str = "",
        *,
        cryosparc_project: str | os.PathLike[str] | None = None,
        await_layout: bool = False,
    ) -> Project:
        """Make a new, empty project folder (it may exist but must be empty).

        With ``cryosparc_project``, the project shows that CryoSPARC project's jobs,
        read-only, and new jobs can build on them (``open_cryosparc_project`` does this).
        With ``await_layout``, jobs made without a position stay at the origin until the
        first job is moved or placed by hand (the canvas's first layout of a project whose
        jobs are all at the origin): a project built from a script whose first view is the
        canvas's layout, such as the demo. Otherwise each gets a place of its own at once
        (``graph.placement``).
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
            "project_uid": "P1",
            "moved_by_hand": [],
        }
        if await_layout:
            doc["awaits_layout"] = True
        if cryosparc_project is not None:
            linked = Path(cryosparc_project).resolve()
            doc["cryosparc_project"] = str(linked)
            doc["project_uid"] = cryosparc_link.project_info(linked)[1]
        storage.write_json(root / storage.PROJECT_FILE, doc)
        return cls(root, doc, read_only=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> Project:
        """Open an existing project; refused while another process has it open for writing.

        A project saved by cryoweave 0.1 (v4-shaped job documents) opens too; opened for
        writing, its documents are rewritten in v5 shape.
        """
        root = Path(path)
        doc_path = root / storage.PROJECT_FILE
        if not os.path.lexists(doc_path):
            raise JobError(f"{root} is not a cryoweave project (no {storage.PROJECT_FILE})")
        return cls(root, storage.read_project_document(doc_path), read_only)

    @classmethod
    def view_cryosparc(cls, root: Path) -> Project:
        """A CryoSPARC project folder shown read-only, every job external."""
        title, uid = cryosparc_link.project_info(root)
        doc: dict[str, object] = {
            "title": title,
            "cryosparc_project": str(root),
            "project_uid": uid,
        }
        return cls(root, doc, read_only=True)

    def close(self) -> None:
        """Release the project for other processes."""
        self._folder.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- files --------------------------------------------------------------------------

    def locate(self, metafile: str, *, to_read: bool = True) -> Path:
        """Where a metafile named in a job document is: ``J5/J5_particles.cs`` is in the
        folder that holds job J5 (the linked CryoSPARC project for its jobs, else this
        project). With ``to_read=False``, from the path's text alone, for showing it:
        links are not looked at and no file is touched.

        Raises
        ------
        PathOutsideProject
            For an absolute path, one that leaves the folder, or (to read) one that a
            symbolic link leads outside it; nothing is read.
        """
        names = parts(metafile)
        linked = self.cryosparc_project
        external = linked is not None and bool(names) and names[0] in self._external
        where = confined if to_read else placed
        return where(linked if external and linked else self.root, metafile)

    # -- jobs ---------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The project's title, given at creation (its folder's name by default)."""
        return str(self._folder.doc.get("title") or self.root.name)

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
        position: tuple[float, float] | None = None,
    ) -> Job:
        """Add a job of a catalog type, in the building state (placed as ``add_job`` says)."""
        return self.add_job(job_spec(type_key), title, position=position)

    def add_job(
        self,
        spec: JobSpec,
        title: str | None = None,
        *,
        position: tuple[float, float] | None = None,
    ) -> Job:
        """Add a building job of any spec, the catalog's or one of your own, as one edit.

        The card is drawn at ``position`` if given (kept there, as a card moved by hand),
        else at a free spot beside the job created last; on its first connection it moves
        beside its parents, unless moved by hand before (``graph.placement``).
        """
        return self._add(state_from_spec(self._next_uid(), spec, title), position)

    def create_external_job(
        self, title: str | None = None, *, position: tuple[float, float] | None = None
    ) -> ExternalJob:
        """Add an external job: its inputs and outputs are declared from Python (placed as
        ``add_job`` says)."""
        from .job import ExternalJob

        spec = JobSpec("snowflake", "External job", "External", "Custom processing in Python")
        return ExternalJob(self, self.add_job(spec, title, position=position).uid)

    def import_dataset(
        self,
        source: Dataset | str | os.PathLike[str],
        item_type: str,
        name: str,
        *,
        position: tuple[float, float] | None = None,
    ) -> Job:
        """A completed import job whose output group ``name`` holds one result per field
        prefix of the dataset, as CryoSPARC's import jobs make them (placed as ``add_job``
        says)."""
        dataset = source if isinstance(source, Dataset) else Dataset.load(source)
        state = imports.dataset_job(self.root, self._next_uid(), dataset, item_type, name)
        return self._add(state, position)

    def import_result_group(
        self, csg_path: str | os.PathLike[str], *, position: tuple[float, float] | None = None
    ) -> Job:
        """A completed job holding a result group exported from CryoSPARC (a ``.csg``
        file and its ``.cs`` files), copied into the project (placed as ``add_job`` says)."""
        group = read_csg(csg_path)
        state = imports.result_group_job(self.root, self._next_uid(), group)
        return self._add(state, position)

    def _add(self, state: JobState, position: tuple[float, float] | None) -> Job:
        """Add ``state`` as one edit: at ``position``, kept as if moved by hand, or at a free
        spot (``graph.placement``)."""
        if position is not None:
            state.position, state.moved_by_hand = position, True
        self.apply(AddJob(state))
        return self.job(state.uid)

    def delete_job(self, uid: str, *, cascade: bool = False) -> None:
        """Delete a building job. One that other jobs use is refused, naming them; with
        ``cascade=True`` they are deleted too, as one edit that one undo reverts."""
        self.apply(DeleteJob(uid, cascade))

    def reserve_uid(self) -> str:
        """A uid for a job to be added by a later edit (a batch that builds several jobs);
        never given again, even if that edit is refused."""
        return self._next_uid()

    def reserve_uids(self, count: int) -> list[str]:
        """``count`` uids for jobs a later edit adds (``reserve_uid`` for many: saved once)."""
        return self._next_uids(count)

    def _next_uid(self) -> str:
        return self._next_uids(1)[0]

    def _next_uids(self, count: int) -> list[str]:
        if self.read_only:
            raise JobError(f"{self.root} is open read-only: no job can be added")
        linked = self.cryosparc_project
        # After CryoSPARC's last job folder, readable or not.
        after = cryosparc_link.last_job_number(linked) if linked is not None else 0
        return [f"J{n}" for n in self._folder.next_numbers(self._jobs, after, count)]

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
        """Check, save and record one edit; a refused edit changes nothing. Building jobs
        whose outputs follow from the edit (passthroughs, class groups) change with it."""
        if self.read_only:
            raise JobError(f"{self.root} is open read-only: {command.describe()} refused")
        changed = command.run(self._jobs)
        children = self._links.children(changed)
        changes = pipeline.refresh(self._jobs, changed, self._external, children)
        if not self._folder.awaits_layout:
            changes = placement.place(self._jobs, changes)
        elif any(state is not None and state.moved_by_hand for state in changes.values()):
            # The canvas's first layout (or any move) ends the wait: what it left at the
            # origin, made while it was being computed, is placed in the same edit.
            changes = placement.place(self._jobs, changes, placement.unplaced(self._jobs, changes))
        self._refuse_external_changes(command, changes)
        before = {uid: self._jobs.get(uid) for uid in changes}
        self._write(changes)
        self._history.record(Edit(command.describe(), before, changes))
        self._history.notify(changes)

    def undo(self) -> str | None:
        """Revert the last edit; returns what it was, or None when there is none."""
        edit = self._history.next_undo()
        if edit is None:
            return None
        self._write(edit.before)  # a failed save raises: the edit stays undoable
        self._history.undone()
        self._history.notify(edit.before)
        return edit.description

    def redo(self) -> str | None:
        """Apply again the last undone edit; returns what it was, or None."""
        edit = self._history.next_redo()
        if edit is None:
            return None
        self._write(edit.after)
        self._history.redone()
        self._history.notify(edit.after)
        return edit.description

    @property
    def history(self) -> list[str]:
        """Descriptions of the edits that ``undo`` would revert, oldest first."""
        return self._history.undo_descriptions

    @property
    def redo_history(self) -> list[str]:
        """Descriptions of the edits that ``redo`` would apply again, the next one last."""
        return self._history.redo_descriptions

    def downstream(self, uids: Iterable[str]) -> set[str]:
        """Uids of every job that reads, directly or not, from one of ``uids``."""
        return self._links.downstream(uids)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changed_uids)`` after every edit, undo and redo, whoever makes it
        (a widget uses this to redraw when a notebook cell edits the project). Returns a
        function that unsubscribes."""
        return self._history.subscribe(listener)

    def _refuse_external_changes(self, command: Command, changes: Changes) -> None:
        """CryoSPARC's jobs are read-only; only where the canvas draws them may change."""
        for uid, state in changes.items():
            if uid not in self._external:
                continue
            current = self._jobs[uid]
            if state is None or not placement.only_drawing_differs(state, current):
                raise JobError(
                    f"{uid} belongs to the CryoSPARC project {self.cryosparc_project}, which "
                    f"cryoweave never changes: {command.describe()} refused"
                )

    def _write(self, changes: Changes) -> None:
        """Save the changed jobs (``ProjectFolder.write``), then take them as current."""
        self._folder.write(changes, self._jobs, self._external)
        self._links.update(changes)
        added = any(uid not in self._jobs for uid in changes)
        for uid, state in changes.items():
            if state is None:
                self._jobs.pop(uid, None)
            else:
                self._jobs[uid] = state
        if added:
            self._jobs = project_jobs.by_number(self._jobs)

    # -- selections -----------------------------------------------------------------------

    def select_classes(self, job: str, classes: Iterable[int], title: str | None = None) -> Job:
        """A new completed job with the outputs of CryoSPARC's Select 2D, from the 2D
        classification ``job``: the particles of ``classes`` and their class averages, and
        the others excluded (one undoable edit; ``graph.selection``).

        Examples
        --------
        >>> picked = project.select_classes("J7", [0, 2, 3, 7])  # doctest: +SKIP
        >>> len(picked.load_output("particles_selected"))        # doctest: +SKIP
        """
        from .selection import select_classes

        return select_classes(self, job, classes, title)

    def select_particles(
        self,
        job: str,
        output: str,
        field: str,
        low: float | None = None,
        high: float | None = None,
        title: str | None = None,
    ) -> Job:
        """A new completed job splitting ``job.output``'s particles by whether the numeric
        ``field`` lies in ``[low, high]`` (one undoable edit; ``graph.selection``).

        Examples
        --------
        >>> project.select_particles("J3", "particles", "ctf/ctf_fit_to_A", high=6.0)
        ... # doctest: +SKIP
        """
        from .selection import select_particles

        return select_particles(self, job, output, field, low, high, title)


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
