"""Typed errors of the dataset layer."""

from __future__ import annotations

import os


class CsFormatError(ValueError):
    """A ``.cs`` file is malformed: the message names the file and the problem.

    Raised instead of any other exception when reading untrusted bytes, so a
    caller can catch one type and show the reason to a person.
    """

    def __init__(self, path: str | os.PathLike[str] | None, problem: str) -> None:
        self.path = None if path is None else os.fspath(path)
        self.problem = problem
        where = self.path if self.path is not None else "<in-memory data>"
        super().__init__(f"{where}: {problem}")


class DatasetError(ValueError):
    """An operation on datasets cannot be done as asked (join, append, fields)."""
