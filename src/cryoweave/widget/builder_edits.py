"""The JobBuilder's edits: each command the front end sends, made through the same
``Project`` and ``Job`` methods a notebook user calls, and the drop targets of a drag.

The project checks every edit and raises with the reason when it refuses (a job of an
opened CryoSPARC project, for one, may be moved on the canvas but never changed); these
functions add only that the request is well formed and names jobs that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..graph import Project
from ..graph.commands import SetPositions
from .builder_requests import Fields, Refused

Reply = dict[str, Any]


def run_command(project: Project, command: Fields) -> Reply:
    """Apply one ``Command`` of protocol.ts; returns ``{"done": ...}`` (and ``"job"`` for
    ``add_job``)."""
    op = command.text("op")
    handler = _COMMANDS.get(op)
    if handler is None:
        raise Refused(f"unknown command {op!r}; commands are {', '.join(_COMMANDS)}")
    if project.read_only:
        raise Refused(f"{project.root} is open read-only: {op} refused")
    done = handler(project, Fields(command.content, f"command {op!r}"))
    return done if isinstance(done, dict) else {"done": done}


def _last_edit(project: Project) -> str:
    return project.history[-1]


def _connect(project: Project, c: Fields) -> str:
    job = project.job(c.text("job"))
    job.connect(c.text("input"), c.text("source_job"), c.text("source_output"))
    return _last_edit(project)


def _connect_result(project: Project, c: Fields) -> str:
    job = project.job(c.text("job"))
    job.connect_result(
        c.text("input"),
        c.index("connection"),
        c.text("slot"),
        c.text("source_job"),
        c.text("source_output"),
        c.text("source_result"),
        c.version("version"),
    )
    return _last_edit(project)


def _disconnect(project: Project, c: Fields) -> str:
    project.job(c.text("job")).disconnect(c.text("input"), c.index("connection"))
    return _last_edit(project)


def _clear_slot(project: Project, c: Fields) -> str:
    job = project.job(c.text("job"))
    job.clear_slot(c.text("input"), c.index("connection"), c.text("slot"))
    return _last_edit(project)


def _set_title(project: Project, c: Fields) -> str:
    project.job(c.text("job")).set_title(c.text("title"))
    return _last_edit(project)


def _set_param(project: Project, c: Fields) -> str:
    project.job(c.text("job")).set_param(c.text("key"), c.scalar("value"))
    return _last_edit(project)


def _clear_param(project: Project, c: Fields) -> str:
    project.job(c.text("job")).clear_param(c.text("key"))
    return _last_edit(project)


def _set_position(project: Project, c: Fields) -> str:
    project.job(c.text("job")).set_position(c.number("x"), c.number("y"))
    return _last_edit(project)


def _set_positions(project: Project, c: Fields) -> str:
    positions = c.positions("positions")
    for uid, _, _ in positions:
        project.job(uid)  # refused by name when there is no such job
    project.apply(SetPositions(positions))
    return _last_edit(project)


def _add_job(project: Project, c: Fields) -> Reply:
    type_key = c.text("type")
    position = (c.number("x"), c.number("y"))
    job = project.create_job(type_key, position=position)
    return {"done": _last_edit(project), "job": job.uid}


def _select_classes(project: Project, c: Fields) -> Reply:
    job = project.select_classes(c.text("job"), c.indices("classes"))
    return {"done": _last_edit(project), "job": job.uid}


def _select_particles(project: Project, c: Fields) -> Reply:
    low, high = c.bound("low"), c.bound("high")
    job = project.select_particles(c.text("job"), c.text("output"), c.text("field"), low, high)
    return {"done": _last_edit(project), "job": job.uid}


def _delete_job(project: Project, c: Fields) -> str:
    project.delete_job(project.job(c.text("job")).uid)
    return _last_edit(project)


def _undo(project: Project, c: Fields) -> str:
    done = project.undo()
    if done is None:
        raise Refused("nothing to undo")
    return f"undo {done}"


def _redo(project: Project, c: Fields) -> str:
    done = project.redo()
    if done is None:
        raise Refused("nothing to redo")
    return f"redo {done}"


_COMMANDS: dict[str, Callable[[Project, Fields], str | Reply]] = {
    "connect": _connect,
    "connect_result": _connect_result,
    "disconnect": _disconnect,
    "clear_slot": _clear_slot,
    "set_title": _set_title,
    "set_param": _set_param,
    "clear_param": _clear_param,
    "set_position": _set_position,
    "set_positions": _set_positions,
    "add_job": _add_job,
    "select_classes": _select_classes,
    "select_particles": _select_particles,
    "delete_job": _delete_job,
    "undo": _undo,
    "redo": _redo,
}


def compatibility(project: Project, source: Fields) -> dict[str, dict[str, Any]]:
    """Every drop target of a dragged group or result, keyed by its test id, with the
    project's verdict: ``{"input-J5-particles": {"ok": False, "reason": "..."}}``.

    A group is offered to every input of every building job, a result to every slot of
    every connection of every building job.
    """
    kind = source.text("kind")
    if kind not in ("group", "result"):
        raise Refused(f"{source.what} needs 'kind' as 'group' or 'result', got {kind!r}")
    uid, output_name = source.text("job"), source.text("output")
    output = project.job(uid).state.output(output_name)
    if output is None:
        raise Refused(f"{uid} has no output {output_name!r}")
    targets: dict[str, dict[str, Any]] = {}
    building = [state for state in project.states.values() if state.status == "building"]
    if kind == "group":
        for state in building:
            blocked = _blocked(project, state.uid)
            for group in state.inputs:
                name = group.spec.name
                verdict = blocked or project.can_connect(state.uid, name, uid, output_name)
                targets[f"input-{state.uid}-{name}"] = _verdict(verdict)
        return targets
    result_name, version = source.text("result"), source.version("version")
    if output.result(result_name) is None:
        raise Refused(f"{uid}.{output_name} has no result {result_name!r}")
    for state in building:
        blocked = _blocked(project, state.uid)
        for group in state.inputs:
            name = group.spec.name
            for index in range(len(group.connections)):
                for slot in group.spec.slots:
                    verdict = blocked or project.can_connect_result(
                        state.uid, name, index, slot.name, uid, output_name, result_name, version
                    )
                    targets[f"slot-{state.uid}-{name}-{index}-{slot.name}"] = _verdict(verdict)
    return targets


def _blocked(project: Project, uid: str) -> tuple[bool, str] | None:
    """Why no drop on job ``uid`` can be accepted whatever is dragged, or None."""
    if project.read_only:
        return False, f"{project.root} is open read-only"
    if project.is_external(uid):
        where = project.cryosparc_project
        return (
            False,
            f"{uid} belongs to the CryoSPARC project {where}, which cryoweave never changes",
        )
    return None


def _verdict(verdict: tuple[bool, str]) -> dict[str, Any]:
    ok, reason = verdict
    return {"ok": ok, "reason": reason}
