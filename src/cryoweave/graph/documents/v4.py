"""CryoSPARC 4 job documents, read tolerantly (``num_items`` an int or a per-version list,
optional keys missing, the type as ``job_type`` alone), and cryoweave 0.1's documents,
which had this shape."""

from __future__ import annotations

import typing
from typing import Any

from ..catalog import CATALOG
from ..model import (
    Connection,
    InputGroup,
    JobState,
    OutputGroup,
    OutputResult,
    SlotConnection,
    Status,
)
from ..specs import InputSpec, OutputSpec, ResultSpec, SlotSpec
from .common import (
    STATUSES,
    DocumentError,
    Reader,
    as_float,
    as_int,
    as_param_value,
    as_str,
    as_version,
    check_counts,
    job_state,
)


def state_from_v4(doc: Any, uid: str) -> JobState:
    """A job state from a v4 document (parsed JSON), read tolerantly.

    Raises
    ------
    DocumentError
        Naming the key that is missing or of the wrong type.
    """
    d = Reader(doc, "the document")
    if d.get("uid", str, uid) != uid:
        raise DocumentError(f"its uid {d.get('uid', str)!r} is not its folder's name {uid!r}")
    status = d.get("status", str)
    if status not in STATUSES:
        raise DocumentError(f"status: unknown status {status!r}")
    results: dict[str, list[OutputResult]] = {}
    for i, entry in enumerate(d.list("output_results")):
        r = Reader(entry, f"output_results[{i}]")
        versions = [as_int(f"{r.where}.versions", v) for v in r.list("versions")]
        metafiles = [as_str(f"{r.where}.metafiles", m) for m in r.list("metafiles")]
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
        g = Reader(entry, f"output_result_groups[{i}]")
        name = g.get("name", str)
        contains = [Reader(c, f"{g.where}.contains") for c in g.list("contains", [])]
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
        count = as_int(
            f"{g.where}.num_items",
            g.get("num_items", int, max((r.num_items for r in own), default=0)),
        )
        outputs.append(OutputGroup(spec, own, count))
    if results:
        names = ", ".join(sorted(results))
        raise DocumentError(f"output_results: results of groups {names} that are not listed")
    inputs = [
        _input_from_v4(Reader(g, f"input_slot_groups[{i}]"))
        for i, g in enumerate(d.list("input_slot_groups"))
    ]
    params = {}
    for key, entry in d.get("params_spec", dict, {}).items():
        if isinstance(entry, dict) and "value" in entry:
            params[str(key)] = as_param_value(f"params_spec.{key}.value", entry["value"])
    position = _v4_position(d)
    state = job_state(
        uid,
        _v4_type(d),
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


def _v4_type(d: Reader) -> str:
    """The job type: ``type``, or ``job_type`` alone in documents of older CryoSPARC."""
    key = "job_type" if "type" not in d.value and "job_type" in d.value else "type"
    type_key: str = d.get(key, str)
    return type_key


# CryoSPARC 4 places jobs on a grid of tiles (``ui_layouts``); the canvas works in pixels.
TILE_WIDTH_PX = 320.0


TILE_HEIGHT_PX = 240.0


def _v4_position(d: Reader) -> tuple[float, float]:
    """Where the job was drawn: CryoSPARC's first workspace layout (tiles), or cryoweave
    0.1's own ``ui_position`` (pixels); the origin when neither is there."""
    layouts = d.get("ui_layouts", (dict, type(None)), None) or {}
    for key, layout in layouts.items():
        if isinstance(layout, dict) and "x" in layout and "y" in layout:
            where = f"ui_layouts.{key}"
            x, y = as_float(f"{where}.x", layout["x"]), as_float(f"{where}.y", layout["y"])
            return x * TILE_WIDTH_PX, y * TILE_HEIGHT_PX
    position = d.get("ui_position", dict, {})
    return (
        as_float("ui_position.x", position.get("x", 0.0)),
        as_float("ui_position.y", position.get("y", 0.0)),
    )


def _v4_counts(r: Reader, n_versions: int) -> list[int]:
    raw = r.get("num_items", (int, list), 0)
    if isinstance(raw, list):
        counts = [as_int(f"{r.where}.num_items", n) for n in raw]
        if len(counts) not in (0, n_versions):
            raise DocumentError(
                f"{r.where}.num_items: {len(counts)} counts for {n_versions} versions"
            )
        return counts
    count = as_int(f"{r.where}.num_items", raw)
    # v4 keeps one count, the final version's; earlier versions' counts are not known.
    return [count] * n_versions


def _input_from_v4(g: Reader) -> InputGroup:
    item = g.get("type", str)
    slots = []
    for j, entry in enumerate(g.list("slots")):
        s = Reader(entry, f"{g.where}.slots[{j}]")
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
        count_max=None if count_max in (None, "inf") else as_int(f"{g.where}.count_max", count_max),
        repeat_allowed=g.get("repeat_allowed", bool, False),
    )
    check_counts(g.where, spec)
    connections = []
    for j, entry in enumerate(g.list("connections", [])):
        c = Reader(entry, f"{g.where}.connections[{j}]")
        entries = []
        for k, raw in enumerate(c.list("slots")):
            s = Reader(raw, f"{c.where}.slots[{k}]")
            entries.append(
                SlotConnection(
                    s.get("slot_name", (str, type(None))),
                    s.get("job_uid", str),
                    s.get("group_name", str),
                    s.get("result_name", str),
                    s.get("result_type", str),
                    as_version(f"{s.where}.version", s.get("version", (int, str), "F")),
                )
            )
        connections.append(Connection(c.get("job_uid", str), c.get("group_name", str), entries))
    return InputGroup(spec, connections)
