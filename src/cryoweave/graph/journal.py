"""Saving several documents all or nothing: a write-ahead journal, as databases keep one.

One edit may change several files: the job edited, the building jobs downstream whose
passthroughs follow from it, and the project document (positions, job types). A rename
makes one file's change atomic, not a set of them, so a save goes in three steps:

1. The journal, ``.cryoweave.journal``, holding every changed file's new content (or its
   removal) and a checksum, is written beside the documents and renamed into place, then
   flushed to disk. Until that rename nothing has changed.
2. Each document is replaced in turn, each by its own atomic rename.
   (A save of one file is that rename alone.)
3. The journal is removed: the save is done.

A process killed after step 1 leaves the journal: the next ``Project.open`` for writing
plays it again (``recover``), so the project is as after the edit; opened read-only, the
journal's contents are read in place of the documents (``pending``), so it shows the same.
Against a power cut, the journal and each document's content are flushed to disk before
they are renamed into place, and the journal's folder after its rename; the documents'
folders are not flushed one by one (two more waits on the disk per document), as the
file systems Linux uses write renames in the order they were made.

A write refused in step 2 (permissions, a full disk) puts back the documents already
replaced, from their contents read before, and removes the journal: the project is as
before the edit, and ``SaveFailed`` names the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from ..data.atomic import atomic_write, sync_folder
from ..data.files import FileRefused, read_regular
from .errors import SaveFailed

JOURNAL = ".cryoweave.journal"
_MAGIC = b"cryoweave journal 1\n"
# The only files a journal may name: the project document and job documents.
_NAMES = re.compile(r"cryoweave_project\.json|J[1-9][0-9]{0,8}/job\.json")

Changes = Mapping[str, bytes | None]
"""Relative path (``J3/job.json``) -> the file's new content, or None to remove it."""


def commit(root: Path, changes: Changes) -> None:
    """Save ``changes`` under ``root`` all or nothing (see the module's docstring).

    Raises
    ------
    SaveFailed
        When a file cannot be written; the files are as before, or, if even putting them
        back failed, the journal is kept and the next open finishes the save.
    """
    if not changes:
        return
    for name in changes:
        if not _NAMES.fullmatch(name):
            raise ValueError(f"the journal cannot hold {name!r}")
    if len(changes) == 1:  # one file: its own rename is all or nothing
        ((name, data),) = changes.items()
        try:
            _put(root, name, data)
        except OSError as err:
            raise SaveFailed(
                f"{root / name}: cannot be written ({_why(err)}); nothing was saved"
            ) from None
        return
    before = {name: _current(root, name) for name in changes}
    journal = root / JOURNAL
    try:
        atomic_write(str(journal), lambda f: f.write(_encode(changes)), durable=True)
        sync_folder(str(root))
    except OSError as err:
        raise SaveFailed(f"{journal}: cannot be written ({_why(err)}); nothing was saved") from None
    done: list[str] = []
    failed = root
    try:
        for name, data in changes.items():
            failed = root / name
            _put(root, name, data)
            done.append(name)
    except OSError as err:
        _undo(root, journal, {name: before[name] for name in reversed(done)}, failed, err)
        raise SaveFailed(f"{failed}: cannot be written ({_why(err)}); nothing was saved") from None
    try:
        journal.unlink()
    except OSError as err:  # saved, but a journal left would be played again over later edits
        raise SaveFailed(
            f"{journal}: cannot be removed ({_why(err)}); the edit is saved, and is taken "
            "as done when the project is next opened for writing"
        ) from None


def pending(root: Path) -> dict[str, bytes | None] | None:
    """The changes of a save that was interrupted (a journal left), or None.

    Raises
    ------
    SaveFailed
        When the journal is damaged (it never is after a crash, only if something else
        changed it): the project is not opened, so nothing is guessed.
    """
    path = root / JOURNAL
    if not os.path.lexists(path):
        return None
    try:
        data = read_regular(path, limit=1 << 31)
    except FileRefused as err:
        raise SaveFailed(f"{err}; it holds an interrupted save of this project") from None
    changes = _decode(data)
    if changes is None:
        raise SaveFailed(
            f"{path}: the journal of an interrupted save is damaged; the project's documents "
            "may be part-way through that save. Move the journal away to open the project "
            "as its documents are."
        )
    return changes


def recover(root: Path) -> bool:
    """Finish an interrupted save (play its journal again); True when there was one."""
    changes = pending(root)
    if changes is None:
        return False
    try:
        for name, data in changes.items():
            _put(root, name, data)
        _sync(root, changes)
        (root / JOURNAL).unlink()
    except OSError as err:
        raise SaveFailed(
            f"{root / JOURNAL}: an interrupted save cannot be finished ({_why(err)}); "
            "the project is not opened for writing"
        ) from None
    return True


# -- the file --------------------------------------------------------------------------------


def _encode(changes: Changes) -> bytes:
    entries = [{"path": name, "size": None if d is None else len(d)} for name, d in changes.items()]
    body = _MAGIC + json.dumps(entries).encode() + b"\n"
    body += b"".join(d for d in changes.values() if d is not None)
    return body + hashlib.sha256(body).hexdigest().encode() + b"\n"


def _decode(data: bytes) -> dict[str, bytes | None] | None:
    """The changes a journal holds, or None when it is not whole and ours."""
    body, digest = data[:-65], data[-65:-1]
    if not data.startswith(_MAGIC) or hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    header, _, contents = body[len(_MAGIC) :].partition(b"\n")
    try:
        entries = json.loads(header)
    except ValueError:
        return None
    changes: dict[str, bytes | None] = {}
    offset = 0
    for entry in entries if isinstance(entries, list) else [None]:
        name = entry.get("path") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not _NAMES.fullmatch(name):
            return None
        if size is None:
            changes[name] = None
            continue
        if not isinstance(size, int) or size < 0 or offset + size > len(contents):
            return None
        changes[name] = contents[offset : offset + size]
        offset += size
    return changes if offset == len(contents) else None


# -- the documents ---------------------------------------------------------------------------


def _current(root: Path, name: str) -> bytes | None:
    """What ``name`` holds now (None: no file), to put back if the save fails."""
    path = root / name
    if not os.path.lexists(path):
        return None
    try:
        return read_regular(path)
    except FileRefused as err:
        raise SaveFailed(f"{err}; nothing was saved") from None


def _put(root: Path, name: str, data: bytes | None) -> None:
    """Give ``name`` its content ``data`` (atomically), or remove it (None); a job folder
    left empty goes too."""
    path = root / name
    if data is None:
        if os.path.lexists(path):
            os.unlink(path)
        folder = path.parent
        if folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return
    if path.parent != root:
        path.parent.mkdir(exist_ok=True)
    atomic_write(str(path), lambda f: f.write(data), durable=True)


def _sync(root: Path, changes: Changes) -> None:
    """Flush the folders whose names changed (after a recovery, which is rare)."""
    folders = {root}
    folders.update(root / name.partition("/")[0] for name in changes if "/" in name)
    for folder in folders:
        if folder.is_dir():
            sync_folder(str(folder))


def _undo(
    root: Path,
    journal: Path,
    before: Mapping[str, bytes | None],
    failed: Path,
    err: OSError,
) -> None:
    """Put back the documents already replaced; on failure keep the journal (the next open
    finishes the save) and say so."""
    try:
        for name, data in before.items():
            _put(root, name, data)
        journal.unlink()
    except OSError as again:
        raise SaveFailed(
            f"{failed}: cannot be written ({_why(err)}), and the files already saved could not "
            f"be put back ({_why(again)}). The journal {journal} is kept: the edit is finished "
            "when the project is next opened for writing"
        ) from None


def _why(err: OSError) -> str:
    return err.strerror or str(err)
