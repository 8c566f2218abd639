"""Where the files a job document names may be: inside the project, never outside.

A metafile path in a job document is relative to the project folder
(``J42/J42_particles.cs``, or ``>J42/...`` as exports write it). An absolute path, or one
whose ``..`` leaves the folder, is never legitimate: it is refused from its text alone.
Symbolic links are normal inside CryoSPARC projects and are followed while their target
stays inside the folder; a link whose real target lands outside is refused too. Every
check happens before any file is opened, so no document and no request from the canvas
can make cryoweave read elsewhere.
"""

from __future__ import annotations

import os
import stat
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
    """Why ``metafile`` may not be read (absolute, or leaving ``folder``); None when fine.
    Only the text is looked at: ``confined`` also follows links."""
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


def placed(root: Path, metafile: str, folder: str = "the project folder") -> Path:
    """``metafile`` as a path below ``root``, from its text alone: for showing where a file
    is, never for opening it (``confined`` is for that).

    Raises
    ------
    PathOutsideProject
        When the path is absolute or leaves ``root``.
    """
    reason = outside_reason(metafile, folder)
    if reason:
        raise PathOutsideProject(f"{metafile!r} is not read: {reason} ({folder} is {root})")
    relative = metafile[1:] if metafile.startswith(">") else metafile
    return root / relative


def confined(root: Path, metafile: str, folder: str = "the project folder") -> Path:
    """``metafile`` as a path inside ``root``, symbolic links followed only while they
    stay inside ``root`` (``root`` itself may be a link: its real folder counts).

    Raises
    ------
    PathOutsideProject
        When the path is absolute, leaves ``root``, or a link on the way leads outside
        ``root``; the file is not opened.
    """
    path = placed(root, metafile, folder)
    reason = _link_outside(root, parts(metafile), folder)
    if reason:
        raise PathOutsideProject(f"{metafile!r} is not read: {reason} ({folder} is {root})")
    return path


def _link_outside(root: Path, names: list[str], folder: str) -> str | None:
    """Why the path ``names`` below ``root`` leads outside it through a link; None when it
    stays inside (or stops at a missing name: nothing there to read).

    Each name is looked at once (``lstat``): only a path that holds a link pays for
    resolving it and the root (``realpath``), so the common case costs a stat per name.
    """
    current = os.fspath(root)
    for name in names:
        current = os.path.join(current, name)
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            target = os.path.realpath(os.path.join(root, *names))
            if not is_within(os.path.realpath(root), target):
                return f"a symbolic link leads it to {target}, outside {folder}"
            return None
    return None


def is_within(real_root: str, real_path: str) -> bool:
    """Is ``real_path`` the folder ``real_root`` or inside it (both with links resolved)?"""
    return real_path == real_root or real_path.startswith(os.path.join(real_root, ""))
