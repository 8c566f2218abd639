"""Each canvas edit as the line of Python that makes it through the public API.

``project.job("J15").connect_result("particles", 0, "blob", "J5", "particles", "blob")``:
what a student did by dragging, in the notebook's language. Run in order on the project as
it was before, the lines rebuild the same project (tests/widget/test_builder_code.py checks
this on random edits). Moves are left out: where a card sits is not part of the job; the
lines' history is the canvas's without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .builder_requests import Fields

Reply = dict[str, Any]


def _job(c: Fields) -> str:
    return f"project.job({c.text('job')!r})"


def _connect(c: Fields, reply: Reply) -> str:
    args = (c.text("input"), c.text("source_job"), c.text("source_output"))
    return f"{_job(c)}.connect({_args(*args)})"


def _connect_result(c: Fields, reply: Reply) -> str:
    args: list[Any] = [
        c.text("input"),
        c.index("connection"),
        c.text("slot"),
        c.text("source_job"),
        c.text("source_output"),
        c.text("source_result"),
    ]
    version = c.version("version")
    if version != "F":
        args.append(version)
    return f"{_job(c)}.connect_result({_args(*args)})"


def _disconnect(c: Fields, reply: Reply) -> str:
    return f"{_job(c)}.disconnect({_args(c.text('input'), c.index('connection'))})"


def _clear_slot(c: Fields, reply: Reply) -> str:
    args = (c.text("input"), c.index("connection"), c.text("slot"))
    return f"{_job(c)}.clear_slot({_args(*args)})"


def _set_title(c: Fields, reply: Reply) -> str:
    return f"{_job(c)}.set_title({c.text('title')!r})"


def _set_param(c: Fields, reply: Reply) -> str:
    return f"{_job(c)}.set_param({_args(c.text('key'), c.scalar('value'))})"


def _clear_param(c: Fields, reply: Reply) -> str:
    return f"{_job(c)}.clear_param({c.text('key')!r})"


def _add_job(c: Fields, reply: Reply) -> str:
    position = (c.number("x"), c.number("y"))
    return f"project.create_job({c.text('type')!r}, position={position!r})  # {reply['job']}"


def _select_classes(c: Fields, reply: Reply) -> str:
    args = _args(c.text("job"), c.indices("classes"))
    return f"project.select_classes({args})  # {reply['job']}"


def _select_particles(c: Fields, reply: Reply) -> str:
    args = _args(c.text("job"), c.text("output"), c.text("field"), c.bound("low"), c.bound("high"))
    return f"project.select_particles({args})  # {reply['job']}"


def _delete_job(c: Fields, reply: Reply) -> str:
    return f"project.delete_job({c.text('job')!r})"


def _undo(c: Fields, reply: Reply) -> str | None:
    edit = reply["done"].removeprefix("undo ")
    return None if _is_move(edit) else f"project.undo()  # {edit}"


def _redo(c: Fields, reply: Reply) -> str | None:
    edit = reply["done"].removeprefix("redo ")
    return None if _is_move(edit) else f"project.redo()  # {edit}"


def _is_move(edit: str) -> bool:
    """Moves have no line, so undoing or redoing one has none either: the lines' own undo
    then reverts the same edit as the canvas's (``SetPosition.describe``: "move J3")."""
    return edit.startswith("move ")


def _args(*values: Any) -> str:
    return ", ".join(repr(value) for value in values)


_LINES: dict[str, Callable[[Fields, Reply], str | None]] = {
    "connect": _connect,
    "connect_result": _connect_result,
    "disconnect": _disconnect,
    "clear_slot": _clear_slot,
    "set_title": _set_title,
    "set_param": _set_param,
    "clear_param": _clear_param,
    "add_job": _add_job,
    "select_classes": _select_classes,
    "select_particles": _select_particles,
    "delete_job": _delete_job,
    "undo": _undo,
    "redo": _redo,
}


def command_code(command: Fields, reply: Reply) -> str | None:
    """The line of Python for a command the project applied (``reply`` is its answer), or
    None for a move, which is not part of the job."""
    line = _LINES.get(command.text("op"))
    return line(Fields(command.content, "command"), reply) if line else None
