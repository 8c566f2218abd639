"""Writing files so that a crash never leaves a half-written one under the real name."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO


def atomic_write(path: str, write: Callable[[IO[bytes]], object], durable: bool = False) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it onto ``path``.

    A failure or crash part-way leaves any existing file at ``path`` untouched.
    ``durable`` also flushes the data to disk before the rename, so even a power
    cut leaves the old or the new content (worth it for small documents).
    """
    directory, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
