"""CryoSPARC's job documents (``J<n>/job.json``): the one module that knows their shapes.

Two shapes exist in the wild, and a project upgraded from CryoSPARC 4 to 5 holds both:

- **v5** (CryoSPARC 5): ``spec.type``, ``spec.params``, ``spec.inputs`` and ``spec.outputs``
  as dicts by name, slots typed by ``dtype`` (``blob``, ``ctf``) with the item type on the
  input or output. Read and written through cryosparc-tools' own pydantic models
  (``cryosparc.models.job.Job``), so what cryoweave writes is the peer's document.
- **v4** (CryoSPARC 4): ``input_slot_groups``, ``output_result_groups``, ``output_results``.
  Read only, tolerantly: ``num_items`` an int or a per-version list, optional keys missing.

The shape is detected per document. Everything here turns a document into a
:class:`~cryoweave.graph.model.JobState` or back, and raises :class:`DocumentError`
(naming the field) for anything else; it never touches disk.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import pydantic
import pydantic_core
from cryosparc.models import job as v5
from cryosparc.models import job_spec as v5_spec
from cryosparc.models.resource import ResourceSpec

from .catalog import CATALOG
from .model import (
    Connection,
    InputGroup,
    JobState,
    OutputGroup,
    OutputResult,
    SlotConnection,
    Status,
    Version,
)
from .specs import InputSpec, OutputSpec, ParamValue, ResultSpec, SlotSpec

Shape = Literal["v4", "v5"]

STATUSES: tuple[Status, ...] = typing.get_args(Status)
# v5 documents carry a ``status_num``; cryoweave writes the status's place in CryoSPARC's
# own list of statuses (cryosparc-tools' ``JobStatus``) and never reads it back.
_STATUS_NUMBERS = {status: i for i, status in enumerate(typing.get_args(v5.JobStatus))}
_ITEM_TYPES = frozenset(typing.get_args(v5_spec.Input.model_fields["type"].annotation))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Keys only a v4 document has at its top level; a document with none of them is read as v5.
_V4_KEYS = frozenset({"input_slot_groups", "output_result_groups", "output_results"})


class DocumentError(ValueError):
    """A job document that cannot be read: the message names the field and the problem."""


# -- reading ---------------------------------------------------------------------------------


def read_job(data: bytes, uid: str) -> tuple[JobState, Shape]:
    """The job in ``data`` (a ``job.json``'s bytes) for the job folder ``uid``.

    Raises
    ------
    DocumentError
        When the bytes are not a v4 or v5 job document of job ``uid``; the message says
        which field is wrong and how.
    """
    # Most documents are v5, read in one pass. Otherwise the shape is told by the top-level
    # keys, never by text elsewhere: a v5 job may well be titled "input_slot_groups".
    attempt = _as_v5(data) if b'"spec"' in data else None
    if isinstance(attempt, v5.Job):
        return state_from_v5(attempt, uid), "v5"
    doc = _parse(data)
    if not (isinstance(doc, dict) and _V4_KEYS.isdisjoint(doc)):
        return state_from_v4(doc, uid), "v4"
    if attempt is None:
        attempt = _as_v5(data)
        if isinstance(attempt, v5.Job):
            return state_from_v5(attempt, uid), "v5"
    raise DocumentError(f"not a CryoSPARC v5 job document ({_first_error(attempt)})")


def _as_v5(data: bytes) -> v5.Job | pydantic.ValidationError:
    """The v5 model of ``data``, or why cryosparc-tools refuses it."""
    try:
        return v5.Job.model_validate_json(data)
    except pydantic.ValidationError as err:
        return err


def _parse(data: bytes) -> Any:
    """``data`` as JSON, read as the v5 models read it: UTF-8 without lone surrogates, nesting
    bounded (a Python ``RecursionError`` is never raised)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(f"not UTF-8 text ({err.reason})") from None
    try:
        return pydantic_core.from_json(data)
    except ValueError as err:
        raise DocumentError(f"not valid JSON ({err})") from None


def state_from_v5(job: v5.Job, uid: str) -> JobState:
    """A job state from a validated v5 document."""
    if job.uid != uid:
        raise DocumentError(f"its uid {job.uid!r} is not its folder's name {uid!r}")
    spec = job.spec
    inputs = [_input_from_v5(name, group) for name, group in spec.inputs.root.items()]
    outputs = [_output_from_v5(name, group) for name, group in spec.outputs.root.items()]
    params = {
        key: _param_value(f"spec.params.{key}", value)
        for key, value in spec.params.model_dump().items()
    }
    return _state(uid, spec.type, job.title, job.status, inputs, outputs, params, job.description)


def _input_from_v5(name: str, group: v5_spec.Input) -> InputGroup:
    where = f"spec.inputs.{name}"
    item = group.type
    input_spec = InputSpec(
        name=name,
        type=item,
        title=group.title,
        description=group.description,
        slots=tuple(SlotSpec(s.name, f"{item}.{s.dtype}", s.required) for s in group.slots),
        count_min=group.count_min,
        count_max=None if group.count_max == "inf" else group.count_max,
        repeat_allowed=group.repeat_allowed,
    )
    _check_counts(where, input_spec)
    connections = []
    for i, c in enumerate(group.connections):
        entries = []
        for j, r in enumerate(c.results):
            version = r.version
            if version != "F" and not 0 <= version < _MAX_INT:
                _int(f"{where}.connections[{i}].results[{j}].version", version)  # refuses
            entries.append(
                SlotConnection(r.name, r.job_uid, r.output, r.result, f"{item}.{r.dtype}", version)
            )
        connections.append(Connection(c.job_uid, c.output, entries))
    return InputGroup(input_spec, connections)


def _output_from_v5(name: str, group: v5_spec.Output) -> OutputGroup:
    where = f"spec.outputs.{name}"
    item = group.type
    results = []
    for i, r in enumerate(group.results):
        versions, metafiles, counts = r.versions, r.metafiles, r.num_items
        if not (len(versions) == len(metafiles) and len(counts) in (0, len(versions))):
            raise DocumentError(
                f"{where}: result {r.name!r} has {len(versions)} versions, "
                f"{len(metafiles)} metafiles and {len(counts)} item counts"
            )
        if not (_in_range(versions) and _in_range(counts)):
            for key, values in (("versions", versions), ("num_items", counts)):
                for value in values:
                    _int(f"{where}.results[{i}].{key}", value)  # refuses the first bad one
        # The model was made for this call alone: its lists are taken, not copied.
        results.append(
            OutputResult(
                r.name, f"{item}.{r.dtype}", name, versions, metafiles, counts, r.passthrough
            )
        )
    declared = tuple(ResultSpec(s.name, f"{item}.{s.dtype}") for s in group.slots)
    if not declared:  # a document that lists results only: its own results are declared
        declared = tuple(ResultSpec(r.name, r.type) for r in results if not r.passthrough)
    spec = OutputSpec(name, item, group.title, declared, group.passthrough)
    return OutputGroup(spec, results, _int(f"{where}.num_items", group.num_items))


def state_from_v4(doc: Any, uid: str) -> JobState:
    """A job state from a v4 document (parsed JSON), read tolerantly.

    Raises
    ------
    DocumentError
        Naming the key that is missing or of the wrong type.
    """
    d = _Reader(doc, "the document")
    if d.get("uid", str, uid) != uid:
        raise DocumentError(f"its uid {d.get('uid', str)!r} is not its folder's name {uid!r}")
    status = d.get("status", str)
    if status not in STATUSES:
        raise DocumentError(f"status: unknown status {status!r}")
    results: dict[str, list[OutputResult]] = {}
    for i, entry in enumerate(d.list("output_results")):
        r = _Reader(entry, f"output_results[{i}]")
        versions = [_int(f"{r.where}.versions", v) for v in r.list("versions")]
        metafiles = [_str(f"{r.where}.metafiles", m) for m in r.list("metafiles")]
        counts = _v4_counts(r, len(versions))
        if len(versions) != len(metafiles):
            raise DocumentError(
                f"{r.where}: {len(versions)} versions but {len(metafiles)} metafiles"
            )
        result = OutputResult(
            r.get("name", str),
            r.get("type", str),
            r.get("group_name", str),
            versions,
            metafiles,
            counts,
            r.get("passthrough", bool, False),
        )
        results.setdefault(result.group_name, []).append(result)
    outputs = []
    for i, entry in enumerate(d.list("output_result_groups")):
        g = _Reader(entry, f"output_result_groups[{i}]")
        name = g.get("name", str)
        contains = [_Reader(c, f"{g.where}.contains") for c in g.list("contains", [])]
        passthrough = g.get("passthrough", (str, bool), False)
        spec = OutputSpec(
            name,
            g.get("type", str),
            g.get("title", str, name),
            tuple(
                ResultSpec(c.get("name", str), c.get("type", str))
                for c in contains
                if not c.get("passthrough", bool, False)
            ),
            passthrough if isinstance(passthrough, str) and passthrough else None,
        )
        own = results.pop(name, [])
        count = _int(
            f"{g.where}.num_items",
            g.get("num_items", int, max((r.num_items for r in own), default=0)),
        )
        outputs.append(OutputGroup(spec, own, count))
    if results:
        names = ", ".join(sorted(results))
        raise DocumentError(f"output_results: results of groups {names} that are not listed")
    inputs = [
        _input_from_v4(_Reader(g, f"input_slot_groups[{i}]"))
        for i, g in enumerate(d.list("input_slot_groups"))
    ]
    params = {}
    for key, entry in d.get("params_spec", dict, {}).items():
        if isinstance(entry, dict) and "value" in entry:
            params[str(key)] = _param_value(f"params_spec.{key}.value", entry["value"])
    position = _v4_position(d)
    state = _state(
        uid,
        d.get("type", str),
        d.get("title", str, ""),
        typing.cast(Status, status),
        inputs,
        outputs,
        params,
        d.get("description", str, ""),
    )
    state.position = position
    if state.type not in CATALOG:  # cryoweave 0.1 kept a type of one's own's names here
        state.type_title = d.get("type_title", str, "") or state.type_title
        state.section = d.get("section", str, "") or state.section
    return state


# CryoSPARC 4 places jobs on a grid of tiles (``ui_layouts``); the canvas works in pixels.
TILE_WIDTH_PX = 320.0
TILE_HEIGHT_PX = 240.0


def _v4_position(d: _Reader) -> tuple[float, float]:
    """Where the job was drawn: CryoSPARC's first workspace layout (tiles), or cryoweave
    0.1's own ``ui_position`` (pixels); the origin when neither is there."""
    layouts = d.get("ui_layouts", (dict, type(None)), None) or {}
    for key, layout in layouts.items():
        if isinstance(layout, dict) and "x" in layout and "y" in layout:
            where = f"ui_layouts.{key}"
            x, y = _float(f"{where}.x", layout["x"]), _float(f"{where}.y", layout["y"])
            return x * TILE_WIDTH_PX, y * TILE_HEIGHT_PX
    position = d.get("ui_position", dict, {})
    return (
        _float("ui_position.x", position.get("x", 0.0)),
        _float("ui_position.y", position.get("y", 0.0)),
    )


def _v4_counts(r: _Reader, n_versions: int) -> list[int]:
    raw = r.get("num_items", (int, list), 0)
    if isinstance(raw, list):
        counts = [_int(f"{r.where}.num_items", n) for n in raw]
        if len(counts) not in (0, n_versions):
            raise DocumentError(
                f"{r.where}.num_items: {len(counts)} counts for {n_versions} versions"
            )
        return counts
    count = _int(f"{r.where}.num_items", raw)
    # v4 keeps one count, the final version's; earlier versions' counts are not known.
    return [count] * n_versions


def _input_from_v4(g: _Reader) -> InputGroup:
    item = g.get("type", str)
    slots = []
    for j, entry in enumerate(g.list("slots")):
        s = _Reader(entry, f"{g.where}.slots[{j}]")
        slots.append(
            SlotSpec(
                s.get("name", str),
                s.get("type", str),
                required=not s.get("optional", bool, False),
                title=s.get("title", str, ""),
            )
        )
    count_max = g.get("count_max", (int, str, type(None)), None)
    spec = InputSpec(
        name=g.get("name", str),
        type=item,
        title=g.get("title", str, ""),
        description=g.get("description", str, ""),
        slots=tuple(slots),
        count_min=g.get("count_min", int, 0),
        count_max=None if count_max in (None, "inf") else _int(f"{g.where}.count_max", count_max),
        repeat_allowed=g.get("repeat_allowed", bool, False),
    )
    _check_counts(g.where, spec)
    connections = []
    for j, entry in enumerate(g.list("connections", [])):
        c = _Reader(entry, f"{g.where}.connections[{j}]")
        entries = []
        for k, raw in enumerate(c.list("slots")):
            s = _Reader(raw, f"{c.where}.slots[{k}]")
            entries.append(
                SlotConnection(
                    s.get("slot_name", (str, type(None))),
                    s.get("job_uid", str),
                    s.get("group_name", str),
                    s.get("result_name", str),
                    s.get("result_type", str),
                    _version(f"{s.where}.version", s.get("version", (int, str), "F")),
                )
            )
        connections.append(Connection(c.get("job_uid", str), c.get("group_name", str), entries))
    return InputGroup(spec, connections)


def _state(
    uid: str,
    type_key: str,
    title: str,
    status: Status,
    inputs: list[InputGroup],
    outputs: list[OutputGroup],
    params: dict[str, ParamValue],
    description: str,
) -> JobState:
    catalog = CATALOG.get(type_key)
    type_title = (
        catalog.title if catalog else ("External job" if type_key == "snowflake" else type_key)
    )
    return JobState(
        uid=uid,
        type=type_key,
        title=title,
        status=status,
        inputs=inputs,
        outputs=outputs,
        section=catalog.section if catalog else ("External" if type_key == "snowflake" else ""),
        type_title=type_title,
        params=params,
        description=description,
    )


# -- writing ---------------------------------------------------------------------------------


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
    parents = sorted(state.upstream(), key=_number)
    return v5.Job(
        _id="000000000000000000000000",
        uid=state.uid,
        uid_num=_number(state.uid),
        project_uid=project_uid,
        project_uid_num=_number(project_uid),
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


# -- small checked readers -------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object of a v4 document, naming the key on every failure."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise DocumentError(f"{where}: expected an object, found {_kind(value)}")
        self.value: Mapping[str, Any] = value
        self.where = where

    _MISSING: Any = object()

    def get(self, key: str, kind: Any, default: Any = _MISSING) -> Any:
        if key not in self.value:
            if default is _Reader._MISSING:
                raise DocumentError(f"{self.where}: no {key!r} key")
            return default
        value = self.value[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int to Python, never to a document
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise DocumentError(
                f"{self.where}.{key}: expected {_names(kinds)}, found {_kind(value)}"
            )
        return value

    def list(self, key: str, default: Any = _MISSING) -> list[Any]:
        value: list[Any] = self.get(key, list, default)
        return value


def _int(where: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DocumentError(f"{where}: expected an integer, found {_kind(value)}")
    if not 0 <= value < 2**63:
        raise DocumentError(f"{where}: {value} is out of range")
    return value


_MAX_INT = 2**63


def _in_range(values: list[int]) -> bool:
    """Every value a count or version (0 to 2**63 - 1)? Checked in C, for long lists."""
    return not values or (min(values) >= 0 and max(values) < _MAX_INT)


def _float(where: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DocumentError(f"{where}: expected a number, found {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise DocumentError(f"{where}: expected a finite number")
    return number


def _str(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where}: expected a string, found {_kind(value)}")
    return value


def _version(where: str, value: Any) -> Version:
    if value == "F":
        return "F"
    return _int(where, value)


def _param_value(where: str, value: Any) -> ParamValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise DocumentError(
        f"{where}: expected a number, string, true/false or null, found {_kind(value)}"
    )


def _check_counts(where: str, spec: InputSpec) -> None:
    if spec.count_min < 0 or (spec.count_max is not None and spec.count_max < spec.count_min):
        raise DocumentError(
            f"{where}: count_min {spec.count_min} and count_max {spec.count_max} do not fit"
        )


def _number(uid: str) -> int:
    digits = uid[1:]
    return int(digits) if digits.isdigit() else 0


def _first_error(err: pydantic.ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the document"
    more = err.error_count() - 1
    return f"{where}: {first['msg']}" + (f"; and {more} more" if more else "")


_KIND_NAMES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def _kind(value: Any) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _names(kinds: tuple[type, ...]) -> str:
    return " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
