"""The calls for one job of a plan: a building job, or an output only cryoweave has.

Every step's first call makes the job in CryoSPARC and returns it; each later call (a
parameter, a connection, a slot, an upload) is one request of its own, so a refusal names
the call and the job already exists under the uid the first call returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def export_step(project: Project, workspace: str, export: Export) -> Step:
    """An output only cryoweave has, as an External job or an Import Result Group job."""
    if export.via == "import":
        return _import_step(workspace, export)
    return _external_step(project, workspace, export)


def _import_step(workspace: str, export: Export) -> Step:
    uid = f"{export.job}.{export.output}"
    title = f"Import {export.job}.{export.output} from cryoweave"
    create = Call(None, "create_job", (workspace, IMPORT_TYPE), {"title": title})
    path = Call(uid, "set_param", (IMPORT_PATH_PARAM, str(export.csg)))
    what = "only cryoweave has it: an Import Result Group job reads its .csg"
    return Step(uid, what, (create, path), export)


def _external_step(project: Project, workspace: str, export: Export) -> Step:
    """An External job holding the output's data, uploaded. When the output passes through
    results of a CryoSPARC job's output (a subset of its particles, with results of its
    own), the External job connects to that output and passes those results through, and
    only its own results are uploaded; otherwise every result is."""
    uid = f"{export.job}.{export.output}"
    state = project.state(export.job)
    group = state.output(export.output)
    assert group is not None
    calls = [
        Call(
            None,
            "create_external_job",
            (workspace,),
            {"title": state.title, "desc": f"{uid}, made in cryoweave"},
        )
    ]
    through = _passthrough_source(project, export.job, group)
    own = [r for r in group.results if not r.passthrough]
    options: dict[str, Any] = {}
    if through is not None:
        connection, input_name = through
        carried = [_slot(r.name, r.type) for r in group.results if r.passthrough]
        calls.append(
            Call(
                uid,
                "connect",
                (input_name, connection.job_uid, connection.group_name),
                {"slots": carried},
            )
        )
        options["passthrough"] = input_name
        sent = own
    else:
        sent = list(group.results)
    options["title"] = group.spec.title
    slots = [_slot(r.name, r.type) for r in sent]
    calls.append(
        Call(uid, "add_output", (group.spec.type, export.output), {"slots": slots, **options})
    )
    names = tuple(r.name for r in sent) if through is not None else None
    calls.append(Call(uid, "save_output", (export.output, Data(export.job, export.output, names))))
    carried_from = "" if through is None else f", passing through {through[0].job_uid}'s results"
    what = f"only cryoweave has it: an External job with its data uploaded{carried_from}"
    return Step(uid, what, tuple(calls), export)


def _passthrough_source(
    project: Project, uid: str, group: OutputGroup
) -> tuple[Connection, str] | None:
    """The CryoSPARC job output whose results ``group`` passes through, with the input
    that reads it: when the group has results of its own and passes through one input
    connected to one CryoSPARC output, no slot of it overridden."""
    name = group.spec.passthrough
    own = [r for r in group.results if not r.passthrough]
    carried = [r for r in group.results if r.passthrough]
    source = project.state(uid).input(name) if name else None
    if source is None or not own or not carried or len(source.connections) != 1:
        return None
    connection = source.connections[0]
    if not project.is_external(connection.job_uid):
        return None
    if any(entry.job_uid != connection.job_uid for entry in connection.slots):
        return None
    assert name is not None
    return connection, name


def _slot(name: str, result_type: str) -> str | dict[str, str]:
    """A slot as cryosparc-tools takes it: its name, or name and kind when they differ
    (``map_half_A`` of kind ``blob``)."""
    dtype = result_type.split(".", 1)[-1]
    return name if name == dtype else {"name": name, "dtype": dtype}


def job_step(
    project: Project, workspace: str, uid: str, exports: Mapping[tuple[str, str], Export]
) -> Step:
    """A building job: created, then each parameter set, each group connected, each slot
    overridden or cleared."""
    state = project.state(uid)

    def source(job: str, output: str) -> str | Ref:
        """CryoSPARC's name for a parent: its own uid, or the job this plan creates."""
        if (job, output) in exports:
            return Ref(f"{job}.{output}")  # the job that carries it; same output name
        return job if project.is_external(job) else Ref(job)

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
    source: Callable[[str, str], str | Ref],
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
    args = (
        input_name,
        index,
        slot.name,
        source(entry.job_uid, entry.group_name),
        entry.group_name,
        entry.result_name,
        entry.version,
    )
    return Call(uid, "connect_result", args)
