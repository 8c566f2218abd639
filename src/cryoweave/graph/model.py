"""The state of jobs, shaped like CryoSPARC's v4 job documents.

Plain dataclasses with ``to_doc``/``from_doc``: the JSON a project saves is the
document CryoSPARC keeps per job (``input_slot_groups`` with ``connections``,
``output_result_groups``, ``output_results`` with ``versions`` and ``metafiles``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from .specs import InputSpec, OutputSpec, ResultSpec, SlotSpec

Status = Literal["building", "queued", "running", "completed", "failed", "killed"]
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
    num_items: int = 0
    passthrough: bool = False

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

    # -- documents ------------------------------------------------------------------

    def to_doc(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "type": self.type,
            "type_title": self.type_title,
            "section": self.section,
            "title": self.title,
            "status": self.status,
            "ui_position": {"x": self.position[0], "y": self.position[1]},
            "input_slot_groups": [_input_doc(group) for group in self.inputs],
            "output_result_groups": [
                _output_group_doc(self.uid, i, group) for i, group in enumerate(self.outputs)
            ],
            "output_results": [
                _result_doc(self.uid, result) for group in self.outputs for result in group.results
            ],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> JobState:
        results: dict[str, list[OutputResult]] = {}
        for entry in doc["output_results"]:
            result = OutputResult(
                name=entry["name"],
                type=entry["type"],
                group_name=entry["group_name"],
                versions=list(entry["versions"]),
                metafiles=list(entry["metafiles"]),
                num_items=int(entry["num_items"]),
                passthrough=bool(entry["passthrough"]),
            )
            results.setdefault(result.group_name, []).append(result)
        outputs = []
        for group in doc["output_result_groups"]:
            spec = OutputSpec(
                name=group["name"],
                type=group["type"],
                title=group["title"],
                results=tuple(ResultSpec(r["name"], r["type"]) for r in group["contains"]),
                passthrough=group["passthrough"] or None,
            )
            outputs.append(
                OutputGroup(spec, results.get(group["name"], []), int(group["num_items"]))
            )
        position = doc.get("ui_position", {"x": 0.0, "y": 0.0})
        return cls(
            uid=doc["uid"],
            type=doc["type"],
            title=doc["title"],
            status=doc["status"],
            inputs=[_input_from_doc(group) for group in doc["input_slot_groups"]],
            outputs=outputs,
            position=(float(position["x"]), float(position["y"])),
            section=doc.get("section", ""),
            type_title=doc.get("type_title", ""),
        )


def _input_doc(group: InputGroup) -> dict[str, Any]:
    spec = group.spec
    return {
        "type": spec.type,
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "count_min": spec.count_min,
        "count_max": spec.count_max,
        "repeat_allowed": spec.repeat_allowed,
        "slots": [
            {
                "type": slot.type,
                "name": slot.name,
                "title": slot.title,
                "description": "",
                "optional": not slot.required,
            }
            for slot in spec.slots
        ],
        "connections": [
            {
                "job_uid": connection.job_uid,
                "group_name": connection.group_name,
                "slots": [
                    {
                        "slot_name": entry.slot_name,
                        "job_uid": entry.job_uid,
                        "group_name": entry.group_name,
                        "result_name": entry.result_name,
                        "result_type": entry.result_type,
                        "version": entry.version,
                    }
                    for entry in connection.slots
                ],
            }
            for connection in group.connections
        ],
    }


def _input_from_doc(doc: dict[str, Any]) -> InputGroup:
    spec = InputSpec(
        name=doc["name"],
        type=doc["type"],
        title=doc["title"],
        description=doc.get("description", ""),
        slots=tuple(
            SlotSpec(s["name"], s["type"], required=not s["optional"], title=s.get("title", ""))
            for s in doc["slots"]
        ),
        count_min=int(doc["count_min"]),
        count_max=doc["count_max"],
        repeat_allowed=bool(doc["repeat_allowed"]),
    )
    connections = [
        Connection(
            job_uid=c["job_uid"],
            group_name=c["group_name"],
            slots=[
                SlotConnection(
                    slot_name=s["slot_name"],
                    job_uid=s["job_uid"],
                    group_name=s["group_name"],
                    result_name=s["result_name"],
                    result_type=s["result_type"],
                    version=s["version"],
                )
                for s in c["slots"]
            ],
        )
        for c in doc["connections"]
    ]
    return InputGroup(spec, connections)


def _output_group_doc(job_uid: str, index: int, group: OutputGroup) -> dict[str, Any]:
    return {
        "uid": f"{job_uid}-G{index + 1}",
        "type": group.spec.type,
        "name": group.spec.name,
        "title": group.spec.title,
        "description": "",
        "contains": [
            {
                "uid": f"{job_uid}-{group.spec.name}-{result.name}",
                "type": result.type,
                "name": result.name,
                "group_name": group.spec.name,
                "passthrough": result.passthrough,
            }
            for result in group.results
        ],
        "passthrough": group.spec.passthrough or False,
        "num_items": group.num_items,
        "summary": {},
    }


def _result_doc(job_uid: str, result: OutputResult) -> dict[str, Any]:
    return {
        "uid": f"{job_uid}-{result.group_name}-{result.name}",
        "type": result.type,
        "name": result.name,
        "group_name": result.group_name,
        "title": result.name,
        "description": "",
        "versions": result.versions,
        "metafiles": result.metafiles,
        "min_fields": [],
        "num_items": result.num_items,
        "passthrough": result.passthrough,
    }
