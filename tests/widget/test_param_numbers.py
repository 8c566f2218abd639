"""A number no parameter can hold, typed on the canvas (the message arrives as JSON, so an
integer of hundreds of digits is a Python int): refused naming the parameter, never an
internal error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cryoweave.graph import Project
from cryoweave.widget import JobBuilder


@pytest.fixture
def builder(tmp_path: Path) -> Iterator[JobBuilder]:
    with Project.create(tmp_path / "P") as project:
        project.create_job("class_2D_new")  # J1, being built
        widget = JobBuilder(project)
        yield widget
        widget.close()


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("class2D_K", "1" + "0" * 400),
        ("class2D_window_inner_A", "1" + "0" * 400),
        ("class2D_window_inner_A", "-1" + "0" * 400),
    ],
)
def test_an_integer_too_big_for_a_float_is_refused_naming_the_parameter(
    builder: JobBuilder, monkeypatch: pytest.MonkeyPatch, key: str, text: str
) -> None:
    replies: list[dict[str, Any]] = []
    monkeypatch.setattr(builder, "send", lambda content, buffers=None: replies.append(content))
    message = json.loads(
        '{"id": 1, "type": "command", "command": {"op": "set_param", "job": "J1", '
        f'"key": "{key}", "value": {text}}}}}'
    )
    before = builder.project.state("J1").clone()
    builder._handle_custom_msg(message, [])  # what ipywidgets calls for msg:custom
    (reply,) = replies
    assert reply["ok"] is False
    assert reply["error"].startswith(f"{key} (")
    assert "within 64 bits, not an integer of 401 digits" in reply["error"]
    assert "internal error" not in reply["error"]
    assert builder.project.state("J1") == before
