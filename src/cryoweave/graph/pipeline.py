"""Building jobs in a chain: what a job that has not run outputs, and what it waits for.

CryoSPARC lets a whole chain be built before any of it runs. A building job outputs the
groups its type declares (some depend on its parameters: one per class), each holding its
own results plus, for a group that passes an input through, the results connected to that
input that the job does not make itself. When a job's inputs or parameters change, its
outputs are derived again, and so are those of every building job downstream, in one edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field, replace
from typing import Literal

from .catalog import CATALOG, declared_outputs
from .model import Changes, JobState, OutputGroup, OutputResult, Status, uid_number
from .rules import Jobs, input_problems


def derived_outputs(state: JobState, jobs: Jobs) -> list[OutputGroup]:
    """The outputs of building job ``state``: declared groups with passthroughs filled in.

    A catalog type's groups follow its parameters; any other type (an external job, a
    type the catalog lacks) keeps the groups it declares.
    """
    catalog = CATALOG.get(state.type)
    specs = (
        declared_outputs(catalog, state.params)
        if catalog is not None
        else tuple(group.spec for group in state.outputs)
    )
    outputs = []
    for spec in specs:
        results = [OutputResult(r.name, r.type, spec.name) for r in spec.results]
        group = state.input(spec.passthrough) if spec.passthrough else None
        names = {r.name for r in results}
        for connection in group.connections if group else []:
            for entry in connection.slots:
                name = entry.slot_name or entry.result_name
                if name in names or not _exists(
                    jobs, entry.job_uid, entry.group_name, entry.result_name
                ):
                    continue
                names.add(name)
                results.append(OutputResult(name, entry.result_type, spec.name, passthrough=True))
        outputs.append(OutputGroup(spec, results))
    return outputs


def _exists(jobs: Jobs, uid: str, output: str, result: str) -> bool:
    source = jobs.get(uid)
    group = source.output(output) if source else None
    return group is not None and group.result(result) is not None


def refresh(
    jobs: Jobs,
    changes: Changes,
    frozen: Set[str] = frozenset(),
    children: Mapping[str, Set[str]] | None = None,
) -> Changes:
    """``changes`` plus every building job whose outputs follow from them, with its outputs
    derived again (changed jobs first, then downstream in dependency order). Jobs in
    ``frozen`` (a CryoSPARC project's, which cryoweave never changes) keep their outputs.
    ``children`` is every job's children with ``changes`` applied (``Links.children``);
    without it, it is found from the jobs."""
    current = dict(jobs)
    for uid, changed in changes.items():
        if changed is None:
            current.pop(uid, None)
        else:
            current[uid] = changed
    if children is None:
        children = _children(current)
    result = dict(changes)
    pending = [uid for uid, s in changes.items() if s is not None]
    pending += [child for uid, s in changes.items() if s is None for child in children.get(uid, ())]
    for uid in _upstream_first(pending, current, children):  # each job once
        state = current[uid]
        if state.status != "building" or uid in frozen:
            continue
        outputs = derived_outputs(state, current)
        if outputs == state.outputs and uid not in changes:
            continue
        if outputs != state.outputs:
            state = replace(state.clone(), outputs=outputs)
            current[uid] = state
        result[uid] = state
    return result


def _children(jobs: Mapping[str, JobState]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for uid, state in jobs.items():
        for parent in state.upstream():
            children.setdefault(parent, set()).add(uid)
    return children


def _upstream_first(
    start: list[str], jobs: Mapping[str, JobState], children: Mapping[str, Set[str]]
) -> list[str]:
    """``start`` and everything downstream of it, each job after all its parents among them."""
    reach: set[str] = set()
    stack = [uid for uid in start if uid in jobs]
    while stack:
        uid = stack.pop()
        if uid not in reach:
            reach.add(uid)
            stack.extend(children.get(uid, ()))
    indegree = {uid: sum(p in reach for p in jobs[uid].upstream() if p != uid) for uid in reach}
    ready = sorted((uid for uid, n in indegree.items() if n == 0), key=uid_number)
    order = []
    while ready:
        uid = ready.pop(0)
        order.append(uid)
        for child in sorted(children.get(uid, ()), key=uid_number):
            if child in indegree:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
    return order


# -- readiness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InputStatus:
    """Whether an input is ready: ``"ready"`` (met, every parent completed), ``"waiting"``
    (met, some parents have not completed: ``waiting_for`` names them with their status)
    or ``"unmet"`` (``reasons`` says every reason)."""

    state: Literal["ready", "waiting", "unmet"]
    reasons: list[str] = field(default_factory=list)
    waiting_for: list[tuple[str, Status]] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.state != "unmet"

    def __str__(self) -> str:
        return f"unmet: {self.describe()}" if self.state == "unmet" else self.describe()

    def describe(self) -> str:
        """One sentence: ``"waiting for J7 (building), J8 (queued)"``."""
        if self.state == "ready":
            return "ready"
        if self.state == "waiting":
            return "waiting for " + ", ".join(
                f"{uid} ({status})" for uid, status in self.waiting_for
            )
        return "; ".join(self.reasons)


def input_status(jobs: Jobs, state: JobState, input_name: str) -> InputStatus:
    """The readiness of one input of ``state`` among ``jobs``."""
    problems = input_problems(jobs, state, input_name)
    if problems:
        return InputStatus("unmet", problems)
    group = state.input(input_name)
    assert group is not None
    parents = sorted(
        {e.job_uid for c in group.connections for e in c.slots}
        | {c.job_uid for c in group.connections},
        key=uid_number,
    )
    waiting = [(uid, jobs[uid].status) for uid in parents if jobs[uid].status != "completed"]
    return InputStatus("waiting", waiting_for=waiting) if waiting else InputStatus("ready")
