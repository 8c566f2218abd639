"""CryoSPARC 5 job documents, read and written through cryosparc-tools' own pydantic models
(``cryosparc.models.job.Job``), so that what cryoweave writes is the peer's document."""

from __future__ import annotations

import functools
import typing
from datetime import UTC, datetime
from typing import Any

import pydantic
from cryosparc.models import job as v5
from cryosparc.models import job_spec as v5_spec
from cryosparc.models.resource import ResourceSpec

from ..model import (
    Connection,
    InputGroup,
    JobState,
    OutputGroup,
    OutputResult,
    SlotConnection,
    uid_number,
)
from ..specs import InputSpec, OutputSpec, ResultSpec, SlotSpec
from .common import (
    MAX_INT,
    DocumentError,
    as_int,
    as_param_value,
    check_counts,
    in_range,
    job_state,
)

# v5 documents carry a ``status_num``; cryoweave writes the status's place in CryoSPARC's
# own list of statuses (cryosparc-tools' ``JobStatus``) and never reads it back.
_STATUS_NUMBERS = {status: i for i, status in enumerate(typing.get_args(v5.JobStatus))}


_ITEM_TYPES = frozenset(typing.get_args(v5_spec.Input.model_fields["type"].annotation))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# "particle.blob" made once and shared by every result of that type (item -> dtype -> name):
# cheaper than formatting it again for each of tens of thousands of results.
_TYPE_NAMES: dict[str, dict[str, str]] = {item: {} for item in _ITEM_TYPES}


def _type_names(item: str) -> dict[str, str]:
    names = _TYPE_NAMES[item]  # item types are the model's own list: finitely many
    if len(names) > 1024:  # dtypes come from documents: kept bounded
        names.clear()
    return names


def as_v5(data: bytes) -> v5.Job | pydantic.ValidationError:
    """The v5 model of ``data``, or why cryosparc-tools refuses it."""
    try:
        return v5.Job.model_validate_json(data)
    except pydantic.ValidationError as err:
        return err


def state_from_v5(job: v5.Job, uid: str) -> JobState:
    """A job state from a validated v5 document."""
    if job.uid != uid:
        raise DocumentError(f"its uid {job.uid!r} is not its folder's name {uid!r}")
    spec = job.spec
    inputs = [_input_from_v5(name, group) for name, group in spec.inputs.root.items()]
    outputs = [_output_from_v5(name, group) for name, group in spec.outputs.root.items()]
    params = {
        key: as_param_value(f"spec.params.{key}", value)
        for key, value in spec.params.model_dump().items()
    }
    return job_state(
        uid, spec.type, job.title, job.status, inputs, outputs, params, job.description
    )


def _input_from_v5(name: str, group: v5_spec.Input) -> InputGroup:
    where = f"spec.inputs.{name}"
    item = group.type
    input_spec = _input_spec(
        name,
        item,
        group.title,
        group.description,
        tuple([(s.name, s.dtype, s.required) for s in group.slots]),
        group.count_min,
        None if group.count_max == "inf" else group.count_max,
        group.repeat_allowed,
    )
    names = _type_names(item)
    connections = []
    for i, c in enumerate(group.connections):
        entries = []
        for j, r in enumerate(c.results):
            version, dtype = r.version, r.dtype
            if version != "F" and not 0 <= version < MAX_INT:
                as_int(f"{where}.connections[{i}].results[{j}].version", version)  # refuses
            result_type = names.get(dtype) or names.setdefault(dtype, f"{item}.{dtype}")
            entries.append(
                SlotConnection(r.name, r.job_uid, r.output, r.result, result_type, version)
            )
        connections.append(Connection(c.job_uid, c.output, entries))
    return InputGroup(input_spec, connections)


# Specs are frozen: every job of a type shares one instead of making its own (fewer objects
# to make at open, and for the cycle collector to walk afterwards). Bounded: a folder holds
# a few hundred distinct groups at most, and an unusual one only costs a miss.
@functools.lru_cache(maxsize=4096)
def _input_spec(
    name: str,
    item: str,
    title: str,
    description: str,
    slots: tuple[tuple[str, str, bool], ...],
    count_min: int,
    count_max: int | None,
    repeat_allowed: bool,
) -> InputSpec:
    input_spec = InputSpec(
        name=name,
        type=item,
        title=title,
        description=description,
        slots=tuple(SlotSpec(slot, f"{item}.{dtype}", required) for slot, dtype, required in slots),
        count_min=count_min,
        count_max=count_max,
        repeat_allowed=repeat_allowed,
    )
    check_counts(f"spec.inputs.{name}", input_spec)
    return input_spec


@functools.lru_cache(maxsize=4096)
def _output_spec(
    name: str,
    item: str,
    title: str,
    declared: tuple[tuple[str, str], ...],
    passthrough: str | None,
) -> OutputSpec:
    results = tuple(ResultSpec(result, f"{item}.{dtype}") for result, dtype in declared)
    return OutputSpec(name, item, title, results, passthrough)


def _output_from_v5(name: str, group: v5_spec.Output) -> OutputGroup:
    item = group.type
    names = _type_names(item)
    results = []
    numbers: list[int] = []  # every version and count of the group, checked at once
    for r in group.results:
        versions, metafiles, counts, dtype = r.versions, r.metafiles, r.num_items, r.dtype
        if not (len(versions) == len(metafiles) and len(counts) in (0, len(versions))):
            raise DocumentError(
                f"spec.outputs.{name}: result {r.name!r} has {len(versions)} versions, "
                f"{len(metafiles)} metafiles and {len(counts)} item counts"
            )
        numbers += versions
        numbers += counts
        # The model was made for this call alone: its lists are taken, not copied.
        result_type = names.get(dtype) or names.setdefault(dtype, f"{item}.{dtype}")
        results.append(
            OutputResult(r.name, result_type, name, versions, metafiles, counts, r.passthrough)
        )
    numbers.append(group.num_items)
    if not in_range(numbers):
        where = f"spec.outputs.{name}"
        for i, r in enumerate(group.results):
            for key, values in (("versions", r.versions), ("num_items", r.num_items)):
                for value in values:
                    as_int(f"{where}.results[{i}].{key}", value)  # refuses the first bad one
        as_int(f"{where}.num_items", group.num_items)
    declared = tuple([(s.name, s.dtype) for s in group.slots])
    if declared:
        spec = _output_spec(name, item, group.title, declared, group.passthrough)
    else:  # a document that lists results only: its own results are declared
        own = tuple(ResultSpec(r.name, r.type) for r in results if not r.passthrough)
        spec = OutputSpec(name, item, group.title, own, group.passthrough)
    return OutputGroup(spec, results, group.num_items)


def to_v5(state: JobState, project_uid: str) -> v5.Job:
    """The v5 document of ``state``, as cryosparc-tools' own model.

    Raises
    ------
    DocumentError
        When the state holds what a v5 document cannot (an item type CryoSPARC lacks).
    """
    where = f"job {state.uid}"
    spec = v5_spec.JobSpec(
        type=state.type,
        params=v5_spec.Params(**state.params),
        inputs=v5_spec.Inputs({g.spec.name: _input_to_v5(where, g) for g in state.inputs}),
        outputs=v5_spec.Outputs({g.spec.name: _output_to_v5(where, g) for g in state.outputs}),
        ui_tile_width=1,
        ui_tile_height=1,
        resource_spec=ResourceSpec(),
    )
    parents = sorted(state.upstream(), key=uid_number)
    return v5.Job(
        _id="000000000000000000000000",
        uid=state.uid,
        uid_num=uid_number(state.uid),
        project_uid=project_uid,
        project_uid_num=uid_number(project_uid),
        title=state.title,
        description=state.description,
        status=state.status,
        status_num=_STATUS_NUMBERS[state.status],
        spec=spec,
        job_dir=state.uid,
        job_dir_size_last_updated=_EPOCH,
        parents=parents,
        build_errors=[],
    )


def v5_bytes(state: JobState, project_uid: str) -> bytes:
    """``to_v5`` as the JSON a ``job.json`` holds."""
    text: str = to_v5(state, project_uid).model_dump_json(by_alias=True, indent=1)
    return text.encode()


def _item(where: str, item: str) -> Any:
    if item not in _ITEM_TYPES:
        raise DocumentError(f"{where}: item type {item!r} is not one CryoSPARC knows")
    return item


def _dtype(result_type: str) -> str:
    """``particle.blob`` -> ``blob``: v5 names the result kind; the item type is the group's."""
    return result_type.split(".", 1)[1] if "." in result_type else result_type


def _input_to_v5(where: str, group: InputGroup) -> v5_spec.Input:
    spec = group.spec
    return v5_spec.Input(
        type=_item(f"{where}, input {spec.name!r}", spec.type),
        title=spec.title,
        description=spec.description,
        slots=[
            v5_spec.InputSlot(name=s.name, dtype=_dtype(s.type), required=s.required)
            for s in spec.slots
        ],
        count_min=spec.count_min,
        count_max="inf" if spec.count_max is None else spec.count_max,
        repeat_allowed=spec.repeat_allowed,
        connections=[
            v5_spec.Connection(
                job_uid=c.job_uid,
                output=c.group_name,
                results=[
                    v5_spec.InputResult(
                        name=e.slot_name,
                        dtype=_dtype(e.result_type),
                        job_uid=e.job_uid,
                        output=e.group_name,
                        result=e.result_name,
                        version=e.version,
                    )
                    for e in c.slots
                ],
            )
            for c in group.connections
        ],
    )


def _output_to_v5(where: str, group: OutputGroup) -> v5_spec.Output:
    spec = group.spec
    return v5_spec.Output(
        type=_item(f"{where}, output {spec.name!r}", spec.type),
        title=spec.title,
        slots=[v5_spec.OutputSlot(name=r.name, dtype=_dtype(r.type)) for r in spec.results],
        passthrough=spec.passthrough,
        results=[
            v5_spec.OutputResult(
                name=r.name,
                dtype=_dtype(r.type),
                versions=r.versions,
                metafiles=r.metafiles,
                num_items=r.item_counts,
                passthrough=r.passthrough,
            )
            for r in group.results
        ],
        num_items=group.num_items,
    )
