"""The job model: job types, projects, connections, resolution, undo (no widget code)."""

from .errors import ConnectionRefused, JobError, ProjectLocked
from .job import ExternalJob, Job
from .project import Project
from .resolve import FieldSource
from .specs import InputSpec, JobSpec, OutputSpec, ResultSpec, SlotSpec

__all__ = [
    "ConnectionRefused",
    "ExternalJob",
    "FieldSource",
    "InputSpec",
    "Job",
    "JobError",
    "JobSpec",
    "OutputSpec",
    "Project",
    "ProjectLocked",
    "ResultSpec",
    "SlotSpec",
]
