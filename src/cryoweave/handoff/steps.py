"""The calls for one job of a plan: a building job, a completed job only cryoweave has (a
selection), or an output only cryoweave has that a job of the plan reads.

Every step's first call makes the job in CryoSPARC and returns it; each later call (a
parameter, a connection, a slot, an upload) is one request of its own, so a refusal names
the call and the job already exists under the uid the first call returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..graph import Project
from ..graph.catalog import CATALOG
from ..graph.model import Connection, OutputGroup
from ..graph.specs import SlotSpec
from .calls import Call, Data, Export, Ref, Step

# CryoSPARC's Import Result Group job and the parameter naming its .csg file (confirmed in
# public scripts that drive CryoSPARC through cryosparc-tools).
IMPORT_TYPE = "import_result_group"
IMPORT_PATH_PARAM = "blob_path"


Source = Callable[[str, str], str | Ref | None]
"""CryoSPARC's name for a parent job's output (its own uid, or the job a plan creates for
it), or None when CryoSPARC will not have it."""


def export_step(project: Project, workspace: str, export: Export) -> Step:
    """An output only cryoweave has, as an External job or an Import Result Group job."""
    if export.via == "import":
        return _import_step(workspace, export)
    uid = f"{export.job}.{export.output}"

    def in_cryosparc(job: str, output: str) -> str | None:
        return job if project.is_external(job) else None

    calls, parents = _external_calls(
        project, workspace, export.job, [export.output], uid, in_cryosparc
    )
    carried_from = "".join(f", passing through {p}'s results" for p in parents)
    what = f"only cryoweave has it: an External job with its data uploaded{carried_from}"
    return Step(uid, what, tuple(calls), export)


def completed_step(project: Project, workspace: str, uid: str, source: Source) -> Step:
    """A completed job only cryoweave has (a selection, an import, an external job's
    results) as one External job holding every output of it, under the same names: each
    output's own results uploaded, and the results it passes through inherited from the
    parent output CryoSPARC has (``source``), as cryosparc-tools' ``save_external_result(...,
    passthrough=(parent, output))`` makes one."""
    state = project.state(uid)
    outputs = [group.spec.name for group in state.outputs]
    calls, parents = _external_calls(project, workspace, uid, outputs, uid, source)
    carried_from = f", passing through {' and '.join(parents)}'s results" if parents else ""
    what = f"{state.title!r}: an External job, {len(outputs)} output(s) uploaded{carried_from}"
    return Step(uid, what, tuple(calls))


def _import_step(workspace: str, export: Export) -> Step:
    uid = f"{export.job}.{export.output}"
    title = f"Import {export.job}.{export.output} from cryoweave"
    create = Call(None, "create_job", (workspace, IMPORT_TYPE), {"title": title})
    path = Call(uid, "set_param", (IMPORT_PATH_PARAM, str(export.csg)))
    what = "only cryoweave has it: an Import Result Group job reads its .csg"
    return Step(uid, what, (create, path), export)


def _external_calls(
    project: Project, workspace: str, job: str, outputs: list[str], uid: str, source: Source
) -> tuple[list[Call], list[str]]:
    """The calls making External job ``uid`` hold ``outputs`` of cryoweave job ``job``,
    and the cryoweave jobs whose results it passes through. An output that passes through
    results of a parent output CryoSPARC has (a subset of its particles, with results of its
    own) connects its input to that output and uploads only its own results; any other
    output uploads every result."""
    state = project.state(job)
    create = Call(
        None,
        "create_external_job",
        (workspace,),
        {"title": state.title, "desc": f"{uid}, made in cryoweave"},
    )
    inputs: dict[str, tuple[Connection, str | Ref, dict[str, str | dict[str, str]]]] = {}
    adds, saves = [], []
    for name in outputs:
        group = state.output(name)
        assert group is not None
        through = passthrough_connection(project, job, group)
        parent = None if through is None else source(through[1].job_uid, through[1].group_name)
        options: dict[str, Any] = {}
        own = [r for r in group.results if not r.passthrough]
        sent = list(group.results)
        if through is not None and parent is not None:
            input_name, connection = through
            slots = inputs.setdefault(input_name, (connection, parent, {}))[2]
            offered = project.state(connection.job_uid).output(connection.group_name)
            for r in group.results:  # what the input reads: what passes, and what is replaced
                if r.passthrough or (offered is not None and offered.result(r.name) is not None):
                    slots.setdefault(r.name, _slot(r.name, r.type))
            options["passthrough"] = input_name
            sent = own
        options["title"] = group.spec.title
        slots_sent = [_slot(r.name, r.type) for r in sent]
        adds.append(
            Call(uid, "add_output", (group.spec.type, name), {"slots": slots_sent, **options})
        )
        names = tuple(r.name for r in sent) if sent is own else None
        saves.append(Call(uid, "save_output", (name, Data(job, name, names))))
    connects = [
        Call(
            uid,
            "connect",
            (input_name, parent, connection.group_name),
            {"slots": list(slots.values())},
        )
        for input_name, (connection, parent, slots) in inputs.items()
    ]
    parents = list(dict.fromkeys(connection.job_uid for connection, _, _ in inputs.values()))
    return [create, *connects, *adds, *saves], parents


def passthrough_connection(
    project: Project, uid: str, group: OutputGroup
) -> tuple[str, Connection] | None:
    """The input whose connection ``group`` passes results of, with that connection: when
    the group has results of its own and passes through an input holding one connection, no
    slot of it filled from another job. An External job holding the group in CryoSPARC
    connects to the same parent output, if CryoSPARC has it, and uploads only its own
    results."""
    name = group.spec.passthrough
    source = project.state(uid).input(name) if name else None
    if source is None or len(source.connections) != 1:
        return None
    if not any(not r.passthrough for r in group.results):
        return None
    connection = source.connections[0]
    if any(entry.job_uid != connection.job_uid for entry in connection.slots):
        return None
    assert name is not None
    return name, connection


def _slot(name: str, result_type: str) -> str | dict[str, str]:
    """A slot as cryosparc-tools takes it: its name, or name and kind when they differ
    (``map_half_A`` of kind ``blob``)."""
    dtype = result_type.split(".", 1)[-1]
    return name if name == dtype else {"name": name, "dtype": dtype}


def job_step(project: Project, workspace: str, uid: str, source: Source) -> Step:
    """A building job: created, then each parameter set, each group connected, each slot
    overridden or cleared (every parent has a name in CryoSPARC: ``plan`` checked it)."""
    state = project.state(uid)

    kwargs: dict[str, Any] = {"title": state.title}
    if state.description:
        kwargs["desc"] = state.description
    calls = [Call(None, "create_job", (workspace, state.type), kwargs)]
    calls += [Call(uid, "set_param", (key, value)) for key, value in state.params.items()]
    later: list[Call] = []
    for group in state.inputs:
        name = group.spec.name
        for index, connection in enumerate(group.connections):
            parent = source(connection.job_uid, connection.group_name)
            assert parent is not None
            calls.append(Call(uid, "connect", (name, parent, connection.group_name)))
            for slot in group.spec.slots:
                call = _slot_call(project, uid, name, index, connection, slot, source)
                if call is not None:
                    later.append(call)
    spec = CATALOG[state.type]
    what = spec.title + (f" {state.title!r}" if state.title != spec.title else "")
    return Step(uid, what, (*calls, *later))


def _slot_call(
    project: Project,
    uid: str,
    input_name: str,
    index: int,
    connection: Connection,
    slot: SlotSpec,
    source: Source,
) -> Call | None:
    """What one slot needs after the group connection: an override (``connect_result``),
    an optional slot the group would fill but the user cleared (``disconnect_result``),
    or nothing."""
    entry = connection.slot(slot.name)
    if entry is None:
        group = project.state(connection.job_uid).output(connection.group_name)
        offered = group is not None and group.result(slot.name) is not None
        if offered and not slot.required:
            return Call(uid, "disconnect_result", (input_name, index, slot.name))
        return None
    if not connection.is_override(entry):
        return None
    parent = source(entry.job_uid, entry.group_name)
    assert parent is not None
    args = (
        input_name,
        index,
        slot.name,
        parent,
        entry.group_name,
        entry.result_name,
        entry.version,
    )
    return Call(uid, "connect_result", args)
