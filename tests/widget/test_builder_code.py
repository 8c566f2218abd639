"""Each canvas edit as its line of Python: run in a fresh namespace on a copy of the project as
it was before the edits, the lines rebuild the same project."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave.demo import particles
from cryoweave.graph import Project
from cryoweave.graph.catalog import CATALOG
from cryoweave.graph.catalog.parameters import PARAMETERS
from cryoweave.widget import JobBuilder

TYPES = ["homo_refine_new", "class_2D_new", "nonuniform_refine_new"]


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """J1, J2: imported particles; J3: a refinement being built, connected to J1."""
    root = tmp_path_factory.mktemp("code") / "P1"
    with Project.create(root, title="Code") as project:
        project.import_dataset(
            particles(60, ["blob", "ctf", "alignments3D"], seed=1), "particle", "particles"
        )
        project.import_dataset(particles(40, ["blob", "ctf"], seed=2), "particle", "particles")
        project.create_job("homo_refine_new").connect("particles", "J1", "particles")
    return root


def copy(folder: Path, to: Path) -> Path:
    shutil.copytree(folder, to)
    return to


def state_of(project: Project) -> dict[str, Any]:
    """What the edits make: every job without its place on the canvas, and what undo would
    revert, moves aside (they have no line; a move also empties the redo list, which the
    lines cannot, so that list is not compared)."""
    jobs = {
        uid: replace(state, position=(0.0, 0.0), moved_by_hand=False)
        for uid, state in project.states.items()
    }
    return {"jobs": jobs, "undo": [e for e in project.history if not e.startswith("move ")]}


@st.composite
def command(draw: st.DrawFn, project: Project) -> dict[str, Any]:
    """One command the canvas could send, drawn from the project as it is now (some are
    refused, as they may be on the canvas: those leave no line)."""
    states = project.states
    uids = list(states)
    building = [uid for uid in uids if states[uid].status == "building"] or uids
    job = draw(st.sampled_from(building))
    state = states[job]
    inputs = [group.spec.name for group in state.inputs] or ["particles"]
    source = draw(st.sampled_from(uids))
    outputs = [group.spec.name for group in states[source].outputs] or ["particles"]
    op = draw(
        st.sampled_from(
            [
                *["add_job", "connect", "connect", "connect_result", "disconnect", "clear_slot"],
                *["set_title", "set_param", "clear_param", "delete_job", "undo", "redo", "move"],
            ]
        )
    )
    if op == "add_job":
        x, y = draw(st.integers(-500, 500)), draw(st.integers(-500, 500))
        return {"op": op, "type": draw(st.sampled_from(TYPES)), "x": x, "y": y}
    if op == "connect":
        output = draw(st.sampled_from(outputs))
        inp = draw(st.sampled_from(inputs))
        return {"op": op, "job": job, "input": inp, "source_job": source, "source_output": output}
    if op == "connect_result":
        output = states[source].output(draw(st.sampled_from(outputs)))
        results = [r.name for r in output.results] if output else ["blob"]
        spec = CATALOG.get(state.type)
        slots = [s.name for s in spec.inputs[0].slots] if spec and spec.inputs else ["blob"]
        return {
            "op": op,
            "job": job,
            "input": inputs[0],
            "connection": draw(st.integers(0, 1)),
            "slot": draw(st.sampled_from(slots)),
            "source_job": source,
            "source_output": output.spec.name if output else "particles",
            "source_result": draw(st.sampled_from(results)),
            "version": draw(st.sampled_from(["F", 0])),
        }
    if op == "disconnect":
        return {"op": op, "job": job, "input": inputs[0], "connection": draw(st.integers(0, 1))}
    if op == "clear_slot":
        slot = draw(st.sampled_from(["alignments3D", "blob", "mask"]))
        return {"op": op, "job": job, "input": inputs[0], "connection": 0, "slot": slot}
    if op == "set_title":
        return {"op": op, "job": job, "title": draw(st.text(min_size=1, max_size=12))}
    params = PARAMETERS.get(state.type, ())
    key = draw(st.sampled_from([p.key for p in params])) if params else "refine_symmetry"
    if op == "set_param":
        value = draw(st.one_of(st.integers(0, 40), st.booleans(), st.sampled_from(["C1", "D7"])))
        return {"op": op, "job": job, "key": key, "value": value}
    if op == "clear_param":
        return {"op": op, "job": job, "key": key}
    if op == "delete_job":
        return {"op": op, "job": job}
    if op == "move":
        return {"op": "set_position", "job": job, "x": 10.0, "y": draw(st.integers(0, 90))}
    return {"op": op}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_lines_of_random_canvas_edits_rebuild_the_same_project(
    before: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("edits")
    edited = Project.open(copy(before, folder / "edited"))
    builder = JobBuilder(edited)
    replies: list[dict[str, Any]] = []
    builder.send = lambda content, buffers=None: replies.append(content)  # type: ignore[method-assign]
    applied = 0
    for index in range(data.draw(st.integers(1, 10), label="edits")):
        sent = data.draw(command(edited), label=f"command {index}")
        builder._handle_custom_msg({"id": index, "type": "command", "command": sent}, [])
        (reply,) = [r for r in replies if r.get("id") == index]
        move = sent["op"] == "set_position" or reply.get("done", "").split(" ")[1:2] == ["move"]
        applied += reply["ok"] and not move
    lines = builder.code()
    assert len(lines) == applied  # one line per edit made, none for moves or refusals
    builder.close()

    rebuilt = Project.open(copy(before, folder / "rebuilt"))
    exec("\n".join(lines), {"project": rebuilt})  # what a fresh kernel would run
    assert state_of(rebuilt) == state_of(edited)
    edited.close()
    rebuilt.close()


def test_lines_read_as_the_public_api(before: Path, tmp_path: Path) -> None:
    project = Project.open(copy(before, tmp_path / "P"))
    builder = JobBuilder(project)
    builder.send = lambda content, buffers=None: None  # type: ignore[method-assign]
    commands: list[dict[str, Any]] = [
        {"op": "add_job", "type": "class_2D_new", "x": 120, "y": 40},
        {
            "op": "connect",
            "job": "J4",
            "input": "particles",
            "source_job": "J2",
            "source_output": "particles",
        },
        {
            "op": "connect_result",
            "job": "J3",
            "input": "particles",
            "connection": 0,
            "slot": "blob",
            "source_job": "J2",
            "source_output": "particles",
            "source_result": "blob",
            "version": "F",
        },
        {"op": "set_param", "job": "J4", "key": "class2D_K", "value": 80},
        {"op": "set_title", "job": "J4", "title": "Classify 'all'"},
        {"op": "set_position", "job": "J4", "x": 0, "y": 0},
        {"op": "undo"},  # the move: no line, as the move had none
        {"op": "undo"},
    ]
    for index, sent in enumerate(commands):
        builder._handle_custom_msg({"id": index, "type": "command", "command": sent}, [])
    assert builder.code() == [
        "project.create_job('class_2D_new', position=(120.0, 40.0))  # J4",
        "project.job('J4').connect('particles', 'J2', 'particles')",
        "project.job('J3').connect_result('particles', 0, 'blob', 'J2', 'particles', 'blob')",
        "project.job('J4').set_param('class2D_K', 80)",
        "project.job('J4').set_title(\"Classify 'all'\")",
        "project.undo()  # rename J4 to \"Classify 'all'\"",
    ]
    assert builder.code_lines == builder.code() and builder.code() is not builder.code_lines
    builder.close()
    project.close()
