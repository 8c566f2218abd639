"""Reading CryoSPARC workflow files of every version that writes them into checked entries.

CryoSPARC's Workflows (v4.4 and later) export the same fields (cryosparc-tools'
``cryosparc/models/workflow.py``), except that CryoSPARC 4 writes no ``spec`` for a job
(the job's v5 spec came with CryoSPARC 5). A file is read as tolerantly as a v4 job
document: a key cryoweave does not use is ignored, ``spec`` may be missing, and a parameter
the catalog does not know is kept as read (``FileJob.kept``). Everything that is read and
does not fit becomes one reason of ``WorkflowRefused``, naming the file's job and the entry
(``J9: individualResults[0] ["J9.particles.blob", "J1.particles.blob"]: ...``); no other
exception leaves this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..data.files import FileRefused, read_regular
from ..graph import JobError
from ..graph.catalog import CATALOG
from ..graph.documents import DocumentError, parse_json
from ..graph.errors import ParameterError
from ..graph.params import check_kept, check_param, is_known
from ..graph.specs import InputSpec, JobSpec, ParamValue

# The fields read, as a JSON Schema (beside this module): checked before anything else.
WORKFLOW_SCHEMA: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("workflow.schema.json").read_text()
)


class WorkflowRefused(JobError):
    """A workflow file that does not fit; ``reasons`` lists every problem, each naming the
    file's job and the entry."""

    def __init__(self, what: str, reasons: list[str]) -> None:
        super().__init__(f"{what}:\n" + "\n".join(f"- {r}" for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class GroupEntry:
    """``groups[i]``: output ``output`` of job ``source`` connected to input ``input``."""

    where: str
    source: str
    output: str
    input: str


@dataclass(frozen=True)
class ResultEntry:
    """``individualResults[i]``: a result filling ``slot`` of one connection of ``input``."""

    where: str
    source: str
    output: str
    result: str
    input: str
    connection: int
    slot: str


@dataclass(frozen=True)
class ClearedSlot:
    """An optional slot the saved job left empty: its ``spec`` connection names no result."""

    where: str
    input: str
    connection: int
    slot: str


@dataclass(frozen=True)
class FileJob:
    """One job of the file: ``params`` checked against the catalog, ``kept`` the parameters
    the catalog does not know, as read."""

    uid: str
    type: str
    title: str
    description: str
    params: dict[str, ParamValue]
    kept: dict[str, ParamValue]
    groups: tuple[GroupEntry, ...]
    results: tuple[ResultEntry, ...]
    cleared: tuple[ClearedSlot, ...]


@dataclass(frozen=True)
class Workflow:
    """A workflow file read: its parents (uid -> job type and the outputs read from it) and
    its jobs, each after the jobs of the file it reads from."""

    title: str
    parents: dict[str, tuple[str, tuple[str, ...]]]
    jobs: tuple[FileJob, ...]


def read_workflow(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A workflow file (a regular file), checked against ``WORKFLOW_SCHEMA``.

    Raises
    ------
    WorkflowRefused
        When it cannot be read, is not JSON, or does not fit the schema; every reason
        names the field.
    """
    try:
        doc = parse_json(read_regular(path))
    except (FileRefused, DocumentError) as err:
        raise WorkflowRefused(
            f"{os.fspath(path)} is not a readable workflow file", [str(err)]
        ) from None
    reasons = schema_errors(doc)
    if reasons:
        raise WorkflowRefused(f"{os.fspath(path)} is not a CryoSPARC workflow", reasons)
    return dict(doc)


def schema_errors(doc: object) -> list[str]:
    """Where ``doc`` does not fit the workflow schema: one reason per error, naming the
    field, in field order; empty when it fits.

    >>> schema_errors({"fileVersion": 1})[0]
    "the file: 'csVersion' is a required property"
    """
    # Imported here, not with the module: where Jupyter is installed, jsonschema loads the
    # grammar of URIs (rfc3987-syntax) at import, 1.5 s that every notebook would pay for
    # `import cryoweave.widget` though most never read or write a workflow file.
    import jsonschema

    errors = sorted(
        jsonschema.Draft202012Validator(WORKFLOW_SCHEMA).iter_errors(doc),
        key=lambda e: [str(part) for part in e.path],
    )
    return [f"{'.'.join(map(str, e.path)) or 'the file'}: {e.message}" for e in errors]


def parse_workflow(doc: Mapping[str, Any], mapped: Collection[str]) -> tuple[Workflow, list[str]]:
    """The entries of ``doc`` (a file ``read_workflow`` accepted), and every reason they do
    not fit; an entry with a reason is left out. ``mapped`` are jobs of the project the
    caller names as parents beside the file's own."""
    reasons: list[str] = []
    raw_jobs: Mapping[str, Any] = doc["jobs"]
    parents: dict[str, tuple[str, tuple[str, ...]]] = {}
    for uid, parent in doc.get("parents", {}).items():
        if not _is_uid(uid):
            reasons.append(f"parents: {_show(uid)} is not a job uid")
        elif uid in raw_jobs:
            reasons.append(f"parents: {uid} is both a job and a parent of the file")
        else:
            parents[uid] = (parent["jobType"], tuple(parent.get("groups", {})))
    known = set(raw_jobs) | set(parents) | set(mapped)
    jobs = []
    for uid, raw in raw_jobs.items():
        if not _is_uid(uid):
            reasons.append(f"jobs: {_show(uid)} is not a job uid")
        elif raw["jobType"] not in CATALOG:
            reasons.append(f"{uid}: unknown job type {raw['jobType']!r}")
        else:
            jobs.append(_read_job(uid, raw, CATALOG[raw["jobType"]], known, reasons))
    order = _order(jobs, reasons)
    title = doc.get("title", "")
    return Workflow(title, parents, tuple(order)), reasons


def _read_job(
    uid: str, raw: Mapping[str, Any], spec: JobSpec, known: Collection[str], reasons: list[str]
) -> FileJob:
    params: dict[str, ParamValue] = {}
    kept: dict[str, ParamValue] = {}
    for key, parameter in raw.get("parameters", {}).items():
        try:
            if is_known(spec.type, key):
                params[key] = check_param(spec.type, key, parameter["value"])
            else:
                kept[key] = check_kept(key, parameter["value"])
        except ParameterError as err:
            reasons.append(f"{uid}: {err}")
    inputs = {i.name: i for i in spec.inputs}
    groups = []
    counts: dict[str, int] = {}
    for i, pair in enumerate(raw["groups"]):
        where = f"{uid}: groups[{i}] {_show(pair)}"
        source, input_name = pair
        parts = source.split(".")
        problem = (
            "the source is not '{job}.{output}'"
            if len(parts) != 2 or not all(parts)
            else _unknown_source(parts[0], known) or _no_input(spec, inputs, input_name)
        )
        if problem:
            reasons.append(f"{where}: {problem}")
            continue
        groups.append(GroupEntry(where, parts[0], parts[1], input_name))
        counts[input_name] = counts.get(input_name, 0) + 1
    results = []
    for i, pair in enumerate(raw.get("individualResults", [])):
        where = f"{uid}: individualResults[{i}] {_show(pair)}"
        entry = _result_entry(uid, where, pair, spec, inputs, counts, known)
        if isinstance(entry, str):
            reasons.append(f"{where}: {entry}")
        else:
            results.append(entry)
    cleared = _cleared_slots(uid, raw.get("spec"), inputs, counts, reasons)
    return FileJob(
        uid,
        spec.type,
        raw.get("title", ""),
        raw.get("description", ""),
        params,
        kept,
        tuple(groups),
        tuple(results),
        tuple(cleared),
    )


def _result_entry(
    uid: str,
    where: str,
    pair: list[str],
    spec: JobSpec,
    inputs: Mapping[str, InputSpec],
    counts: Mapping[str, int],
    known: Collection[str],
) -> ResultEntry | str:
    """The entry, or why it does not fit."""
    source, target = (part.split(".") for part in pair)
    if len(source) != 3 or not all(source):
        return "the source is not '{job}.{output}.{result}'"
    if len(target) != 4 or not all(target):
        return "the destination is not '{job}.{input}.{connection index}.{slot}'"
    job, input_name, index, slot = target
    if job != uid:
        return f"the destination is a slot of {job}, not of {uid}"
    problem = _unknown_source(source[0], known) or _no_input(spec, inputs, input_name)
    if problem:
        return problem
    if not (index.isascii() and index.isdecimal()):
        return f"the connection index {index!r} is not a whole number"
    connections = counts.get(input_name, 0)
    if int(index) >= connections:
        return f"{uid}'s groups make {connections} connection(s) to {input_name}, not {index}"
    if slot not in {s.name for s in inputs[input_name].slots}:
        names = ", ".join(s.name for s in inputs[input_name].slots)
        return f"input {input_name} has no slot {slot!r} (slots: {names})"
    job_uid, output, result = source
    return ResultEntry(where, job_uid, output, result, input_name, int(index), slot)


def _cleared_slots(
    uid: str,
    saved: Any,
    inputs: Mapping[str, InputSpec],
    counts: Mapping[str, int],
    reasons: list[str],
) -> list[ClearedSlot]:
    """Optional slots the saved job left empty: a connection of its ``spec`` (CryoSPARC 5)
    names no result for them. Only the keys read are checked; none without a ``spec``."""
    if saved is None:
        return []
    cleared = []
    spec_inputs = saved.get("inputs", {})
    if not isinstance(spec_inputs, dict):
        reasons.append(f"{uid}: spec.inputs is not an object")
        return []
    for name, input_spec in inputs.items():
        where = f"{uid}: spec.inputs.{name}"
        group = spec_inputs.get(name, {})
        connections = group.get("connections", []) if isinstance(group, dict) else None
        if not isinstance(connections, list):
            reasons.append(f"{where}: not an object with a list of connections")
            continue
        if connections and len(connections) != counts.get(name, 0):
            reasons.append(
                f"{where}: {len(connections)} connection(s), but the job's groups connect "
                f"{counts.get(name, 0)}"
            )
            continue
        for index, connection in enumerate(connections):
            filled = _filled(connection)
            if filled is None:
                reasons.append(f"{where}.connections[{index}]: not an object with results")
                continue
            cleared += [
                ClearedSlot(f"{where}.connections[{index}]", name, index, slot.name)
                for slot in input_spec.slots
                if not slot.required and slot.name not in filled
            ]
    return cleared


def _filled(connection: Any) -> set[str] | None:
    """The slots a saved connection fills, or None when it is not shaped as one."""
    results = connection.get("results", []) if isinstance(connection, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        return None
    return {r["name"] for r in results if isinstance(r.get("name"), str)}


def _order(jobs: list[FileJob], reasons: list[str]) -> list[FileJob]:
    """``jobs``, each after the jobs of the file it reads from (by groups or individual
    results), in the file's order otherwise; none when they read from each other in a
    cycle. Iterative: a chain of any length listed children first is ordered."""
    by_uid = {job.uid: job for job in jobs}
    reads = {
        job.uid: list(
            dict.fromkeys(
                [e.source for e in job.groups if e.source in by_uid]
                + [e.source for e in job.results if e.source in by_uid]
            )
        )
        for job in jobs
    }
    order: list[FileJob] = []
    done: set[str] = set()
    for root in by_uid:
        if root in done:
            continue
        path, stack = [root], [iter(reads[root])]
        while stack:
            source = next(stack[-1], None)
            if source is None:
                done.add(path[-1])
                order.append(by_uid[path.pop()])
                stack.pop()
            elif source in path:
                loop = [*reversed(path[path.index(source) :]), path[-1]]
                reasons.append(f"{source}: a cycle: {' -> '.join(loop)}")
                return []
            elif source not in done:
                path.append(source)
                stack.append(iter(reads[source]))
    return order


def _unknown_source(job: str, known: Collection[str]) -> str | None:
    if job in known:
        return None
    return f"reads from {job}, which is neither a job nor a parent of the file"


def _no_input(spec: JobSpec, inputs: Mapping[str, InputSpec], name: str) -> str | None:
    if name in inputs:
        return None
    names = ", ".join(inputs) or "none"
    return f"{spec.title} ({spec.type}) has no input {name!r} (inputs: {names})"


def _is_uid(uid: str) -> bool:
    """A name a source can point to: not empty, no '.' (which separates the job from the
    output in ``J5.particles``)."""
    return bool(uid) and "." not in uid


def _show(value: Any) -> str:
    """An entry as the file holds it, cut short when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."
