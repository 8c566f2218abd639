"""Writing files so that a crash never leaves a half-written one under the real name."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from typing import IO

# The temporary file is created, never opened if something is already there (a link an
# attacker left, a file of another process): O_EXCL, and O_NOFOLLOW for a link.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")


def temporary_name(path: str) -> str:
    """A fresh name beside ``path`` for its next content: ``.<name>.<random>.tmp``."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")


def is_temporary(name: str) -> bool:
    """True for a name ``temporary_name`` makes (one a killed process may have left):
    ``.job.json.0123456789ab.tmp``, never ``notes.tmp`` or ``.cache.tmp``."""
    return _TEMPORARY.fullmatch(name) is not None


def atomic_write(path: str, write: Callable[[IO[bytes]], object], durable: bool = False) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it onto ``path``.

    A failure or crash part-way leaves any existing file at ``path`` untouched (a
    symbolic link at ``path`` is replaced, never written through). ``durable`` also
    flushes the data to disk before the rename, so even a power cut leaves the old or the
    new content (worth it for small documents).
    """
    tmp = temporary_name(path)
    fd = os.open(tmp, _CREATE, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def sync_folder(path: str) -> None:
    """Make the names in folder ``path`` (a rename, a new or removed file) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
