"""What a CryoSPARC project folder holds, each folder listed once, links kept inside.

Symbolic links are normal in a CryoSPARC project (a job folder moved to other storage and
linked back, imported files linked in). A link is followed only while its real target stays
inside the project folder; a link that leaves it is reported, never followed. The project
folder itself may be reached through a link: what counts is where it really is.

Checking that thousands of metafiles exist must not cost a ``stat`` each: a folder is listed
once (``os.scandir`` says, without a ``stat``, which entries are files, folders and links),
and only the entries that are links cost a ``realpath`` and a ``stat``.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .paths import is_within


@dataclass
class Listing:
    """The entries of one folder of the project, links resolved."""

    files: set[str] = field(default_factory=set)
    """Names of regular files, directly or through a link that stays inside."""
    folders: set[str] = field(default_factory=set)
    """Names of folders, directly or through a link that stays inside."""
    outside: dict[str, str] = field(default_factory=dict)
    """Names of links whose real target is outside the project folder, with that target."""
    leaves: str | None = None
    """Why the folder itself is not followed (it is reached through a link that leaves)."""


def outside_link(target: str) -> str:
    """How a problem line says that a link leaves the folder."""
    return f"a symbolic link to {target}, outside the project folder"


class FolderIndex:
    """The listings of the folders of one project folder, each made on first use.

    Examples
    --------
    >>> index = FolderIndex(Path("/data/P3"))                   # doctest: +SKIP
    >>> "job.json" in index.listing("J42").files                # doctest: +SKIP
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self._listings: dict[str, Listing] = {}

    def listing(self, folder: str) -> Listing:
        """The entries of ``folder`` (relative to the root, ``""`` for the root itself,
        ``/`` between names, no ``.`` or ``..``). A folder that is not there, cannot be
        listed or is not a folder lists nothing; one reached through a link that leaves the
        project folder lists nothing and says so in ``leaves``."""
        found = self._listings.get(folder)
        if found is not None:
            return found
        listing = Listing()
        if folder:
            parent_path, _, name = folder.rpartition("/")
            parent = self.listing(parent_path)
            if parent.leaves is not None:
                listing.leaves = parent.leaves
            elif name in parent.outside:
                listing.leaves = f"{self.root / folder} is {outside_link(parent.outside[name])}"
            elif name in parent.folders:
                self._fill(listing, os.path.join(self.root, folder))
        else:
            self._fill(listing, os.fspath(self.root))
        self._listings[folder] = listing
        return listing

    def check(self, relative: str) -> tuple[str, str] | None:
        """What is wrong with the file at ``relative`` (a path of plain names):
        ``("outside", why)``, ``("missing", "")``, or None when it is a regular file inside
        the project folder."""
        folder, _, name = relative.rpartition("/")
        listing = self.listing(folder)
        if listing.leaves is not None:
            return ("outside", listing.leaves)
        if name in listing.files:
            return None
        if name in listing.outside:
            return ("outside", f"it is {outside_link(listing.outside[name])}")
        return ("missing", "")

    def check_any(self, relative: str) -> tuple[str, str] | None:
        """``check`` for a path of any text that does not leave the folder by its text
        (``./J9//x.cs``, names with spaces): resolved as a whole, one ``realpath``."""
        target = os.path.realpath(os.path.join(self.root, relative))
        if not is_within(self.real_root, target):
            return ("outside", f"it leads to {target}, outside the project folder")
        return None if os.path.isfile(target) else ("missing", "")

    def _fill(self, listing: Listing, path: str) -> None:
        files, folders = listing.files, listing.folders
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    try:  # the entry's type comes with the listing: no stat for these
                        if entry.is_symlink():
                            self._follow(listing, entry)
                        elif entry.is_file(follow_symlinks=False):
                            files.add(entry.name)
                        elif entry.is_dir(follow_symlinks=False):
                            folders.add(entry.name)
                    except OSError:
                        pass  # gone meanwhile: missing
        except OSError:
            pass  # not there, not a folder, not readable: nothing in it can be read

    def _follow(self, listing: Listing, entry: os.DirEntry[str]) -> None:
        """A link: kept when its real target is inside, as what that target is."""
        target = os.path.realpath(entry.path)
        if not is_within(self.real_root, target):
            listing.outside[entry.name] = target
            return
        try:
            mode = os.stat(target).st_mode
        except OSError:
            return  # a link that leads nowhere: missing
        if stat.S_ISREG(mode):
            listing.files.add(entry.name)
        elif stat.S_ISDIR(mode):
            listing.folders.add(entry.name)
