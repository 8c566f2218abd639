"""Typed errors of the job model."""

from __future__ import annotations


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters; an integer of
    hundreds of digits is said as such. Never raises (an integer past Python's limit of
    digits for text has no ``repr``)."""
    try:
        text = repr(value)
    except ValueError:
        return "an integer of more than 4,300 digits"
    if isinstance(value, int) and not isinstance(value, bool) and len(text) > 24:
        return f"an integer of {len(text.lstrip('-'))} digits"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ConnectionRefused(ValueError):
    """A connection, override, clear or disconnect cannot be made; the message says why,
    naming both ends."""


class JobError(ValueError):
    """An operation on a job or project cannot be done as asked (no such job, wrong
    state, job in use)."""


class ProjectLocked(RuntimeError):
    """Another process has this project open for writing."""


class ParameterError(JobError):
    """A parameter cannot be set as asked: unknown name (closest names suggested), wrong
    type, out of range or not one of the choices."""


class SaveFailed(JobError):
    """An edit could not be saved (a file could not be written); the message names the
    file. The project is as before the edit, on disk and in memory."""
