"""A plan of cryosparc-tools calls that builds cryoweave's building jobs in CryoSPARC.

``plan(project, ["J13", "J14"], workspace="W1")`` orders what CryoSPARC must do: each
selected job becomes ``create_job``, then ``set_param`` for each parameter set, ``connect``
for each group connection, ``connect_result`` for each slot override at the version chosen,
and ``disconnect_result`` for each optional slot left empty: one request each, so that a
refusal names its call and every job already made is known by the uid CryoSPARC returned.
Parents CryoSPARC already has (jobs of the linked CryoSPARC project) are named by their
uid; a job created by the plan is named by the uid CryoSPARC returns for it.

A completed job that exists only in cryoweave can be selected too (a selection made with
``Project.select_classes`` or ``select_particles``, an import, an external job's results):
it becomes one External job holding every output of it under the same names, its own
results uploaded and the others inherited from the parent output it passes through, once
CryoSPARC has that parent (its own job, or one this plan sends first).

An output that exists only in cryoweave (an import, a subset an external job saved) that a
selected job reads is sent ``via="external"`` by default: an External job is made through
the API and its data uploaded (``create_external_job``, ``add_output``, ``save_output``),
passing through the results of the CryoSPARC job it derives from; CryoSPARC needs no access
to cryoweave's files. ``via="import"`` writes a ``.csg`` to ``export_folder`` for an Import
Result Group job instead, which CryoSPARC's machine must then be able to read.

Nothing is sent while planning: a job that cannot be built there is refused first, with
every reason (``PlanRefused``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..graph import Job, JobError, Project
from ..graph.catalog import CATALOG
from ..graph.model import uid_number
from .calls import Call, Data, Export, Ref, Step, Via
from .steps import completed_step, export_step, job_step, passthrough_connection

__all__ = ["Applied", "Call", "Data", "Export", "Plan", "PlanRefused", "Ref", "Step", "plan"]

VIAS: tuple[Via, ...] = ("external", "import")


class PlanRefused(JobError):
    """Some selected job cannot be built in CryoSPARC; ``reasons`` lists every one."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("cannot send to CryoSPARC:\n" + "\n".join(f"- {r}" for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Plan:
    """The calls that build the selected jobs in CryoSPARC project ``project_uid``,
    workspace ``workspace``, in an order where every parent comes first."""

    project: Project
    project_uid: str
    workspace: str
    steps: tuple[Step, ...]
    folder: Path | None = None
    """Where the files of outputs only cryoweave has are written (``export_folder``)."""

    @property
    def calls(self) -> list[Call]:
        return [call for step in self.steps for call in step.calls]

    @property
    def uploads(self) -> list[Data]:
        """The data every External job's ``save_output`` uploads, in order."""
        return [data for step in self.steps for data in step.uploads]

    @property
    def exports(self) -> list[Export]:
        return [step.export for step in self.steps if step.export is not None]

    def write_exports(self, folder: Path | None = None) -> list[Path]:
        """Write the files of every output only cryoweave has: the ``.csg`` (and ``.cs``)
        an Import Result Group job reads, or the ``.cs`` an External job's upload reads
        (``Data.file``, the results it uploads). ``folder`` replaces the plan's export
        folder.

        Raises
        ------
        PlanRefused
            When an output has no folder to be written to.
        """
        written = []
        for export in self.exports:
            if export.via == "import":
                target = folder or export.folder
                assert target is not None  # plan() refuses via="import" without a folder
                job = self.project.job(export.job)
                written.append(job.export_output(export.output, target))
        for data in self.uploads:
            target = folder or self.folder
            if target is None:
                raise PlanRefused(
                    [
                        f"{data.job}.{data.output} exists only in cryoweave: give "
                        "export_folder= for the file the script uploads"
                    ]
                )
            target.mkdir(parents=True, exist_ok=True)
            rows = self.project.job(data.job).load_output(data.output, slots=data.slots)
            rows.save(target / data.file)
            written.append(target / data.file)
        return written

    def script(self, *, queue: str | None = None, base_url: str | None = None) -> str:
        """A runnable Python script for cryosparc-tools 5 doing this plan.

        The files it needs are written now, to the export folder: the ``.cs`` of each
        output it uploads to an External job (the script reads them with cryosparc-tools'
        ``Dataset.load`` from the folder named at its top, so run it on a machine that
        has that folder, or change ``EXPORTS``), or the ``.csg`` an Import Result Group
        job reads (from CryoSPARC's machine). Every value in it is a Python literal made
        with ``repr``; it prints each job's CryoSPARC uid the moment the job exists.
        """
        from .script import plan_script

        self.write_exports()
        return plan_script(self, queue=queue, base_url=base_url)

    def apply(self, cs: Any, queue: str | None = None, *, echo: bool = True) -> Applied:
        """Make the calls through ``cs`` (a ``cryosparc.tools.CryoSPARC``); see
        ``Applied`` for what is returned when CryoSPARC refuses one."""
        from .apply import apply_plan

        return apply_plan(self, cs, queue=queue, echo=echo)


@dataclass
class Applied:
    """What ``Plan.apply`` did: every job CryoSPARC made (cryoweave uid -> CryoSPARC uid,
    each listed as soon as CryoSPARC returned it; the External or Import Result Group job
    carrying an output only cryoweave has is listed as ``"J15.particles"``), and the call
    CryoSPARC refused, with its reason, if one was. Nothing after a refused call is sent."""

    created: dict[str, str]
    failed_call: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed_call is None

    @property
    def failed(self) -> str | None:
        """``"<call> failed: <reason>"``, or None."""
        return None if self.failed_call is None else f"{self.failed_call} failed: {self.reason}"


def plan(
    project: Project,
    jobs: Iterable[str | Job],
    workspace: str = "W1",
    *,
    via: Via = "external",
    export_folder: str | os.PathLike[str] | None = None,
    sent: Mapping[str, str] | None = None,
) -> Plan:
    """The calls that build ``jobs`` (building jobs of ``project``) in CryoSPARC.

    Parameters
    ----------
    project
        A cryoweave project, usually one opened on a CryoSPARC project folder with a
        workspace (``open_cryosparc_project(path, workspace=...)``): its CryoSPARC jobs are
        the parents CryoSPARC already has.
    jobs
        The building jobs to send, and completed jobs only cryoweave has (a selection);
        every building job they read from must be among them.
    workspace
        The CryoSPARC workspace to create them in.
    via
        How an output that exists only in cryoweave reaches CryoSPARC: ``"external"``
        (the default) uploads its data into an External job through the API;
        ``"import"`` makes an Import Result Group job read its ``.csg`` from
        ``export_folder``.
    export_folder
        Where the files of outputs that exist only in cryoweave are written: the ``.cs``
        files a script uploads (``via="external"``; ``apply`` needs none), or the ``.csg``
        files an Import Result Group job reads (``via="import"``: a folder CryoSPARC's
        machine can read; required).
    sent
        Jobs sent by an earlier plan, cryoweave uid -> CryoSPARC uid (its ``Applied.created``,
        ``"J7.particles"`` for an output sent on its own): a parent found there is named by
        the uid CryoSPARC gave it, and not sent again.

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
    if via not in VIAS:
        raise PlanRefused([f"via must be 'external' or 'import', not {via!r}"])
    if not selected:
        reasons.append("no job selected")
    known = dict(sent or {})

    def sent_as(job: str, output: str) -> str | None:
        return known.get(f"{job}.{output}") or known.get(job)

    for uid in selected:
        reasons.extend(_job_problems(project, uid))
        if uid in known:
            reasons.append(f"{uid} was sent already: it is CryoSPARC's {known[uid]}")
    exports: dict[tuple[str, str], Export] = {}
    can_export = via == "external" or folder is not None
    for uid in selected:
        if uid in project.states and not project.is_external(uid):
            for parent, output in _sources(project, uid):
                if sent_as(parent, output) is not None:
                    continue
                why = _source_problem(project, parent, set(selected), can_export)
                if why:
                    reasons.append(f"{uid} reads {parent}.{output}: {why}")
                elif _needs_export(project, parent, set(selected)):
                    exports.setdefault((parent, output), Export(parent, output, via, folder))
    if reasons:
        raise PlanRefused(list(dict.fromkeys(reasons)))
    chosen = set(selected)

    def source(job: str, output: str) -> str | Ref | None:
        """CryoSPARC's name for a parent: its own uid, the uid an earlier plan's job got,
        or the job this plan creates."""
        earlier = sent_as(job, output)
        if earlier is not None:
            return earlier
        if (job, output) in exports:
            return Ref(f"{job}.{output}")  # the job that carries it; same output name
        if project.is_external(job):
            return job
        return Ref(job) if job in chosen else None

    steps = [export_step(project, workspace, export) for export in exports.values()]
    for uid in _dependency_order(project, selected):
        if project.state(uid).status == "completed":
            steps.append(completed_step(project, workspace, uid, source))
        else:
            steps.append(job_step(project, workspace, uid, source))
    return Plan(project, project.project_uid, workspace, tuple(steps), folder)


# -- checks ----------------------------------------------------------------------------------


def _job_problems(project: Project, uid: str) -> list[str]:
    state = project.states.get(uid)
    if state is None:
        return [f"there is no job {uid}"]
    if project.is_external(uid):
        return [f"{uid} is CryoSPARC's own job already"]
    if state.status == "completed":  # sent as an External job holding its outputs
        return [] if state.outputs else [f"{uid} is completed with no outputs: nothing to send"]
    problems = []
    if state.status != "building":
        problems.append(
            f"{uid} is {state.status}; only building jobs are built in CryoSPARC, and "
            "completed ones sent"
        )
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


def _sources(project: Project, uid: str) -> list[tuple[str, str]]:
    """Every (job, output) a building job reads from, group connections and overrides
    alike; for a completed job, the parent outputs its outputs pass results through."""
    state = project.state(uid)
    if state.status == "completed":
        through = (passthrough_connection(project, uid, group) for group in state.outputs)
        return list(dict.fromkeys((c.job_uid, c.group_name) for _, c in filter(None, through)))
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
            "machine can read) for an Import Result Group job, or send it via='external'"
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
