"""What a job type takes and makes: input groups with slots, output groups with results.

Names follow CryoSPARC's job documents and cryosparc-tools: an *input* (group)
of one item type has *slots*, one per result it reads, each required or
optional; an *output* (group) holds *results*, and may pass through the results
of one input that the job did not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParamType = Literal["bool", "int", "float", "str", "choice"]
ParamValue = bool | int | float | str | None


@dataclass(frozen=True)
class SlotSpec:
    """One result an input reads: ``SlotSpec("blob", "particle.blob")``."""

    name: str
    type: str  # result type, "<item type>.<kind>"
    required: bool = True
    title: str = ""


@dataclass(frozen=True)
class InputSpec:
    """An input group: connect ``count_min`` to ``count_max`` (None: unlimited) groups."""

    name: str
    type: str  # item type: "particle", "exposure", "volume", "mask", ...
    title: str
    slots: tuple[SlotSpec, ...]
    count_min: int = 1
    count_max: int | None = None
    repeat_allowed: bool = False
    description: str = ""

    def slot(self, name: str) -> SlotSpec:
        for slot in self.slots:
            if slot.name == name:
                return slot
        raise KeyError(f"input {self.name!r} has no slot {name!r}")

    def requirements(self) -> str:
        """``"1 to unlimited groups, repeats not allowed"``, as the job builder says it."""
        upper = "unlimited" if self.count_max is None else str(self.count_max)
        count = (
            f"exactly {self.count_min}"
            if self.count_max == self.count_min
            else f"{self.count_min} to {upper}"
        )
        noun = "group" if self.count_max == 1 else "groups"
        repeats = "repeats allowed" if self.repeat_allowed else "repeats not allowed"
        return f"{count} {noun}, {repeats}"


@dataclass(frozen=True)
class ResultSpec:
    """One result of an output group: ``ResultSpec("map_half_A", "volume.blob")``."""

    name: str
    type: str


@dataclass(frozen=True)
class OutputSpec:
    """An output group; ``passthrough`` names the input whose unread results it carries."""

    name: str
    type: str
    title: str
    results: tuple[ResultSpec, ...]
    passthrough: str | None = None

    def result(self, name: str) -> ResultSpec:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"output {self.name!r} has no result {name!r}")


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a job type, named as CryoSPARC names it.

    ``key`` is CryoSPARC's own key (``class2D_K``), as cryosparc-tools' ``set_param`` and
    ``create_job(params=...)`` take it. ``default`` None with ``optional`` True means
    "not set" (CryoSPARC decides, or the parameter is off). A ``choice`` takes one of
    ``choices``; ``minimum``/``maximum`` bound an ``int`` or ``float`` (inclusive).
    """

    key: str
    title: str
    type: ParamType
    default: ParamValue
    section: str = ""
    advanced: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    optional: bool = False


@dataclass(frozen=True)
class JobSpec:
    """A job type: its CryoSPARC key, title, guide section and groups."""

    type: str
    title: str
    section: str
    description: str
    inputs: tuple[InputSpec, ...] = ()
    outputs: tuple[OutputSpec, ...] = ()
    tags: tuple[str, ...] = field(default=())
    params: tuple[ParamSpec, ...] = ()

    def param(self, key: str) -> ParamSpec:
        for spec in self.params:
            if spec.key == key:
                return spec
        raise KeyError(f"job type {self.type!r} has no parameter {key!r}")

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(f"job type {self.type!r} has no input {name!r}")

    def output(self, name: str) -> OutputSpec:
        for spec in self.outputs:
            if spec.name == name:
                return spec
        raise KeyError(f"job type {self.type!r} has no output {name!r}")
