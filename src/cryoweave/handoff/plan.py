"""A plan of cryosparc-tools calls that builds cryoweave's building jobs in CryoSPARC.

``plan(project, ["J13", "J14"], workspace="W1")`` orders what CryoSPARC must do: each
selected job becomes ``create_job`` (its group connections and parameters given at
creation), then ``connect_result`` for each slot override at the version chosen, and
``disconnect_result`` for each optional slot left empty. Parents CryoSPARC already has
(jobs of the linked CryoSPARC project) are named by their uid; a job created by the plan
is named by the uid CryoSPARC returns for it. An output that exists only in cryoweave
reaches CryoSPARC through an Import Result Group job reading the ``.csg`` that
``export_output`` writes to a folder CryoSPARC's machine can read.

Nothing is sent while planning: a job that cannot be built there is refused first, with
every reason (``PlanRefused``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph import Job, JobError, Project
from ..graph.catalog import CATALOG
from ..graph.model import Connection, JobState, uid_number
from ..graph.specs import SlotSpec

# CryoSPARC's Import Result Group job and the parameter naming its .csg file (confirmed in
# public scripts that drive CryoSPARC through cryosparc-tools).
IMPORT_TYPE = "import_result_group"
IMPORT_PATH_PARAM = "blob_path"


class PlanRefused(JobError):
    """Some selected job cannot be built in CryoSPARC; ``reasons`` lists every one."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("cannot send to CryoSPARC:\n" + "\n".join(f"- {r}" for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Ref:
    """A job this plan creates, named by its cryoweave uid; CryoSPARC gives it its own."""

    uid: str

    def __repr__(self) -> str:
        return f"<{self.uid}>"


@dataclass(frozen=True)
class Call:
    """One cryosparc-tools call: ``method(*args, **kwargs)`` on the project (``on`` is
    None) or on the job the plan created for cryoweave job ``on``."""

    on: str | None
    method: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """``J13.connect_result('particles', 0, 'blob', 'J5', 'particles', 'blob', 'F')``."""
        parts = [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        owner = "project" if self.on is None else self.on
        return f"{owner}.{self.method}({', '.join(parts)})"


@dataclass(frozen=True)
class Export:
    """An output that exists only in cryoweave, written as a ``.csg`` for CryoSPARC."""

    job: str
    output: str
    folder: Path

    @property
    def csg(self) -> Path:
        """Where ``Job.export_output`` writes it."""
        return self.folder / f"{self.job}_{self.output}.csg"


@dataclass(frozen=True)
class Step:
    """What CryoSPARC must do for one job: its calls, the first one creating it."""

    uid: str
    what: str
    calls: tuple[Call, ...]
    export: Export | None = None


@dataclass(frozen=True)
class Plan:
    """The calls that build the selected jobs in CryoSPARC project ``project_uid``,
    workspace ``workspace``, in an order where every parent comes first."""

    project: Project
    project_uid: str
    workspace: str
    steps: tuple[Step, ...]

    @property
    def calls(self) -> list[Call]:
        return [call for step in self.steps for call in step.calls]

    def write_exports(self) -> list[Path]:
        """Write the ``.csg`` (and ``.cs``) of every output CryoSPARC must import."""
        written = []
        for step in self.steps:
            if step.export is not None:
                export = step.export
                path = self.project.job(export.job).export_output(export.output, export.folder)
                assert path == export.csg, (path, export.csg)
                written.append(path)
        return written

    def script(self, *, queue: str | None = None, base_url: str | None = None) -> str:
        """A runnable Python script for cryosparc-tools 5 doing this plan (the ``.csg``
        files it imports are written now, to the export folder)."""
        from .script import plan_script

        self.write_exports()
        return plan_script(self, queue=queue, base_url=base_url)

    def apply(self, cs: Any, queue: str | None = None, *, echo: bool = True) -> Applied:
        """Make the calls through ``cs`` (a ``cryosparc.tools.CryoSPARC``)."""
        from .apply import apply_plan

        return apply_plan(self, cs, queue=queue, echo=echo)


@dataclass
class Applied:
    """What ``Plan.apply`` did: the jobs created (cryoweave uid -> CryoSPARC uid), and the
    call CryoSPARC refused, with why, if one was."""

    created: dict[str, str]
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None


def plan(
    project: Project,
    jobs: Iterable[str | Job],
    workspace: str = "W1",
    *,
    export_folder: str | os.PathLike[str] | None = None,
) -> Plan:
    """The calls that build ``jobs`` (building jobs of ``project``) in CryoSPARC.

    Parameters
    ----------
    project
        A cryoweave project, usually one opened on a CryoSPARC project folder with a
        workspace (``open_cryosparc_project(path, workspace=...)``): its CryoSPARC jobs are
        the parents CryoSPARC already has.
    jobs
        The building jobs to send; every building job they read from must be among them.
    workspace
        The CryoSPARC workspace to create them in.
    export_folder
        Where outputs that exist only in cryoweave are written as ``.csg`` files for an
        Import Result Group job: a folder CryoSPARC's machine can read.

    Raises
    ------
    PlanRefused
        Listing every reason any selected job cannot be built, before anything is sent.

    Examples
    --------
    >>> p = plan(project, ["J13"], workspace="W2")                 # doctest: +SKIP
    >>> print(p.script(queue="default"))                          # doctest: +SKIP
    """
    selected = [job if isinstance(job, str) else job.uid for job in jobs]
    folder = Path(export_folder) if export_folder is not None else None
    reasons: list[str] = []
    if not selected:
        reasons.append("no job selected")
    for uid in selected:
        reasons.extend(_job_problems(project, uid))
    exports: dict[tuple[str, str], Export] = {}
    for uid in selected:
        if uid in project.states:
            for source, output in _sources(project.state(uid)):
                why = _source_problem(project, source, set(selected), folder is not None)
                if why:
                    reasons.append(f"{uid} reads {source}.{output}: {why}")
                elif _needs_export(project, source, set(selected)) and folder is not None:
                    exports.setdefault((source, output), Export(source, output, folder))
    if reasons:
        raise PlanRefused(list(dict.fromkeys(reasons)))
    steps = [_import_step(workspace, export) for export in exports.values()]
    steps += [
        _job_step(project, workspace, uid, exports) for uid in _dependency_order(project, selected)
    ]
    return Plan(project, project.project_uid, workspace, tuple(steps))


# -- checks ----------------------------------------------------------------------------------


def _job_problems(project: Project, uid: str) -> list[str]:
    state = project.states.get(uid)
    if state is None:
        return [f"there is no job {uid}"]
    if project.is_external(uid):
        return [f"{uid} is CryoSPARC's own job already"]
    problems = []
    if state.status != "building":
        problems.append(f"{uid} is {state.status}; only building jobs are built in CryoSPARC")
    if state.type not in CATALOG:
        kind = (
            "an external job (custom Python)" if state.type == "snowflake" else "a type of its own"
        )
        problems.append(f"{uid} is {kind}, which CryoSPARC cannot create")
    for group in state.inputs:
        status = project.job(uid).input_status(group.spec.name)
        if status.state == "unmet":
            problems.extend(f"{uid}.{group.spec.name}: {reason}" for reason in status.reasons)
    return problems


def _sources(state: JobState) -> list[tuple[str, str]]:
    """Every (job, output) the job reads from, group connections and overrides alike."""
    found: dict[tuple[str, str], None] = {}
    for group in state.inputs:
        for connection in group.connections:
            found[(connection.job_uid, connection.group_name)] = None
            for entry in connection.slots:
                if entry.slot_name is not None:
                    found[(entry.job_uid, entry.group_name)] = None
    return list(found)


def _needs_export(project: Project, source: str, selected: set[str]) -> bool:
    return source not in selected and not project.is_external(source)


def _source_problem(project: Project, source: str, selected: set[str], can_export: bool) -> str:
    """Why CryoSPARC could not read from ``source``; empty when it can."""
    if source in selected or project.is_external(source):
        return ""
    state = project.states.get(source)
    if state is None:
        return "that job no longer exists"
    if state.status == "building":
        return f"{source} is building and not selected: select it too"
    if state.status != "completed":
        return f"{source} is {state.status}, and exists only in cryoweave"
    if not can_export:
        return (
            f"{source} exists only in cryoweave: give export_folder= (a folder CryoSPARC's "
            "machine can read) to send it as an Import Result Group job"
        )
    return ""


def _dependency_order(project: Project, selected: list[str]) -> list[str]:
    """The selected jobs, each after the selected jobs it reads from (by number otherwise)."""
    chosen = set(selected)
    order: list[str] = []
    done: set[str] = set()

    def visit(uid: str) -> None:
        if uid in done:
            return
        done.add(uid)
        for parent in sorted(project.state(uid).upstream() & chosen, key=uid_number):
            visit(parent)
        order.append(uid)

    for uid in sorted(chosen, key=uid_number):
        visit(uid)
    return order


# -- steps -----------------------------------------------------------------------------------


def _import_step(workspace: str, export: Export) -> Step:
    uid = f"{export.job}.{export.output}"
    create = Call(
        None,
        "create_job",
        (workspace, IMPORT_TYPE),
        {
            "params": {IMPORT_PATH_PARAM: str(export.csg)},
            "title": f"Import {export.job}.{export.output} from cryoweave",
        },
    )
    what = "only cryoweave has it: an Import Result Group job reads its .csg"
    return Step(uid, what, (create,), export)


def _job_step(
    project: Project, workspace: str, uid: str, exports: Mapping[tuple[str, str], Export]
) -> Step:
    state = project.state(uid)

    def source(job: str, output: str) -> str | Ref:
        """CryoSPARC's name for a parent: its own uid, or the job this plan creates."""
        if (job, output) in exports:
            return Ref(f"{job}.{output}")  # the Import Result Group job; same output name
        return job if project.is_external(job) else Ref(job)

    connections: dict[str, list[tuple[str | Ref, str]]] = {}
    later: list[Call] = []
    for group in state.inputs:
        name = group.spec.name
        for index, connection in enumerate(group.connections):
            parent = source(connection.job_uid, connection.group_name)
            connections.setdefault(name, []).append((parent, connection.group_name))
            for slot in group.spec.slots:
                call = _slot_call(project, uid, name, index, connection, slot, source)
                if call is not None:
                    later.append(call)
    kwargs: dict[str, Any] = {}
    if connections:
        kwargs["connections"] = {k: v[0] if len(v) == 1 else v for k, v in connections.items()}
    if state.params:
        kwargs["params"] = dict(state.params)
    kwargs["title"] = state.title
    if state.description:
        kwargs["desc"] = state.description
    create = Call(None, "create_job", (workspace, state.type), kwargs)
    spec = CATALOG[state.type]
    what = spec.title + (f" {state.title!r}" if state.title != spec.title else "")
    return Step(uid, what, (create, *later))


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
