"""Opening files named by documents: regular files only, never a hang, never unbounded.

A path in a job document, a ``.csg`` or a project document may name a named pipe (an
``open`` would wait for a writer forever), a device (``/dev/zero`` never ends), a folder
or a socket. Every read of such a path goes through ``open_regular`` or ``read_regular``:
the file is opened without blocking and checked on its descriptor, so what is checked is
what is read.
"""

from __future__ import annotations

import os
import stat
from typing import IO

# Job and project documents are small: CryoSPARC's largest are a few MB.
DOCUMENT_LIMIT = 64 * 1024 * 1024


class FileRefused(OSError):
    """A file named by a document cannot be read as one: not a regular file, too large,
    or not there. The message names the file and the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FileMissing(FileRefused, FileNotFoundError):
    """The file named is not there; also a ``FileNotFoundError``, as for any missing file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` for reading in binary mode if it is a regular file (links followed).

    Raises
    ------
    FileRefused
        When it is missing (``FileMissing``), unreadable, a folder, a named pipe, a device
        or a socket; nothing waits on a pipe.
    """
    fd, _ = _open_checked(path)
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_checked(path: str | os.PathLike[str]) -> tuple[int, int]:
    """A descriptor of the regular file ``path``, opened without blocking, and its size."""
    try:
        # O_NONBLOCK: opening a named pipe with no writer returns at once instead of waiting.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except IsADirectoryError:
        raise FileRefused(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise FileMissing(path, "does not exist") from None
    except OSError as err:
        raise FileRefused(path, f"cannot be opened ({err.strerror or err})") from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused(path, f"is {_kind(status.st_mode)}, not a regular file")
        return fd, status.st_size
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int = DOCUMENT_LIMIT) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises
    ------
    FileRefused
        As ``open_regular``, and when the file holds more than ``limit`` bytes (the file
        is not read past the limit, so a file that grows while read is refused too).
    """
    # Read on the descriptor (a regular file never blocks): a file object costs more than
    # the read of a small document.
    fd, size = _open_checked(path)
    try:
        if size > limit:
            raise FileRefused(path, f"holds {size:,} bytes, more than the {limit:,} allowed")
        try:
            # As large as the file, not the limit: a read of ``limit`` bytes would allocate
            # (and free) that much for every small document. Then on to the end (a file
            # that grew), in small reads, never past the limit.
            data = os.read(fd, size + 1)
            while len(data) <= limit:
                more = os.read(fd, min(limit + 1 - len(data), 1 << 16))
                if not more:
                    break
                data += more
        except OSError as err:
            raise FileRefused(path, f"cannot be read ({err.strerror or err})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileRefused(path, f"holds more than the {limit:,} bytes allowed")
    return data
