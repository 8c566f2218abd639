"""Where the files a job document names may be: inside the project, never outside.

A metafile path in a job document is relative to the project folder
(``J42/J42_particles.cs``, or ``>J42/...`` as exports write it). An absolute path, or one
whose ``..`` leaves the folder, is never legitimate: it is refused here, before any file
is opened, so no document and no request from the canvas can make cryoweave read
elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import JobError


class PathOutsideProject(JobError):
    """A document named a file outside its project folder."""


def parts(metafile: str) -> list[str]:
    """The names along ``metafile`` (``>`` dropped), as ``PurePosixPath.parts`` has them for
    a relative path: empty and ``.`` parts left out, ``..`` kept."""
    relative = metafile[1:] if metafile.startswith(">") else metafile
    return [part for part in relative.split("/") if part not in ("", ".")]


def outside_reason(metafile: str, folder: str = "the project folder") -> str | None:
    """Why ``metafile`` may not be read (absolute, or leaving ``folder``); None when fine."""
    relative = metafile[1:] if metafile.startswith(">") else metafile
    if not relative:
        return "the path is empty"
    if "\0" in relative:
        return "the path holds a NUL byte"
    if relative.startswith("/") or os.path.isabs(relative):
        return "the path is absolute"
    depth = 0
    for part in parts(relative):
        depth += -1 if part == ".." else 1
        if depth < 0:
            return f"the path leaves {folder}"
    return None


def confined(root: Path, metafile: str) -> Path:
    """``metafile`` as a path inside ``root``.

    Raises
    ------
    PathOutsideProject
        When the path is absolute or leaves ``root``; the file is not touched.
    """
    reason = outside_reason(metafile)
    if reason:
        raise PathOutsideProject(f"{metafile!r} is not read: {reason} (project folder {root})")
    relative = metafile[1:] if metafile.startswith(">") else metafile
    return root / relative
