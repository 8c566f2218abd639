"""Typed errors of the job model."""

from __future__ import annotations


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
