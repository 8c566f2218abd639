"""A cryoweave project on disk: its document, one v5 ``J<n>/job.json`` per job, the lock.

The project document (``cryoweave_project.json``) holds what job documents have no place
for: the title, the linked CryoSPARC folder, where each job is drawn and which jobs were
moved by hand, the next job number, and the title and section of job types the catalog
lacks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from . import journal, storage
from .catalog import CATALOG
from .errors import JobError, SaveFailed
from .model import Changes, JobState
from .placement import only_drawing_differs


class ProjectFolder:
    """The files of one project, and the lock held while it is open for writing.

    Every save goes through the journal (``graph.journal``): the documents one edit
    changes are saved all or nothing. Opened for writing, a save that was interrupted is
    finished first; opened read-only, its documents are read in place of those on disk.
    """

    def __init__(self, root: Path, doc: dict[str, object], read_only: bool) -> None:
        self.root = root
        self._lock = None if read_only else storage.Lock(root)
        self._pending: dict[str, bytes | None] = {}
        self._stuck: str | None = None
        try:
            if read_only:
                self._pending = journal.pending(root) or {}
            elif journal.recover(root):
                doc = storage.read_project_document(root / storage.PROJECT_FILE)
            if storage.PROJECT_FILE in self._pending:
                data = self._pending[storage.PROJECT_FILE]
                doc = storage.read_project_document(root / storage.PROJECT_FILE, data)
        except BaseException:
            self.close()
            raise
        self.doc = doc

    def close(self) -> None:
        """Release the lock for other processes."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def linked(self) -> Path | None:
        """The CryoSPARC project folder this project shows, if any."""
        linked = self.doc.get("cryosparc_project")
        return Path(str(linked)) if linked else None

    @property
    def project_uid(self) -> str:
        """The uid the job documents carry (the linked CryoSPARC project's, else ``P1``)."""
        return str(self.doc.get("project_uid") or "P1")

    @property
    def awaits_layout(self) -> bool:
        """True until a job is first moved or placed by hand in a project made with
        ``await_layout`` (``Project.create``): no job is placed automatically before."""
        return self.doc.get(_AWAITS) is True

    @property
    def is_current(self) -> bool:
        """False for a project saved by an older cryoweave (format 1: v4-shaped documents)."""
        return self.doc.get("format") == storage.FORMAT

    # -- reading ----------------------------------------------------------------------

    def load_jobs(self) -> dict[str, JobState]:
        """This project's own jobs, with the type names the project document keeps."""
        if not (self.root / storage.PROJECT_FILE).is_file():
            return {}
        jobs = storage.load_jobs(self.root, self._pending)
        if self._lock is not None:  # opened for writing: no save of it is under way
            storage.remove_leftovers(self.root)
        linked = self.linked
        if linked is not None and not self.is_current:
            # cryoweave 0.1 kept CryoSPARC's metafiles as absolute paths; now they are
            # relative (read-only too: nothing is written until the project is upgraded).
            for state in jobs.values():
                for group in state.outputs:
                    for result in group.results:
                        result.metafiles = [_relative_to(linked, m) for m in result.metafiles]
        types = self.doc.get("types")
        for state in jobs.values():
            named = types.get(state.type) if isinstance(types, dict) else None
            if isinstance(named, dict):
                state.type_title = str(named.get("title", state.type_title))
                state.section = str(named.get("section", state.section))
        return jobs

    def place(self, jobs: Mapping[str, JobState]) -> None:
        """Put each job where the project document says it is drawn, marking those moved
        by hand."""
        positions = self.doc.get("positions")
        for uid, (x, y) in (positions if isinstance(positions, dict) else {}).items():
            if uid in jobs:  # checked when read (project_document.check)
                jobs[uid].position = (float(x), float(y))
        by_hand = self.doc.get(_BY_HAND)
        for uid in by_hand if isinstance(by_hand, list) else []:
            if uid in jobs:
                jobs[uid].moved_by_hand = True

    # -- writing ----------------------------------------------------------------------

    def next_numbers(self, taken: Collection[str], after: int = 0, count: int = 1) -> list[int]:
        """The numbers of the next ``count`` jobs: past ``after`` and every uid in
        ``taken``; saved once."""
        self._refuse_if_stuck()
        number = max(int(str(self.doc.get("next_job", 1))), after + 1)
        numbers: list[int] = []
        while len(numbers) < count:
            if f"J{number}" not in taken:
                numbers.append(number)
            number += 1
        doc = {**self.doc, "next_job": number}
        self._commit({storage.PROJECT_FILE: storage.json_bytes(doc)}, doc)
        return numbers

    def write(
        self, changes: Changes, jobs: Mapping[str, JobState], external: Collection[str]
    ) -> None:
        """Save ``changes`` against the current ``jobs``, all or nothing: documents of this
        project's own jobs (only where more than the position changed), and every moved
        job's position in the project document, CryoSPARC's jobs (``external``) included.

        Raises
        ------
        JobError
            When a document cannot be made (nothing is written), or ``SaveFailed`` when
            one cannot be written (the files are as before).
        """
        self._refuse_if_stuck()
        moved: dict[str, tuple[float, float]] = {}
        by_hand: dict[str, bool] = {}
        removed = []
        files: dict[str, bytes | None] = {}  # every document made before any is written
        for uid, state in changes.items():
            current = jobs.get(uid)
            if state is None:
                removed.append(uid)
                if uid not in external:
                    files[storage.job_file(uid)] = None
                continue
            if current is None or state.position != current.position:
                moved[uid] = state.position
            if current is None or state.moved_by_hand != current.moved_by_hand:
                by_hand[uid] = state.moved_by_hand
            only_moved = current is not None and only_drawing_differs(state, current)
            if uid not in external and not only_moved:
                files[storage.job_file(uid)] = storage.job_document(state, self.project_uid)
        doc = dict(self.doc)
        named = _name_types(doc, changes, external)
        if any(by_hand.values()):
            doc.pop(_AWAITS, None)  # the first move ends the wait for the canvas's layout
        if moved or removed or named or by_hand:
            _save_positions(doc, moved, removed)
            _save_by_hand(doc, by_hand, removed)
            files[storage.PROJECT_FILE] = storage.json_bytes(doc)
        self._commit(files, doc)

    def upgrade(self, own: Mapping[str, JobState], jobs: Mapping[str, JobState]) -> None:
        """A project of cryoweave 0.1 (v4-shaped documents, absolute paths into the linked
        CryoSPARC folder): every job rewritten as a v5 document, positions moved into the
        project document, all in one save."""
        files: dict[str, bytes | None] = {}
        for state in own.values():
            if state.type in _RENAMED_TYPES:
                spec = CATALOG[_RENAMED_TYPES[state.type]]
                state.type, state.type_title, state.section = spec.type, spec.title, spec.section
            files[storage.job_file(state.uid)] = storage.job_document(state, self.project_uid)
        doc = dict(self.doc)
        _name_types(doc, dict(own), ())
        doc["format"] = storage.FORMAT
        _save_positions(doc, {uid: s.position for uid, s in jobs.items()}, ())
        _save_by_hand(doc, {uid: s.moved_by_hand for uid, s in jobs.items()}, ())
        files[storage.PROJECT_FILE] = storage.json_bytes(doc)
        self._commit(files, doc)

    def _commit(self, files: journal.Changes, doc: dict[str, object]) -> None:
        """Save ``files`` all or nothing; ``doc`` becomes the project document once saved."""
        try:
            journal.commit(self.root, files)
        except SaveFailed as err:
            if (self.root / journal.JOURNAL).exists():
                # Neither finished nor undone: memory and disk would differ from here on.
                self._stuck = str(err)
            raise
        self.doc = doc

    def _refuse_if_stuck(self) -> None:
        if self._stuck is not None:
            raise JobError(
                f"{self.root}: an earlier save could not be finished nor undone; close the "
                f"project and open it again to finish it ({self._stuck})"
            )


def _name_types(doc: dict[str, object], changes: Changes, external: Collection[str]) -> bool:
    """Job types the catalog lacks (a spec of one's own) keep their title and section in
    the project document ``doc``, as v5 documents have no place for them; True when new."""
    saved = doc.get("types")
    types = dict(saved) if isinstance(saved, dict) else {}
    for uid, state in changes.items():
        if state is None or uid in external or state.type in CATALOG:
            continue
        entry = {"title": state.type_title, "section": state.section}
        if types.get(state.type) != entry:
            types[state.type] = entry
    if types == (saved or {}):
        return False
    doc["types"] = types
    return True


def _save_positions(
    doc: dict[str, object], moved: Mapping[str, tuple[float, float]], removed: Collection[str]
) -> None:
    saved = doc.get("positions")
    positions = dict(saved) if isinstance(saved, dict) else {}
    positions.update({uid: [x, y] for uid, (x, y) in moved.items()})
    for uid in removed:
        positions.pop(uid, None)
    doc["positions"] = positions


def _save_by_hand(
    doc: dict[str, object], by_hand: Mapping[str, bool], removed: Collection[str]
) -> None:
    """The document's list of jobs moved by hand, with ``by_hand``'s changes."""
    saved = doc.get(_BY_HAND)
    listed = dict.fromkeys(saved if isinstance(saved, list) else [])
    for uid, moved in by_hand.items():
        if moved:
            listed[uid] = None
        else:
            listed.pop(uid, None)
    for uid in removed:
        listed.pop(uid, None)
    doc[_BY_HAND] = list(listed)


# The project document's list of the jobs moved by hand (``JobState.moved_by_hand``), and
# whether no job is placed automatically until one is (``ProjectFolder.awaits_layout``).
_BY_HAND = "moved_by_hand"
_AWAITS = "awaits_layout"

# Catalog keys cryoweave 0.1 had wrong: its "Local Refinement" is CryoSPARC's
# new_local_refine (local_refine is CryoSPARC's legacy job).
_RENAMED_TYPES = {"local_refine": "new_local_refine"}


def _relative_to(root: Path, metafile: str) -> str:
    """cryoweave 0.1 kept CryoSPARC's metafiles as absolute paths; now they are relative."""
    path = Path(metafile)
    if path.is_absolute() and root in path.parents:
        return path.relative_to(root).as_posix()
    return metafile
