"""The job model: job types, projects, connections, resolution, undo (no widget code)."""

from .documents import DocumentError
from .errors import ConnectionRefused, JobError, ParameterError, ProjectLocked
from .job import ExternalJob, Job
from .params import ParamState
from .paths import PathOutsideProject
from .pipeline import InputStatus
from .project import Project
from .resolve import FieldSource, Resolved
from .specs import InputSpec, JobSpec, OutputSpec, ParamSpec, ResultSpec, SlotSpec

__all__ = [
    "ConnectionRefused",
    "DocumentError",
    "ExternalJob",
    "FieldSource",
    "InputSpec",
    "InputStatus",
    "Job",
    "JobError",
    "JobSpec",
    "OutputSpec",
    "ParamSpec",
    "ParamState",
    "ParameterError",
    "PathOutsideProject",
    "Project",
    "ProjectLocked",
    "Resolved",
    "ResultSpec",
    "SlotSpec",
]
