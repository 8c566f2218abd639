"""CryoSPARC Workflow files, both ways: save a branch of building jobs, apply it elsewhere.

The file is the JSON CryoSPARC's Workflows export and import (fields of cryosparc-tools'
``cryosparc/models/workflow.py``, develop branch; ``WORKFLOW_SCHEMA`` states them):

- ``jobs``: each job of the branch by uid, with ``jobType``, ``title``, ``description``,
  ``parameters`` (``{key: {value, locked, visible, flagged, notes}}``), ``spec`` (its v5
  job spec; CryoSPARC 4 writes none), ``groups`` (``[["J5.particles", "particles"]]``: a
  source output and the input it connects to, in connection order) and
  ``individualResults`` (``[["J1.particles.blob", "J9.particles.0.blob"]]``: a result and
  the slot of one connection it fills);
- ``parents``: the jobs outside the branch it reads from, with their type and the groups
  it takes from them (``connections``: the inputs of the branch that read the group;
  ``required``: the slots those inputs require).

Individual results carry no version: a branch whose override reads an earlier version is
refused on export. An optional slot left empty is kept by the job's ``spec``: its
connection lists no result for that slot. Files of every CryoSPARC version that writes
them are read (``workflow_file``); a parameter cryoweave's catalog does not know is kept,
passed on unchanged, and said in ``AppliedWorkflow.notices``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data.atomic import atomic_write
from ..graph import JobError, Project
from ..graph.catalog import CATALOG
from ..graph.commands import AddJob, Batch, ClearSlot, Command, Connect, ConnectResult, SetParam
from ..graph.documents import to_v5
from ..graph.errors import ConnectionRefused
from ..graph.model import Changes
from ..graph.project import state_from_spec
from ..graph.rules import Jobs
from .workflow_file import (
    WORKFLOW_SCHEMA,
    FileJob,
    WorkflowRefused,
    parse_workflow,
    read_workflow,
    schema_errors,
)

__all__ = [
    "WORKFLOW_SCHEMA",
    "AppliedWorkflow",
    "WorkflowRefused",
    "apply_workflow",
    "export_workflow",
    "read_workflow",
    "workflow_document",
]

WORKFLOW_VERSION = "1.0.0"
CS_VERSION = "v5.0.3"  # the cryosparc-tools release whose job spec the files carry


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
    reasons = schema_errors(doc)
    if reasons:  # a bug in cryoweave, not in the user's jobs
        raise AssertionError(f"the workflow written to {path} does not fit the schema: {reasons}")
    data = json.dumps(doc, indent=1).encode()
    target = Path(path)
    atomic_write(str(target), lambda f: f.write(data))
    return target


# -- apply -----------------------------------------------------------------------------------


class AppliedWorkflow(list[str]):
    """The uids of the jobs a workflow made, in the file's order, and its ``notices``: one
    line per parameter the catalog does not know, kept and passed to CryoSPARC unchanged
    (``J15 (the file's J10, homo_refine_new): parameter 'crg_do_anisomag' = True ...``)."""

    def __init__(self, uids: Iterable[str], notices: list[str]) -> None:
        super().__init__(uids)
        self.notices = notices


def apply_workflow(
    project: Project, path: str | os.PathLike[str], parents: Mapping[str, str] | None = None
) -> AppliedWorkflow:
    """Build the workflow's jobs in ``project`` on other parents, as one undoable edit.

    ``parents`` maps each parent the file names to a job of ``project``
    (``{"J5": "J12"}``); a parent not mapped is taken by its own uid. Returns the new
    jobs' uids, in the file's order, with the notices of what was kept unknown.

    Raises
    ------
    WorkflowRefused
        With every reason the file does not fit (a missing parent, an input that does
        not take the parent's group, an unknown job type, a malformed entry, a known
        parameter's wrong value), each naming the file's job and the entry; nothing is
        made.
    """
    what = f"cannot apply {os.fspath(path)}"
    doc = read_workflow(path)
    mapping = _mapping(what, parents)
    workflow, reasons = parse_workflow(doc, mapping)
    for uid, (job_type, outputs) in workflow.parents.items():
        target = mapping.setdefault(uid, uid)
        state = project.states.get(target)
        if state is None:
            reasons.append(f"parent {uid} ({job_type}): there is no job {target}")
            continue
        for output in outputs:
            if state.output(output) is None:
                known = ", ".join(g.spec.name for g in state.outputs) or "none"
                reasons.append(
                    f"parent {uid}: {target} has no output {output!r} (outputs: {known})"
                )
    if reasons:
        raise WorkflowRefused(what, reasons)
    new = dict(
        zip(
            [job.uid for job in workflow.jobs],
            project.reserve_uids(len(workflow.jobs)),
            strict=True,
        )
    )
    names = {**mapping, **new}
    commands: list[Command] = []
    notices: list[str] = []
    for job in workflow.jobs:
        commands += _job_commands(job, new[job.uid], names, what)
        notices += [
            f"{new[job.uid]} (the file's {job.uid}, {job.type}): parameter {key!r} = {value!r} "
            "is not in cryoweave's catalog; kept and passed to CryoSPARC unchanged"
            for key, value in job.kept.items()
        ]
    project.apply(Batch(f"apply workflow {workflow.title or os.fspath(path)}", tuple(commands)))
    return AppliedWorkflow([new[uid] for uid in doc["jobs"]], notices)


def _mapping(what: str, parents: Mapping[str, str] | None) -> dict[str, str]:
    mapping = dict(parents or {})
    wrong = [
        f"parents: {k!r}: {v!r}"
        for k, v in mapping.items()
        if not (isinstance(k, str) and isinstance(v, str))
    ]
    if wrong:
        raise WorkflowRefused(what, [f"{w} is not a job uid mapped to a job uid" for w in wrong])
    return mapping


def _job_commands(job: FileJob, uid: str, names: Mapping[str, str], what: str) -> list[Command]:
    """The edits that build ``job`` as ``uid``, each naming the file's entry if refused."""
    state = state_from_spec(uid, CATALOG[job.type], job.title or None)
    state.description = job.description
    state.params.update(job.kept)  # known parameters follow, checked by set_param
    as_new = f"as {uid}"
    commands: list[Command] = [AddJob(state)]
    commands += [
        _Entry(SetParam(uid, key, value), what, f"{job.uid}: parameters.{key}, {as_new}")
        for key, value in job.params.items()
    ]
    commands += [
        _Entry(Connect(uid, e.input, names[e.source], e.output), what, f"{e.where}, {as_new}")
        for e in job.groups
    ]
    commands += [
        _Entry(
            ConnectResult(uid, e.input, e.connection, e.slot, names[e.source], e.output, e.result),
            what,
            f"{e.where}, {as_new}",
        )
        for e in job.results
    ]
    commands += [
        _Entry(ClearSlot(uid, e.input, e.connection, e.slot), what, f"{e.where}, {as_new}")
        for e in job.cleared
    ]
    return commands


@dataclass(frozen=True)
class _Entry:
    """An edit made for one entry of the file: refused, it names the entry."""

    command: Command
    what: str
    where: str

    def describe(self) -> str:
        return self.command.describe()

    def run(self, jobs: Jobs) -> Changes:
        try:
            return self.command.run(jobs)
        except (JobError, ConnectionRefused) as err:
            raise WorkflowRefused(self.what, [f"{self.where}: {err}"]) from None
