"""Typed errors of the dataset layer."""

from __future__ import annotations

import os

from cryosparc.errors import DatasetLoadError


class CsFormatError(ValueError, DatasetLoadError):  # type: ignore[misc]
    """A ``.cs`` file is malformed: the message names the file and the problem.

    Raised instead of any other exception when reading untrusted bytes, so a
    caller can catch one type and show the reason to a person. It is also
    cryosparc-tools' ``DatasetLoadError``, so code written for the peer's
    ``Dataset.load`` catches it as before.
    """

    def __init__(self, path: str | os.PathLike[str] | None, problem: str) -> None:
        self.path = None if path is None else os.fspath(path)
        self.problem = problem
        where = self.path if self.path is not None else "<in-memory data>"
        super().__init__(f"{where}: {problem}")


class DatasetError(ValueError):
    """An operation on datasets cannot be done as asked (join, append, fields).

    Where cryosparc-tools refuses with ``AssertionError`` (a mask of the wrong length,
    a repeated uid in an append, datasets of different lengths to interlace, fields
    that differ under ``assert_same_fields``, a dropped row under ``assert_no_drop``),
    cryoweave raises this ``ValueError`` instead, on purpose: an assertion reports a
    bug in the program and vanishes under ``python -O``, while these are refusals of
    the data given. Catch ``ValueError`` (or ``DatasetError``) for both. Where the peer
    raises ``KeyError`` (an unknown field) or ``TypeError`` (an unknown save format),
    so does cryoweave.
    """


class UnknownFormat(DatasetError, TypeError):
    """``save`` was asked for a ``.cs`` layout that does not exist.

    A ``ValueError`` like every refusal here, and the ``TypeError`` cryosparc-tools
    raises for it, so code written for either catches it.
    """
