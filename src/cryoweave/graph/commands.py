"""Edits as command objects: each checks itself, then computes the jobs it changes.

A command never touches disk or history; the ``Project`` applies it (check, run,
save atomically, record), and undo restores the states it recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from . import pipeline, rules
from .errors import ConnectionRefused, JobError, shown
from .model import Changes, InputGroup, JobState, SlotConnection, Version, result_label, uid_number
from .params import check_param
from .project_document import MAX_COORDINATE, coordinate
from .specs import ParamValue


class Command(Protocol):
    def describe(self) -> str: ...

    def run(self, jobs: rules.Jobs) -> Changes:
        """Check the edit against ``jobs`` (raise to refuse) and return the changed jobs."""
        ...


def _refuse(reason: str | None) -> None:
    if reason:
        raise ConnectionRefused(reason)


@dataclass(frozen=True)
class AddJob:
    state: JobState

    def describe(self) -> str:
        return f"create {self.state.uid} ({self.state.type})"

    def run(self, jobs: rules.Jobs) -> Changes:
        if self.state.uid in jobs:
            raise JobError(f"there is already a job {self.state.uid}")
        state = self.state.clone()
        state.title = checked_title(state.uid, state.title)
        state.position = checked_position(state.uid, *state.position)
        return {state.uid: state}


@dataclass(frozen=True)
class ReplaceJob:
    """Replace a job's whole state (outputs saved by an external job, status changes)."""

    state: JobState
    what: str

    def describe(self) -> str:
        return f"{self.what} ({self.state.uid})"

    def run(self, jobs: rules.Jobs) -> Changes:
        if self.state.uid not in jobs:
            raise JobError(f"there is no job {self.state.uid}")
        return {self.state.uid: self.state.clone()}


@dataclass(frozen=True)
class DeleteJob:
    """Delete a building job; with ``cascade``, every job that reads from it, directly or
    not, goes with it (all must be building)."""

    uid: str
    cascade: bool = False

    def describe(self) -> str:
        return f"delete {self.uid}" + (" and the jobs that use it" if self.cascade else "")

    def run(self, jobs: rules.Jobs) -> Changes:
        job = jobs.get(self.uid)
        if job is None:
            raise JobError(f"cannot delete {self.uid}: there is no such job")
        if job.status != "building":
            raise JobError(f"cannot delete {self.uid}: it is {job.status}, not building")
        users = sorted(
            (uid for uid in jobs if uid != self.uid and rules.depends_on(jobs, uid, self.uid)),
            key=uid_number,
        )
        direct = [uid for uid in users if self.uid in jobs[uid].upstream()]
        if direct and not self.cascade:
            raise JobError(
                f"cannot delete {self.uid}: {', '.join(direct)} use(s) its outputs; delete "
                "them first, or delete with cascade=True to delete them too"
            )
        doomed = [self.uid, *users] if self.cascade else [self.uid]
        running = [
            f"{uid} is {jobs[uid].status}" for uid in doomed if jobs[uid].status != "building"
        ]
        if running:
            raise JobError(f"cannot delete {self.uid}: {', '.join(running)}, not building")
        return dict.fromkeys(doomed)


@dataclass(frozen=True)
class Connect:
    target: str
    input: str
    source: str
    output: str

    def describe(self) -> str:
        return f"connect {self.source}.{self.output} to {self.target}.{self.input}"

    def run(self, jobs: rules.Jobs) -> Changes:
        _refuse(rules.refuse_connect(jobs, self.target, self.input, self.source, self.output))
        job = jobs[self.target].clone()
        connection = rules.plan_connection(jobs, self.target, self.input, self.source, self.output)
        _group(job, self.input).connections.append(connection)
        return {self.target: job}


@dataclass(frozen=True)
class ConnectResult:
    target: str
    input: str
    connection_idx: int
    slot: str
    source: str
    output: str
    result: str
    version: Version = "F"

    def describe(self) -> str:
        source = result_label(self.source, self.output, self.result, self.version)
        return f"connect {source} to {self.target}.{self.input}[{self.connection_idx}].{self.slot}"

    def run(self, jobs: rules.Jobs) -> Changes:
        _refuse(
            rules.refuse_connect_result(
                jobs,
                self.target,
                self.input,
                self.connection_idx,
                self.slot,
                self.source,
                self.output,
                self.result,
                self.version,
            )
        )
        job = jobs[self.target].clone()
        connection = _group(job, self.input).connections[self.connection_idx]
        source = jobs[self.source].output(self.output)
        assert source is not None
        result = source.result(self.result)
        assert result is not None
        entry = SlotConnection(
            self.slot, self.source, self.output, self.result, result.type, self.version
        )
        kept = [e for e in connection.slots if e.slot_name != self.slot]
        connection.slots[:] = [*kept, entry]
        return {self.target: job}


@dataclass(frozen=True)
class ClearSlot:
    target: str
    input: str
    connection_idx: int
    slot: str

    def describe(self) -> str:
        return f"clear {self.target}.{self.input}[{self.connection_idx}].{self.slot}"

    def run(self, jobs: rules.Jobs) -> Changes:
        _refuse(rules.refuse_clear(jobs, self.target, self.input, self.connection_idx, self.slot))
        job = jobs[self.target].clone()
        connection = _group(job, self.input).connections[self.connection_idx]
        connection.slots[:] = [e for e in connection.slots if e.slot_name != self.slot]
        return {self.target: job}


@dataclass(frozen=True)
class Disconnect:
    target: str
    input: str
    connection_idx: int | None = None

    def describe(self) -> str:
        which = "" if self.connection_idx is None else f"[{self.connection_idx}]"
        return f"disconnect {self.target}.{self.input}{which}"

    def run(self, jobs: rules.Jobs) -> Changes:
        _refuse(rules.refuse_disconnect(jobs, self.target, self.input, self.connection_idx))
        job = jobs[self.target].clone()
        group = _group(job, self.input)
        if self.connection_idx is None:
            group.connections.clear()
        else:
            del group.connections[self.connection_idx]
        return {self.target: job}


@dataclass(frozen=True)
class SetTitle:
    uid: str
    title: str

    def describe(self) -> str:
        return f"rename {self.uid} to {self.title!r}"

    def run(self, jobs: rules.Jobs) -> Changes:
        if self.uid not in jobs:
            raise JobError(f"cannot rename {self.uid}: there is no such job")
        title = checked_title(self.uid, self.title)
        return {self.uid: replace(jobs[self.uid].clone(), title=title)}


@dataclass(frozen=True)
class SetPosition:
    """Move one job; moved by hand, automatic placement leaves it there from now on."""

    uid: str
    x: float
    y: float

    def describe(self) -> str:
        return f"move {self.uid}"

    def run(self, jobs: rules.Jobs) -> Changes:
        if self.uid not in jobs:
            raise JobError(f"cannot move {self.uid}: there is no such job")
        position = checked_position(self.uid, self.x, self.y)
        return {self.uid: replace(jobs[self.uid].clone(), position=position, moved_by_hand=True)}


@dataclass(frozen=True)
class SetPositions:
    """Move several jobs at once (an auto-layout), as one edit that one undo reverts; each
    counts as moved by hand."""

    positions: tuple[tuple[str, float, float], ...]

    def describe(self) -> str:
        if len(self.positions) == 1:
            return f"move {self.positions[0][0]}"
        return f"move {len(self.positions)} jobs"

    def run(self, jobs: rules.Jobs) -> Changes:
        if not self.positions:
            raise JobError("nothing to move: no job positions given")
        missing = sorted({uid for uid, _, _ in self.positions if uid not in jobs})
        if missing:
            raise JobError(f"cannot move {', '.join(missing)}: there is no such job")
        return {
            uid: replace(
                jobs[uid].clone(), position=checked_position(uid, x, y), moved_by_hand=True
            )
            for uid, x, y in self.positions
        }


@dataclass(frozen=True)
class SetParam:
    """Set one parameter of a building job (``value`` None with ``clear``: back to the
    default)."""

    uid: str
    key: str
    value: ParamValue = None
    clear: bool = False

    def describe(self) -> str:
        if self.clear:
            return f"reset {self.uid}.{self.key} to its default"
        return f"set {self.uid}.{self.key} to {self.value!r}"

    def run(self, jobs: rules.Jobs) -> Changes:
        job = jobs.get(self.uid)
        what = f"cannot set {self.uid}.{self.key}"
        if job is None:
            raise JobError(f"{what}: there is no job {self.uid}")
        if job.status != "building":
            raise JobError(
                f"{what}: {self.uid} is {job.status}; only a building job's parameters change"
            )
        state = job.clone()
        if self.clear:
            check_param(job.type, self.key, None, clearing=True)
            state.params.pop(self.key, None)
        else:
            state.params[self.key] = check_param(job.type, self.key, self.value)
        return {self.uid: state}


@dataclass(frozen=True)
class Batch:
    """Several edits as one (a workflow applied, a branch built): each runs on the jobs the
    ones before it left, outputs derived between them; one refusal refuses them all."""

    description: str
    commands: tuple[Command, ...]

    def describe(self) -> str:
        return self.description

    def run(self, jobs: rules.Jobs) -> Changes:
        current = dict(jobs)
        changes: Changes = {}
        for command in self.commands:
            for uid, state in pipeline.refresh(current, command.run(current)).items():
                changes[uid] = state
                if state is None:
                    current.pop(uid, None)
                else:
                    current[uid] = state
        return changes


def checked_title(uid: str, title: object) -> str:
    """``title`` if it is text a job document can hold (UTF-8: no lone surrogate)."""
    if not isinstance(title, str):
        kind = type(title).__name__
        raise JobError(f"cannot title {uid} {shown(title)}: a title is text, not {kind}")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError as err:
        raise JobError(
            f"cannot title {uid} {shown(title)}: character {err.start} is not text "
            "(a lone surrogate, which no document can hold)"
        ) from None
    return title


def checked_position(uid: str, x: object, y: object) -> tuple[float, float]:
    """``(x, y)`` as floats if both are finite numbers within the canvas."""
    fx, fy = coordinate(x), coordinate(y)
    if fx is None or fy is None:
        raise JobError(
            f"cannot place {uid} at ({shown(x)}, {shown(y)}): a position is two finite "
            f"numbers, each within +-{MAX_COORDINATE:g}"
        )
    return fx, fy


def _group(job: JobState, name: str) -> InputGroup:
    group = job.input(name)
    assert group is not None  # checked by the rules before
    return group
