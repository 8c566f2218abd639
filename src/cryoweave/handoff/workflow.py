"""CryoSPARC Workflow files, both ways: save a branch of building jobs, apply it elsewhere.

The file is the JSON CryoSPARC's Workflows export and import (fields of cryosparc-tools'
``cryosparc/models/workflow.py``, develop branch; ``WORKFLOW_SCHEMA`` states them):

- ``jobs``: each job of the branch by uid, with ``jobType``, ``title``, ``description``,
  ``parameters`` (``{key: {value, locked, visible, flagged, notes}}``), ``spec`` (its v5
  job spec), ``groups`` (``[["J5.particles", "particles"]]``: a source output and the input
  it connects to, in connection order) and ``individualResults`` (``[["J1.particles.blob",
  "J9.particles.0.blob"]]``: a result and the slot of one connection it fills);
- ``parents``: the jobs outside the branch it reads from, with their type and the groups
  it takes from them (``connections``: the inputs of the branch that read the group;
  ``required``: the slots those inputs require).

Individual results carry no version: a branch whose override reads an earlier version is
refused on export. An optional slot left empty is kept by the job's ``spec``: its
connection lists no result for that slot.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema

from ..data.atomic import atomic_write
from ..graph import JobError, Project
from ..graph.catalog import CATALOG
from ..graph.commands import AddJob, Batch, ClearSlot, Command, Connect, ConnectResult, SetParam
from ..graph.documents import to_v5
from ..graph.errors import ParameterError
from ..graph.params import check_param
from ..graph.project import state_from_spec

WORKFLOW_VERSION = "1.0.0"
CS_VERSION = "v5.0.3"  # the cryosparc-tools release whose job spec the files carry

_PARAMETER = {
    "type": "object",
    "required": ["value"],
    "properties": {
        "value": {"type": ["string", "integer", "number", "boolean", "null"]},
        "locked": {"type": "boolean"},
        "visible": {"type": "boolean"},
        "flagged": {"type": "boolean"},
        "notes": {"type": "string"},
    },
    "additionalProperties": False,
}
_PAIR = {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}
WORKFLOW_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "CryoSPARC workflow (cryosparc-tools models/workflow.py, develop branch)",
    "type": "object",
    "required": ["csVersion", "jobs"],
    "properties": {
        "_id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "category": {"type": "string"},
        "workflowVersion": {"type": "string"},
        "csVersion": {"type": "string"},
        "createdBy": {"type": ["string", "null"]},
        "updatedBy": {"type": ["string", "null"]},
        "pinned": {"type": "boolean"},
        "imported": {"type": "boolean"},
        "reference": {"type": "boolean"},
        "createdAt": {"type": "string"},
        "updatedAt": {"type": "string"},
        "parents": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["jobType"],
                "properties": {
                    "jobType": {"type": "string"},
                    "groups": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "connections": {"type": "array", "items": {"type": "string"}},
                                "required": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
        "jobs": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["jobType", "spec", "groups"],
                "properties": {
                    "jobType": {"type": "string"},
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "parameters": {"type": "object", "additionalProperties": _PARAMETER},
                    "spec": {"type": "object"},
                    "groups": {"type": "array", "items": _PAIR},
                    "individualResults": {"type": "array", "items": _PAIR},
                },
            },
        },
    },
}


class WorkflowRefused(JobError):
    """A workflow file that does not fit; ``reasons`` lists every problem."""

    def __init__(self, what: str, reasons: list[str]) -> None:
        super().__init__(f"{what}:\n" + "\n".join(f"- {r}" for r in reasons))
        self.reasons = reasons


# -- export ----------------------------------------------------------------------------------


def workflow_document(
    project: Project,
    jobs: Iterable[str],
    *,
    title: str = "",
    description: str = "",
    category: str = "",
) -> dict[str, Any]:
    """The workflow of the building ``jobs`` of ``project``, as a JSON-ready dict."""
    selected = list(dict.fromkeys(jobs))
    reasons = []
    for uid in selected:
        state = project.states.get(uid)
        if state is None:
            reasons.append(f"there is no job {uid}")
        elif state.status != "building":
            reasons.append(f"{uid} is {state.status}; a workflow holds building jobs")
        elif state.type not in CATALOG:
            reasons.append(f"{uid} is of a type CryoSPARC's workflows cannot create")
    if reasons:
        raise WorkflowRefused("cannot save the workflow", reasons)
    doc_jobs: dict[str, Any] = {}
    parents: dict[str, Any] = {}
    for uid in selected:
        state = project.state(uid)
        groups, individual = [], []
        for group in state.inputs:
            name = group.spec.name
            required = [slot.name for slot in group.spec.slots if slot.required]
            for index, connection in enumerate(group.connections):
                groups.append([f"{connection.job_uid}.{connection.group_name}", name])
                if connection.job_uid not in selected:
                    _parent_group(
                        project,
                        parents,
                        connection.job_uid,
                        connection.group_name,
                        f"{uid}.{name}",
                        required,
                    )
                for entry in connection.slots:
                    if entry.slot_name is None or not connection.is_override(entry):
                        continue
                    if entry.version != "F":
                        reasons.append(
                            f"{uid}.{name}[{index}].{entry.slot_name} reads version "
                            f"{entry.version} of {entry.job_uid}.{entry.group_name}."
                            f"{entry.result_name}: workflow files keep no result versions"
                        )
                    individual.append(
                        [
                            f"{entry.job_uid}.{entry.group_name}.{entry.result_name}",
                            f"{uid}.{name}.{index}.{entry.slot_name}",
                        ]
                    )
                    if entry.job_uid not in selected:
                        _parent_group(
                            project, parents, entry.job_uid, entry.group_name, f"{uid}.{name}", []
                        )
        spec = to_v5(state, project.project_uid).spec.model_dump(mode="json", by_alias=True)
        doc_jobs[uid] = {
            "jobType": state.type,
            "title": state.title,
            "description": state.description,
            "parameters": {
                key: {
                    "value": value,
                    "locked": False,
                    "visible": True,
                    "flagged": False,
                    "notes": "",
                }
                for key, value in state.params.items()
            },
            "spec": spec,
            "groups": groups,
            "individualResults": individual,
        }
    if reasons:
        raise WorkflowRefused("cannot save the workflow", reasons)
    return {
        "_id": "000000000000000000000000",
        "title": title or f"{project.title}: {', '.join(selected)}",
        "description": description,
        "category": category,
        "workflowVersion": WORKFLOW_VERSION,
        "csVersion": CS_VERSION,
        "parents": parents,
        "jobs": doc_jobs,
    }


def _parent_group(
    project: Project,
    parents: dict[str, Any],
    uid: str,
    output: str,
    reader: str,
    required: list[str],
) -> None:
    parent = parents.setdefault(uid, {"jobType": project.state(uid).type, "groups": {}})
    group = parent["groups"].setdefault(output, {"name": output, "connections": [], "required": []})
    if reader not in group["connections"]:
        group["connections"].append(reader)
    group["required"] = sorted(set(group["required"]) | set(required))


def export_workflow(
    project: Project,
    jobs: Iterable[str],
    path: str | os.PathLike[str],
    **fields: str,
) -> Path:
    """Write the workflow of ``jobs`` to ``path`` (JSON), atomically; returns the path."""
    doc = workflow_document(project, jobs, **fields)
    jsonschema.validate(doc, WORKFLOW_SCHEMA)
    data = json.dumps(doc, indent=1).encode()
    target = Path(path)
    atomic_write(str(target), lambda f: f.write(data))
    return target


# -- apply -----------------------------------------------------------------------------------


def read_workflow(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A workflow file, checked against ``WORKFLOW_SCHEMA``; every problem names the file."""
    source = Path(path)
    try:
        doc = json.loads(source.read_bytes())
    except (OSError, ValueError) as err:
        raise WorkflowRefused(f"{source} is not a readable workflow file", [str(err)]) from None
    errors = sorted(
        jsonschema.Draft202012Validator(WORKFLOW_SCHEMA).iter_errors(doc), key=lambda e: e.path
    )
    if errors:
        reasons = [f"{'.'.join(map(str, e.path)) or 'the file'}: {e.message}" for e in errors]
        raise WorkflowRefused(f"{source} is not a CryoSPARC workflow", reasons)
    return dict(doc)


def apply_workflow(
    project: Project, path: str | os.PathLike[str], parents: Mapping[str, str] | None = None
) -> list[str]:
    """Build the workflow's jobs in ``project`` on other parents, as one undoable edit.

    ``parents`` maps each parent the file names to a job of ``project``
    (``{"J5": "J12"}``); a parent not mapped is taken by its own uid. Returns the new
    jobs' uids, in the file's order.

    Raises
    ------
    WorkflowRefused
        With every reason the file does not fit (a missing parent, an input that does
        not take the parent's group, an unknown job type or parameter); nothing is made.
    """
    doc = read_workflow(path)
    mapping = dict(parents or {})
    reasons = []
    for uid, parent in doc.get("parents", {}).items():
        target = mapping.setdefault(uid, uid)
        state = project.states.get(target)
        if state is None:
            reasons.append(f"parent {uid} ({parent['jobType']}): there is no job {target}")
            continue
        for output in parent.get("groups", {}):
            if state.output(output) is None:
                known = ", ".join(g.spec.name for g in state.outputs) or "none"
                reasons.append(
                    f"parent {uid}: {target} has no output {output!r} (outputs: {known})"
                )
    order = _workflow_order(doc["jobs"])
    for uid in order:
        job = doc["jobs"][uid]
        if job["jobType"] not in CATALOG:
            reasons.append(f"{uid}: unknown job type {job['jobType']!r}")
            continue
        for key, parameter in job.get("parameters", {}).items():
            try:
                check_param(job["jobType"], key, parameter["value"])
            except ParameterError as err:
                reasons.append(f"{uid}: {err}")
        for source, _ in job["groups"]:
            if (
                source.split(".", 1)[0] not in doc["jobs"]
                and source.split(".", 1)[0] not in mapping
            ):
                reasons.append(
                    f"{uid} reads {source}, which is neither a job nor a parent of the file"
                )
    if reasons:
        raise WorkflowRefused(f"cannot apply {path}", reasons)
    new = {uid: project.reserve_uid() for uid in order}
    names = {**mapping, **new}
    commands: list[Command] = []
    for uid in order:
        job = doc["jobs"][uid]
        state = state_from_spec(new[uid], CATALOG[job["jobType"]], job.get("title") or None)
        state.description = job.get("description", "")
        commands.append(AddJob(state))
        commands += [
            SetParam(new[uid], key, parameter["value"])
            for key, parameter in job.get("parameters", {}).items()
        ]
        counts: dict[str, int] = {}
        for source, input_name in job["groups"]:
            source_uid, output = source.split(".", 1)
            commands.append(Connect(new[uid], input_name, names[source_uid], output))
            counts[input_name] = counts.get(input_name, 0) + 1
        for source, target in job.get("individualResults", []):
            source_uid, output, result = source.split(".", 2)
            _, input_name, index, slot = target.split(".", 3)
            commands.append(
                ConnectResult(
                    new[uid], input_name, int(index), slot, names[source_uid], output, result
                )
            )
        commands += _cleared_slots(new[uid], job, CATALOG[job["jobType"]])
    try:
        project.apply(Batch(f"apply workflow {doc.get('title') or path}", tuple(commands)))
    except (JobError, ValueError) as err:
        raise WorkflowRefused(f"cannot apply {path}", [str(err)]) from None
    return [new[uid] for uid in doc["jobs"]]


def _workflow_order(jobs: Mapping[str, Any]) -> list[str]:
    """The file's jobs, each after the jobs of the file it reads from."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(uid: str, path: tuple[str, ...]) -> None:
        if uid in seen:
            return
        if uid in path:
            raise WorkflowRefused(
                "cannot apply the workflow", [f"a cycle: {' -> '.join((*path, uid))}"]
            )
        for source, _ in jobs[uid]["groups"]:
            parent = source.split(".", 1)[0]
            if parent in jobs:
                visit(parent, (*path, uid))
        seen.add(uid)
        order.append(uid)

    for uid in jobs:
        visit(uid, ())
    return order


def _cleared_slots(uid: str, job: Mapping[str, Any], spec: Any) -> list[Command]:
    """Optional slots the saved job had left empty: its spec's connection names no result."""
    commands: list[Command] = []
    inputs = job.get("spec", {}).get("inputs", {})
    for input_spec in spec.inputs:
        saved = inputs.get(input_spec.name, {}) if isinstance(inputs, dict) else {}
        for index, connection in enumerate(saved.get("connections", []) or []):
            filled = {r.get("name") for r in connection.get("results", []) if isinstance(r, dict)}
            for slot in input_spec.slots:
                if not slot.required and slot.name not in filled:
                    commands.append(ClearSlot(uid, input_spec.name, index, slot.name))
    return commands
