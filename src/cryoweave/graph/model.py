"""The state of jobs: inputs with their connections, outputs with their results.

Plain dataclasses, independent of any file format; ``graph.documents`` turns them into
CryoSPARC's job documents and back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Literal

from .specs import InputSpec, OutputSpec, ParamValue

# CryoSPARC's job statuses (cryosparc-tools' ``JobStatus``), in the order a job goes through them.
Status = Literal[
    "building",
    "queued",
    "launched",
    "started",
    "running",
    "waiting",
    "completed",
    "killed",
    "failed",
]
Version = int | Literal["F"]


@dataclass
class SlotConnection:
    """What fills one slot of a connection (``slot_name`` None: a passthrough result)."""

    slot_name: str | None
    job_uid: str
    group_name: str
    result_name: str
    result_type: str
    version: Version = "F"

    def label(self) -> str:
        """``J3.particles.blob`` (with ``@v2`` when not the final version)."""
        return result_label(self.job_uid, self.group_name, self.result_name, self.version)


def uid_number(uid: str) -> int:
    """``"J42"`` -> 42, ``"P3"`` -> 3 (0 for a uid without a number): jobs are listed by
    number, as CryoSPARC lists them."""
    digits = uid[1:]
    return int(digits) if digits.isdigit() else 0


def result_label(job_uid: str, group_name: str, result_name: str, version: Version) -> str:
    """How a result of a job's output is named to people: ``J3.particles.blob@v2``."""
    at = "" if version == "F" else f"@v{version}"
    return f"{job_uid}.{group_name}.{result_name}{at}"


@dataclass
class Connection:
    """One output group connected to an input group, slot by slot."""

    job_uid: str
    group_name: str
    slots: list[SlotConnection]

    def slot(self, name: str) -> SlotConnection | None:
        for entry in self.slots:
            if entry.slot_name == name:
                return entry
        return None

    def passthroughs(self) -> list[SlotConnection]:
        return [entry for entry in self.slots if entry.slot_name is None]

    def is_override(self, entry: SlotConnection) -> bool:
        """True when a slot is filled from elsewhere than this connection's group."""
        return (
            (entry.job_uid, entry.group_name) != (self.job_uid, self.group_name)
            or (entry.slot_name is not None and entry.result_name != entry.slot_name)
            or entry.version != "F"
        )


@dataclass
class InputGroup:
    spec: InputSpec
    connections: list[Connection] = field(default_factory=list)


@dataclass
class OutputResult:
    """One result of an output group, with one metafile per saved version."""

    name: str
    type: str
    group_name: str
    versions: list[int] = field(default_factory=list)
    metafiles: list[str] = field(default_factory=list)
    item_counts: list[int] = field(default_factory=list)
    """How many items each version's metafile holds (v5 documents keep one per version)."""
    passthrough: bool = False

    @property
    def num_items(self) -> int:
        """How many items the final version holds (0 before any is saved)."""
        return self.item_counts[-1] if self.item_counts else 0

    def metafile(self, version: Version) -> str:
        """The ``.cs`` file (relative to the project) holding ``version``."""
        if not self.versions:
            raise KeyError(f"result {self.group_name}.{self.name} has no saved version")
        if version == "F":
            return self.metafiles[-1]
        if version not in self.versions:
            raise KeyError(
                f"result {self.group_name}.{self.name} has no version {version} "
                f"(versions: {self.versions}, or 'F')"
            )
        return self.metafiles[self.versions.index(version)]


@dataclass
class OutputGroup:
    spec: OutputSpec
    results: list[OutputResult]
    num_items: int = 0

    def result(self, name: str) -> OutputResult | None:
        for result in self.results:
            if result.name == name:
                return result
        return None


@dataclass
class JobState:
    """Everything a project knows about one job."""

    uid: str
    type: str
    title: str
    status: Status
    inputs: list[InputGroup]
    outputs: list[OutputGroup]
    position: tuple[float, float] = (0.0, 0.0)
    section: str = ""
    type_title: str = ""
    params: dict[str, ParamValue] = field(default_factory=dict)
    """The parameters set on this job (by key); the type's defaults hold for the rest."""
    description: str = ""
    moved_by_hand: bool = False
    """Placed by a person (moved, or created at a given position): ``graph.placement``
    never moves it. Kept in the project document, as ``position`` is."""

    def input(self, name: str) -> InputGroup | None:
        return next((group for group in self.inputs if group.spec.name == name), None)

    def output(self, name: str) -> OutputGroup | None:
        return next((group for group in self.outputs if group.spec.name == name), None)

    def upstream(self) -> set[str]:
        """Uids of the jobs this job's inputs read from, overrides included."""
        uids = set()
        for group in self.inputs:
            for connection in group.connections:
                uids.add(connection.job_uid)
                uids.update(entry.job_uid for entry in connection.slots)
        return uids

    def clone(self) -> JobState:
        return copy.deepcopy(self)


Changes = dict[str, JobState | None]
"""What one edit changes: uid -> the job's new state (None: the job is removed)."""
