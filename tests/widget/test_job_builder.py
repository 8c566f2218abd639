"""JobBuilder without a browser: requests in through the widget's message handler, replies
out through ``send``, traits checked against the project (js/src/builder/protocol.ts)."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cryoweave
from cryoweave import Dataset, open_cryosparc_project
from cryoweave.demo import particles
from cryoweave.graph import Project
from cryoweave.graph.catalog import CATALOG
from cryoweave.graph.resolve import Resolved
from cryoweave.widget import JobBuilder, job_builder
from cryoweave.widget.builder_data import MAX_ROWS

sys.path.insert(0, str(Path(__file__).parents[1] / "interop"))
from cryosparc_fixture import write_cryosparc_project

Reply = dict[str, Any]


class Driver:
    """Sends requests as the front end does and returns the one reply each gets."""

    def __init__(self, widget: JobBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
        self.widget = widget
        self.sent: list[tuple[Reply, list[Any]]] = []
        self.patches: list[Reply] = []  # graph patches, sent to every view after an edit
        self.next_id = 7_000_000_000_001  # the front end's ids exceed 32 bits

        def send(content: Reply, buffers: list[Any] | None = None) -> None:
            if content.get("type") == "graph_patch":
                assert not buffers
                self.patches.append(content)
            else:
                self.sent.append((content, list(buffers or [])))

        monkeypatch.setattr(widget, "send", send)

    def raw(self, content: Any) -> tuple[Reply, list[Any]]:
        before = len(self.sent)
        self.widget._handle_custom_msg(content, [])  # what ipywidgets calls for msg:custom
        assert len(self.sent) == before + 1, "every request gets exactly one reply"
        reply, buffers = self.sent[-1]
        json.dumps(reply)  # the reply must travel as JSON
        return reply, buffers

    def request(self, type: str, **fields: Any) -> tuple[Reply, list[Any]]:
        self.next_id += 1
        reply, buffers = self.raw({"id": self.next_id, "type": type, **fields})
        assert reply["id"] == self.next_id
        return reply, buffers

    def ok(self, type: str, **fields: Any) -> Reply:
        reply, _ = self.request(type, **fields)
        assert reply["ok"] is True, reply
        return reply

    def command(self, op: str, **fields: Any) -> Reply:
        return self.ok("command", command={"op": op, **fields})

    def refused(self, type: str, **fields: Any) -> str:
        reply, buffers = self.request(type, **fields)
        assert reply["ok"] is False and buffers == [], reply
        assert set(reply) == {"id", "ok", "error"}
        return str(reply["error"])


def snapshot(project: Project) -> tuple[Any, ...]:
    states = {uid: state.clone() for uid, state in project.states.items()}
    return states, project.history, project.redo_history


def imported(project: Project, n: int, results: list[str], seed: int) -> str:
    return project.import_dataset(particles(n, results, seed=seed), "particle", "particles").uid


def volume_job(project: Project, versions: int = 2) -> str:
    """A completed external job whose ``volume`` output has ``versions`` saved versions."""
    job = project.create_external_job("Volumes")
    job.add_output("volume", "volume", slots=["map", "map_half_A", "map_half_B"])
    fields = [("uid", "<u8")]
    for result in ("map", "map_half_A", "map_half_B"):
        fields += [(f"{result}/path", "S40"), (f"{result}/shape", "<u4", (3,))]
    with job.run():
        for version in range(versions):
            volume = np.zeros(1, fields)
            volume["uid"] = 100 + version
            volume["map/shape"] = 64 + version
            volume["map/path"] = f"{job.uid}/map_v{version}.mrc".encode()
            job.save_output("volume", Dataset(volume))
    return job.uid


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """J1, J2: imported particles (blob+ctf, 300; blob+ctf+alignments3D, 200); J3: volumes
    with 2 versions; J4: a refinement being built, not connected yet."""
    with Project.create(tmp_path / "P1", title="Widget test") as p:
        imported(p, 300, ["blob", "ctf"], seed=1)
        imported(p, 200, ["blob", "ctf", "alignments3D"], seed=2)
        volume_job(p)
        p.create_job("homo_refine_new")
        yield p


@pytest.fixture
def widget(project: Project) -> Iterator[JobBuilder]:
    builder = JobBuilder(project)
    yield builder
    builder.close()


@pytest.fixture
def fe(widget: JobBuilder, monkeypatch: pytest.MonkeyPatch) -> Driver:
    return Driver(widget, monkeypatch)


def job_view(widget: JobBuilder, uid: str) -> dict[str, Any]:
    """A job as the trait sends it (``JobWire``): its own state, its spec apart."""
    (view,) = [j for j in widget.graph["jobs"] if j["uid"] == uid]
    return view


def spec_view(widget: JobBuilder, uid: str) -> dict[str, Any]:
    """The static parts of a job's type (``SpecWire``), shared in ``graph["specs"]``."""
    spec: dict[str, Any] = widget.graph["specs"][job_view(widget, uid)["spec"]]
    return spec


def input_view(widget: JobBuilder, uid: str, name: str) -> dict[str, Any]:
    """An input group's spec and the job's own state of it, side by side (``InputView``)."""
    specs = spec_view(widget, uid)["inputs"]
    (index,) = [i for i, spec in enumerate(specs) if spec["name"] == name]
    return {**specs[index], **job_view(widget, uid)["inputs"][index]}


# -- traits ------------------------------------------------------------------------------------


def test_traits_describe_the_project(project: Project, widget: JobBuilder) -> None:
    graph = widget.graph
    assert graph["title"] == "Widget test"
    assert graph["root"] == str(project.root.resolve()) and Path(graph["root"]).is_absolute()
    assert graph["read_only"] is False
    assert [j["uid"] for j in graph["jobs"]] == list(project.states)
    assert (
        graph["can_undo"]
        and graph["undo_label"] == project.history[-1] == "create J4 (homo_refine_new)"
    )
    assert not graph["can_redo"] and graph["redo_label"] == ""
    assert [c["key"] for c in widget.catalog] == list(CATALOG)
    refine = next(c for c in widget.catalog if c["key"] == "homo_refine_new")
    assert refine == {
        "key": "homo_refine_new",
        "title": CATALOG["homo_refine_new"].title,
        "section": CATALOG["homo_refine_new"].section,
        "description": CATALOG["homo_refine_new"].description,
    }
    state = widget.get_state()  # what ipywidgets sends
    assert json.loads(json.dumps(state["graph"])) == graph


def test_job_views_follow_the_job_states(project: Project, widget: JobBuilder) -> None:
    j1, j3, j4 = job_view(widget, "J1"), job_view(widget, "J3"), job_view(widget, "J4")
    assert (j1["status"], j1["type"], j1["external"]) == ("completed", "import_particles", False)
    assert j1["tags"] == ["300 particles"]
    assert j3["tags"] == ["1 volume"]
    results = {r["name"]: r for r in j3["outputs"][0]["results"]}
    assert results["map"]["versions"] == [0, 1]
    assert (
        results["map"]["metafiles"] == project.state("J3").output("volume").result("map").metafiles
    )
    assert (project.root / results["map"]["metafiles"][0]).is_file()
    spec = CATALOG["homo_refine_new"]
    assert (j4["status"], j4["spec"], j4["title"]) == ("building", "homo_refine_new", spec.title)
    assert spec_view(widget, "J4")["type_title"] == spec.title
    assert j4["tags"] == []
    particles_in = input_view(widget, "J4", "particles")
    assert particles_in["status"] == "unmet"
    assert particles_in["problems"] == ["needs at least 1 group(s), has 0"]
    assert particles_in["requirements"] == spec.input("particles").requirements()
    assert [(s["name"], s["type"], s["required"]) for s in particles_in["slots"]] == [
        (s.name, s.type, s.required) for s in spec.input("particles").slots
    ]
    assert input_view(widget, "J4", "mask")["count_max"] == 1
    assert [o["name"] for o in spec_view(widget, "J4")["outputs"]] == [o.name for o in spec.outputs]
    assert spec_view(widget, "J4")["outputs"][0]["results"] == [
        {"name": r.name, "type": r.type} for r in spec.outputs[0].results
    ]
    # Nothing saved, nothing passed through: the front end takes the spec's results.
    assert [o.keys() for o in j4["outputs"]] == [{"num_items"}] * len(spec.outputs)


def test_specs_are_sent_once_per_job_type(project: Project, widget: JobBuilder) -> None:
    for _ in range(3):
        project.create_job("homo_refine_new")
    specs = widget.graph["specs"]
    refinements = [j for j in widget.graph["jobs"] if j["type"] == "homo_refine_new"]
    assert len(refinements) == 4 and {j["spec"] for j in refinements} == {"homo_refine_new"}
    # Jobs whose groups are not their catalog type's bring their own, keyed by uid.
    for job in widget.graph["jobs"]:
        state = project.state(job["uid"])
        catalog = CATALOG.get(state.type)
        own = catalog is None or catalog.inputs != tuple(g.spec for g in state.inputs)
        assert job["spec"] == (job["uid"] if own else state.type)
        assert [i["name"] for i in specs[job["spec"]]["inputs"]] == [
            g.spec.name for g in state.inputs
        ]
    assert set(specs) == {j["spec"] for j in widget.graph["jobs"]}


def test_connections_show_their_slot_sources_and_overrides(
    project: Project, widget: JobBuilder
) -> None:
    located = imported(project, 100, ["blob", "ctf", "location"], seed=3)
    refine = project.job("J4")
    refine.connect("particles", "J1", "particles")
    refine.connect("particles", "J2", "particles")
    refine.connect("particles", located, "particles")
    refine.connect_result("particles", 0, "blob", "J2", "particles", "blob")
    refine.connect("volume", "J3", "volume")
    refine.connect_result("volume", 0, "map", "J3", "volume", "map", 0)
    particles_in = input_view(widget, "J4", "particles")
    assert particles_in["status"] == "met" and particles_in["problems"] == []
    first, second, third = particles_in["connections"]
    assert (first["job"], first["group"], second["job"]) == ("J1", "particles", "J2")
    slots = {s["slot"]: s for s in first["slots"]}
    # No label: the front end derives it ("J2.particles.blob", "@v0" when not final).
    assert slots["blob"] == {
        "slot": "blob",
        "job": "J2",
        "group": "particles",
        "result": "blob",
        "result_type": "particle.blob",
        "version": "F",
        "override": True,
    }
    assert slots["ctf"]["override"] is False and slots["ctf"]["job"] == "J1"
    assert [s["slot"] for s in second["slots"]] == ["blob", "ctf", "alignments3D"]
    passthrough = [s for s in third["slots"] if s["slot"] is None]
    assert [(s["job"], s["result"], s["override"]) for s in passthrough] == [
        (located, "location", False)
    ]
    (volume,) = input_view(widget, "J4", "volume")["connections"]
    (map_slot,) = [s for s in volume["slots"] if s["slot"] == "map"]
    assert (map_slot["version"], map_slot["override"]) == (0, True)
    assert job_view(widget, "J4")["tags"] == ["600 particles", "1 volume"]


# -- sync with edits made from Python ------------------------------------------------------------


def test_edits_from_python_update_the_graph_at_once(project: Project, widget: JobBuilder) -> None:
    revision = widget.graph["revision"]
    project.job("J4").connect("particles", "J1", "particles")
    assert widget.graph["revision"] == revision + 1
    assert widget.graph["undo_label"] == "connect J1.particles to J4.particles"
    assert [c["job"] for c in input_view(widget, "J4", "particles")["connections"]] == ["J1"]

    assert project.undo() == "connect J1.particles to J4.particles"
    assert widget.graph["revision"] == revision + 2
    assert input_view(widget, "J4", "particles")["connections"] == []
    assert (
        widget.graph["can_redo"]
        and widget.graph["redo_label"] == "connect J1.particles to J4.particles"
    )
    assert widget.graph["undo_label"] == "create J4 (homo_refine_new)"

    project.redo()
    assert widget.graph["revision"] == revision + 3 and not widget.graph["can_redo"]
    assert len(input_view(widget, "J4", "particles")["connections"]) == 1

    new = project.create_job("class_2D_new", position=(40.0, 80.0))
    assert job_view(widget, new.uid)["position"] == [40.0, 80.0]
    project.delete_job(new.uid)
    assert new.uid not in [j["uid"] for j in widget.graph["jobs"]]


def test_a_refused_edit_from_python_changes_no_trait(project: Project, widget: JobBuilder) -> None:
    graph = widget.graph
    with pytest.raises(ValueError, match="takes volume items"):
        project.job("J4").connect("volume", "J1", "particles")
    assert widget.graph is graph


def test_closed_widget_stops_following_the_project(project: Project, widget: JobBuilder) -> None:
    revision = widget.graph["revision"]
    widget.close()
    widget.close()  # twice is harmless
    project.job("J4").set_title("after close")
    assert widget.graph["revision"] == revision
    assert job_view(widget, "J4")["title"] != "after close"


def test_two_widgets_of_one_project_both_follow_it(project: Project, widget: JobBuilder) -> None:
    other = JobBuilder(project)
    try:
        project.job("J4").set_title("Seen twice")
        assert job_view(widget, "J4")["title"] == job_view(other, "J4")["title"] == "Seen twice"
    finally:
        other.close()


# -- commands ---------------------------------------------------------------------------------


def test_connect_and_connect_result_and_clear_and_disconnect(
    project: Project, widget: JobBuilder, fe: Driver
) -> None:
    done = fe.command(
        "connect", job="J4", input="particles", source_job="J2", source_output="particles"
    )
    assert done["done"] == "connect J2.particles to J4.particles" and "job" not in done
    assert [c.job_uid for c in project.state("J4").input("particles").connections] == ["J2"]
    assert input_view(widget, "J4", "particles")["status"] == "met"

    done = fe.command(
        "connect_result",
        job="J4",
        input="particles",
        connection=0,
        slot="blob",
        source_job="J1",
        source_output="particles",
        source_result="blob",
        version="F",
    )
    assert done["done"] == "connect J1.particles.blob to J4.particles[0].blob"
    blob = project.state("J4").input("particles").connections[0].slot("blob")
    assert (blob.job_uid, blob.result_name) == ("J1", "blob")

    fe.command("clear_slot", job="J4", input="particles", connection=0, slot="alignments3D")
    assert project.state("J4").input("particles").connections[0].slot("alignments3D") is None
    connection = input_view(widget, "J4", "particles")["connections"][0]
    assert "alignments3D" not in [s["slot"] for s in connection["slots"]]

    done = fe.command("disconnect", job="J4", input="particles", connection=0)
    assert done["done"] == "disconnect J4.particles[0]"
    assert project.state("J4").input("particles").connections == []
    assert input_view(widget, "J4", "particles")["status"] == "unmet"


def test_connect_result_at_a_version(project: Project, fe: Driver) -> None:
    project.job("J4").connect("volume", "J3", "volume")
    done = fe.command(
        "connect_result",
        job="J4",
        input="volume",
        connection=0,
        slot="map",
        source_job="J3",
        source_output="volume",
        source_result="map",
        version=0,
    )
    assert done["done"] == "connect J3.volume.map@v0 to J4.volume[0].map"
    assert project.state("J4").input("volume").connections[0].slot("map").version == 0


def test_title_position_and_positions(project: Project, widget: JobBuilder, fe: Driver) -> None:
    assert fe.command("set_title", job="J4", title="Refine (full size)")["done"] == (
        "rename J4 to 'Refine (full size)'"
    )
    assert project.state("J4").title == job_view(widget, "J4")["title"] == "Refine (full size)"
    fe.command("set_position", job="J4", x=120, y=-35.5)
    assert project.state("J4").position == (120.0, -35.5)
    assert job_view(widget, "J4")["position"] == [120.0, -35.5]

    history, placed = len(project.history), project.state("J2").position
    layout = {"J1": [0, 0], "J2": [0, 200.5], "J3": [300, 100], "J4": [600, 100]}
    assert fe.command("set_positions", positions=layout)["done"] == "move 4 jobs"
    assert {uid: list(s.position) for uid, s in project.states.items()} == layout
    assert len(project.history) == history + 1, "an auto-layout is one edit"
    assert {j["uid"]: j["position"] for j in widget.graph["jobs"]} == layout
    fe.command("undo")
    assert project.state("J4").position == (120.0, -35.5)
    assert project.state("J2").position == placed


def test_values_a_document_cannot_hold_are_refused_by_name(project: Project, fe: Driver) -> None:
    before = snapshot(project)
    huge = 10**400  # an integer JSON can carry and a float cannot
    message = fe.refused("command", command={"op": "set_position", "job": "J4", "x": huge, "y": 0})
    assert "needs 'x' as a finite number, got an integer of 401 digits" in message
    message = fe.refused("command", command={"op": "set_title", "job": "J4", "title": "a\udc80"})
    assert "cannot title J4" in message and "lone surrogate" in message
    positions = {"J4": [0, 10**5000]}
    message = fe.refused("command", command={"op": "set_positions", "positions": positions})
    assert "needs 'positions.J4' as a finite number, got an integer of" in message
    assert snapshot(project) == before
    fe.command("set_position", job="J4", x=1, y=2)  # and edits go on


def test_add_and_delete_job(project: Project, widget: JobBuilder, fe: Driver) -> None:
    history = len(project.history)
    done = fe.command("add_job", type="local_resolution", x=50, y=60.5)
    uid = done["job"]
    assert done["done"] == f"create {uid} (local_resolution)"
    assert project.state(uid).type == "local_resolution"
    assert project.state(uid).position == (50.0, 60.5)
    assert len(project.history) == history + 1, "adding a job at a place is one edit"
    assert job_view(widget, uid)["position"] == [50.0, 60.5]
    assert job_view(widget, uid)["status"] == "building"

    assert fe.command("delete_job", job=uid)["done"] == f"delete {uid}"
    assert uid not in project.states
    assert uid not in [j["uid"] for j in widget.graph["jobs"]]


def test_undo_and_redo(project: Project, widget: JobBuilder, fe: Driver) -> None:
    fe.command("connect", job="J4", input="particles", source_job="J1", source_output="particles")
    revision = widget.graph["revision"]
    assert fe.command("undo")["done"] == "undo connect J1.particles to J4.particles"
    assert project.state("J4").input("particles").connections == []
    assert widget.graph["revision"] == revision + 1
    assert (
        widget.graph["can_redo"]
        and widget.graph["redo_label"] == "connect J1.particles to J4.particles"
    )
    assert fe.command("redo")["done"] == "redo connect J1.particles to J4.particles"
    assert len(project.state("J4").input("particles").connections) == 1
    assert not widget.graph["can_redo"]
    assert widget.graph["undo_label"] == "connect J1.particles to J4.particles"


def test_undo_and_redo_run_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Project.create(tmp_path / "empty") as project:
        builder = JobBuilder(project)
        fe = Driver(builder, monkeypatch)
        assert not builder.graph["can_undo"] and builder.graph["undo_label"] == ""
        assert fe.refused("command", command={"op": "undo"}) == "nothing to undo"
        assert fe.refused("command", command={"op": "redo"}) == "nothing to redo"
        builder.close()


def test_every_edit_bumps_the_revision_once(widget: JobBuilder, fe: Driver) -> None:
    revisions = [widget.graph["revision"]]
    fe.command("set_title", job="J4", title="a")
    revisions.append(widget.graph["revision"])
    fe.command("set_positions", positions={"J1": [1, 1], "J2": [2, 2]})
    revisions.append(widget.graph["revision"])
    fe.command("undo")
    revisions.append(widget.graph["revision"])
    assert revisions == list(range(revisions[0], revisions[0] + 4))


# -- refusals ---------------------------------------------------------------------------------

CONNECT = {"job": "J4", "input": "particles", "source_job": "J1", "source_output": "particles"}
OVERRIDE = {
    **CONNECT,
    "connection": 0,
    "slot": "blob",
    "source_result": "blob",
    "version": "F",
}


def req(type: str, **fields: Any) -> dict[str, Any]:
    return {"type": type, **fields}


def cmd(op: str, **fields: Any) -> dict[str, Any]:
    return req("command", command={"op": op, **fields})


def drag(**source: Any) -> dict[str, Any]:
    return req("compatibility", source=source)


GROUP = {"kind": "group", "job": "J1", "output": "particles"}
RESULT = {**GROUP, "kind": "result", "result": "blob", "version": "F"}
ROWS = {"job": "J4", "input": "particles", "offset": 0, "limit": 10}
FILE = {"job": "J3", "output": "volume", "result": "map", "version": "F", "offset": 0}

REFUSED: list[tuple[dict[str, Any], str]] = [
    (req("paint"), "unknown request type 'paint'; types are command, compatibility"),
    ({}, "request lacks the field 'type'"),
    (req(3), "request needs 'type' as a string, got 3"),
    (cmd("explode"), "unknown command 'explode'; commands are connect, connect_result"),
    (req("command"), "request 'command' lacks the field 'command'"),
    (req("command", command=[1]), "'command' must be a JSON object, got [1]"),
    (cmd("connect", job="J4"), "command 'connect' lacks the field 'input'"),
    (cmd("connect", **{**CONNECT, "job": 4}), "command 'connect' needs 'job' as a string, got 4"),
    (cmd("connect", **{**CONNECT, "job": "J99"}), "there is no job J99 in this project"),
    (
        cmd("connect", **{**CONNECT, "source_job": "J99"}),
        "cannot connect J99.particles to J4.particles: there is no job J99",
    ),
    (cmd("connect", **{**CONNECT, "input": "maps"}), "J4 has no input 'maps'"),
    (
        cmd("connect", **{**CONNECT, "input": "volume"}),
        "input 'volume' takes volume items, J1.particles holds particle items",
    ),
    (
        cmd("connect", **{**CONNECT, "source_job": "J4"}),
        "this would create a cycle (J4 -> J4)",
    ),
    (
        cmd("connect", **{**CONNECT, "job": "J1"}),
        "J1 is completed; only a building job's inputs can change",
    ),
    (
        cmd("disconnect", job="J4", input="particles", connection=0),
        "cannot disconnect J4.particles[0]: it has 0 connection(s)",
    ),
    (
        cmd("disconnect", job="J4", input="particles", connection="0"),
        "command 'disconnect' needs 'connection' as a whole number >= 0, got '0'",
    ),
    (cmd("disconnect", job="J4", input="particles", connection=True), ">= 0, got True"),
    (cmd("disconnect", job="J4", input="particles", connection=-1), ">= 0, got -1"),
    (
        cmd("clear_slot", job="J4", input="particles", connection=2, slot="blob"),
        "cannot clear J4.particles[2].blob: input 'particles' has 0 connection(s)",
    ),
    (
        cmd("connect_result", **{**OVERRIDE, "version": "latest"}),
        "needs 'version' as a version number or \"F\", got 'latest'",
    ),
    (
        cmd("connect_result", **OVERRIDE),
        "cannot connect J1.particles.blob to J4.particles[0].blob: "
        "input 'particles' has 0 connection(s)",
    ),
    (cmd("set_title", job="J4"), "command 'set_title' lacks the field 'title'"),
    (cmd("set_position", job="J4", x="1", y=2), "needs 'x' as a number, got '1'"),
    (cmd("set_position", job="J4", x=1, y=math.inf), "needs 'y' as a finite number, got inf"),
    (cmd("set_positions", positions=[]), "needs 'positions' as an object"),
    (cmd("set_positions", positions={"J1": [1]}), "needs 'positions.J1' as [x, y], got [1]"),
    (cmd("set_positions", positions={"J1": [1, 2], "J77": [0, 0]}), "there is no job J77"),
    (cmd("set_positions", positions={}), "nothing to move"),
    (cmd("add_job", type="homo_refine", x=0, y=0), "unknown job type 'homo_refine'; did you"),
    (cmd("add_job", type="homo_refine_new", x=0), "command 'add_job' lacks the field 'y'"),
    (cmd("delete_job", job="J1"), "cannot delete J1: it is completed, not building"),
    (cmd("delete_job", job="J8"), "there is no job J8"),
    (drag(**{**GROUP, "kind": "pixel"}), "needs 'kind' as 'group' or 'result', got 'pixel'"),
    (drag(**{**GROUP, "output": "volume"}), "J1 has no output 'volume'"),
    (drag(**{**GROUP, "job": "J9"}), "there is no job J9"),
    (drag(**{**RESULT, "result": "map"}), "J1.particles has no result 'map'"),
    (drag(**{**GROUP, "kind": "result"}), "'source' lacks the field 'result'"),
    (req("compatibility"), "request 'compatibility' lacks the field 'source'"),
    (
        req("preview", job="J4", input="particles"),
        "J4.particles is not ready: needs at least 1 group(s), has 0",
    ),
    (req("preview", job="J4", input="nope"), "J4 has no input 'nope'"),
    (req("preview", job="J40", input="particles"), "there is no job J40"),
    (req("rows", **{**ROWS, "offset": -5}), "needs 'offset' as a whole number >= 0, got -5"),
    (req("rows", **{**ROWS, "limit": 2.5}), "needs 'limit' as a whole number >= 0, got 2.5"),
    (req("rows", job="J4", input="particles"), "request 'rows' lacks the field 'offset'"),
    (
        req("download", **{**FILE, "job": "J4"}),
        "J4: result volume.map has no saved version",
    ),
    (
        req("download", **{**FILE, "version": 5}),
        "J3: result volume.map has no version 5 (versions: [0, 1], or 'F')",
    ),
    (
        req("download", **{**FILE, "result": "mask"}),
        "J3.volume has no result 'mask' (results: map, map_half_A, map_half_B)",
    ),
    (req("download", **{**FILE, "output": "particles"}), "J3 has no output 'particles'"),
    (req("download", **{**FILE, "offset": 10**9}), r"offset 1000000000 is past the end of "),
    (req("download", **{**FILE, "offset": None}), "needs 'offset' as a whole number >= 0"),
]


@pytest.mark.parametrize(("request_fields", "message"), REFUSED)
def test_malformed_or_refused_requests_change_nothing(
    project: Project, widget: JobBuilder, fe: Driver, request_fields: dict[str, Any], message: str
) -> None:
    before, graph = snapshot(project), widget.graph
    fe.next_id += 1
    reply, buffers = fe.raw({"id": fe.next_id, **request_fields})
    assert reply == {"id": fe.next_id, "ok": False, "error": reply["error"]} and buffers == []
    assert message in reply["error"]
    assert snapshot(project) == before
    assert widget.graph is graph


@pytest.mark.parametrize("content", [None, "connect", [1, 2], {"type": "command"}, {"id": "7"}])
def test_a_request_without_a_numeric_id_is_answered_without_one(
    project: Project, fe: Driver, content: Any
) -> None:
    before = snapshot(project)
    reply, buffers = fe.raw(content)
    assert reply["ok"] is False and reply["id"] is None and buffers == []
    assert "needs a number 'id'" in reply["error"]
    assert snapshot(project) == before


def test_an_unexpected_failure_is_answered_not_raised(
    project: Project, fe: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(Project, "can_connect", broken)
    error = fe.refused(
        "compatibility", source={"kind": "group", "job": "J1", "output": "particles"}
    )
    assert error == "internal error, please report it: ZeroDivisionError: boom"


def test_read_only_project_refuses_every_edit_but_shows_and_previews(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.job("J4").connect("particles", "J1", "particles")
    root = project.root
    project.close()
    with Project.open(root, read_only=True) as viewer:
        builder = JobBuilder(viewer)
        fe = Driver(builder, monkeypatch)
        assert builder.graph["read_only"] is True
        for command in (
            {"op": "connect", **CONNECT},
            {"op": "set_position", "job": "J4", "x": 1, "y": 1},
            {"op": "undo"},
        ):
            assert "open read-only" in fe.refused("command", command=command)
        targets = fe.ok(
            "compatibility", source={"kind": "group", "job": "J2", "output": "particles"}
        )
        assert targets["targets"] and not any(v["ok"] for v in targets["targets"].values())
        assert all("open read-only" in v["reason"] for v in targets["targets"].values())
        assert fe.ok("preview", job="J4", input="particles")["rows"] == 300
        builder.close()


# -- jobs of an opened CryoSPARC project --------------------------------------------------------


@pytest.fixture
def cryosparc(tmp_path: Path) -> Iterator[Project]:
    """The interop fixture's CryoSPARC project (J24 completed, J26 a refinement being built
    there) opened with a workspace, so new jobs can be made."""
    folder = write_cryosparc_project(tmp_path / "CS-P12")
    project = open_cryosparc_project(folder, tmp_path / "work")
    yield project
    project.close()


def test_cryosparc_jobs_are_shown_external_and_refuse_changes(
    cryosparc: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = JobBuilder(cryosparc)
    fe = Driver(builder, monkeypatch)
    assert (
        job_view(builder, "J26")["external"] is True
        and job_view(builder, "J26")["status"] == "building"
    )
    before = snapshot(cryosparc)
    error = fe.refused("command", command={"op": "set_title", "job": "J26", "title": "mine"})
    assert "J26 belongs to the CryoSPARC project" in error and "never changes" in error
    error = fe.refused(
        "command", command={"op": "disconnect", "job": "J26", "input": "particles", "connection": 0}
    )
    assert "J26 belongs to the CryoSPARC project" in error
    assert snapshot(cryosparc) == before
    # Where the canvas draws them may change.
    fe.command("set_position", job="J26", x=10, y=20)
    assert job_view(builder, "J26")["position"] == [10.0, 20.0]
    # A drop on them is refused up front, with the same reason.
    targets = fe.ok("compatibility", source={"kind": "group", "job": "J24", "output": "particles"})[
        "targets"
    ]
    assert targets["input-J26-particles"]["ok"] is False
    assert "J26 belongs to the CryoSPARC project" in targets["input-J26-particles"]["reason"]
    # A job of one's own builds on them.
    uid = fe.command("add_job", type="homo_refine_new", x=0, y=0)["job"]
    targets = fe.ok("compatibility", source={"kind": "group", "job": "J24", "output": "particles"})[
        "targets"
    ]
    assert targets[f"input-{uid}-particles"] == {"ok": True, "reason": ""}
    fe.command("connect", job=uid, input="particles", source_job="J24", source_output="particles")
    assert job_view(builder, uid)["external"] is False
    builder.close()


def test_download_of_a_cryosparc_result(
    cryosparc: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = JobBuilder(cryosparc)
    fe = Driver(builder, monkeypatch)
    reply, (data,) = fe.request(
        "download", job="J25", output="particles", result="alignments2D", version=1, offset=0
    )
    assert reply["ok"] and reply["filename"] == "J25_001_particles.cs"
    assert Path(reply["path"]) == cryosparc.cryosparc_project / "J25" / "J25_001_particles.cs"
    assert bytes(data) == Path(reply["path"]).read_bytes()
    # The trait's metafiles are relative to the root it names, as protocol.ts has them, even
    # where the files are in the CryoSPARC project's folder and not the workspace's.
    (view,) = [
        r for r in job_view(builder, "J25")["outputs"][0]["results"] if r["name"] == "alignments2D"
    ]
    root = Path(builder.graph["root"])
    assert root == (cryosparc.root).resolve() != cryosparc.cryosparc_project
    assert [(root / m).resolve() for m in view["metafiles"]] == [
        cryosparc.cryosparc_project / "J25" / f"J25_00{v}_particles.cs" for v in range(3)
    ]
    assert not any(Path(m).is_absolute() for m in view["metafiles"])
    builder.close()


# -- compatibility ------------------------------------------------------------------------------


@pytest.fixture
def busy(project: Project) -> Project:
    """More building jobs with connections, so verdicts differ: J5 refinement with J2's
    particles twice-able, J6 local resolution with J3's volume, J7 an external job."""
    j5 = project.create_job("homo_refine_new")
    j5.connect("particles", "J2", "particles")
    j5.connect("volume", "J3", "volume")
    j6 = project.create_job("local_resolution")
    j6.connect("volume", "J3", "volume")
    j7 = project.create_external_job("Custom")
    j7.add_input("particle", "particles", slots=["blob"])
    j7.connect("particles", "J1", "particles")
    return project


def test_group_verdicts_are_the_projects(busy: Project, fe: Driver) -> None:
    building = [s for s in busy.states.values() if s.status == "building"]
    completed = [s for s in busy.states.values() if s.status == "completed"]
    seen: set[bool] = set()
    for source in completed:
        for output in source.outputs:
            drag = {"kind": "group", "job": source.uid, "output": output.spec.name}
            targets = fe.ok("compatibility", source=drag)["targets"]
            expected = {
                f"input-{t.uid}-{g.spec.name}": busy.can_connect(
                    t.uid, g.spec.name, source.uid, output.spec.name
                )
                for t in building
                for g in t.inputs
            }
            assert set(targets) == set(expected)
            for key, (ok, reason) in expected.items():
                assert targets[key] == {"ok": ok, "reason": reason}, key
                seen.add(ok)
    assert seen == {True, False}


def test_result_verdicts_are_the_projects(busy: Project, fe: Driver) -> None:
    building = [s for s in busy.states.values() if s.status == "building"]
    drags = [
        ("J1", "particles", "blob", "F"),
        ("J2", "particles", "alignments3D", "F"),
        ("J3", "volume", "map_half_A", 0),
        ("J3", "volume", "map", 7),  # no such version: every slot refuses
    ]
    seen: set[bool] = set()
    for uid, output, result, version in drags:
        drag = {
            "kind": "result",
            "job": uid,
            "output": output,
            "result": result,
            "version": version,
        }
        targets = fe.ok("compatibility", source=drag)["targets"]
        expected = {
            f"slot-{t.uid}-{g.spec.name}-{i}-{slot.name}": busy.can_connect_result(
                t.uid, g.spec.name, i, slot.name, uid, output, result, version
            )
            for t in building
            for g in t.inputs
            for i in range(len(g.connections))
            for slot in g.spec.slots
        }
        assert set(targets) == set(expected) and len(expected) > 5
        for key, (ok, reason) in expected.items():
            assert targets[key] == {"ok": ok, "reason": reason}, key
            seen.add(ok)
    assert seen == {True, False}
    assert targets["slot-J6-volume-0-map_half_A"]["reason"].endswith(
        "has no version 7 (versions [0, 1])"
    )


def test_a_compatible_target_accepts_the_drop(busy: Project, fe: Driver) -> None:
    targets = fe.ok("compatibility", source={"kind": "group", "job": "J1", "output": "particles"})[
        "targets"
    ]
    assert targets["input-J5-particles"]["ok"]
    fe.command("connect", job="J5", input="particles", source_job="J1", source_output="particles")
    targets = fe.ok("compatibility", source={"kind": "group", "job": "J1", "output": "particles"})[
        "targets"
    ]
    assert targets["input-J5-particles"] == {
        "ok": False,
        "reason": "cannot connect J1.particles to J5.particles: already connected, and input "
        "'particles' does not allow repeats",
    }


# -- preview, rows, download ----------------------------------------------------------------------


@pytest.fixture
def downsampled(project: Project) -> Project:
    """J4 reads J2's particles and J1's, appended (500 rows); J2's optional alignments3D
    is cleared so both connections hold the same fields."""
    refine = project.job("J4")
    refine.connect("particles", "J2", "particles")
    refine.connect("particles", "J1", "particles")
    refine.clear_slot("particles", 0, "alignments3D")
    return project


def test_preview_counts_rows_and_names_each_fields_sources(
    downsampled: Project, fe: Driver
) -> None:
    resolution = downsampled.job("J4").resolve("particles")
    resolved = resolution.dataset
    reply = fe.ok("preview", job="J4", input="particles")
    assert reply["rows"] == len(resolved) == 500
    assert [g["prefix"] for g in reply["groups"]] == ["", *resolved.prefixes()]
    fields = {f["name"]: f for g in reply["groups"] for f in g["fields"]}
    assert list(fields) == resolved.fields()
    assert fields["uid"] == {
        "name": "uid",
        "dtype": "<u8",
        "shape": [],
        "sources": [],
        "histogram": None,
    }
    # Numeric fields come with their distribution as bin counts, never rows.
    df1 = fields["ctf/df1_A"]["histogram"]
    assert sum(df1["counts"]) == 500 and len(df1["counts"]) == 16
    assert (df1["low"], df1["high"]) == (
        float(resolved["ctf/df1_A"].min()),
        float(resolved["ctf/df1_A"].max()),
    )
    assert fields["blob/path"]["histogram"] is None  # strings
    assert fields["blob/shape"]["histogram"] is None  # vectors
    assert fields["ctf/df1_A"]["sources"] == ["J2.particles.ctf", "J1.particles.ctf"]
    assert fields["blob/shape"]["dtype"] == "<u4" and fields["blob/shape"]["shape"] == [2]
    assert fields["blob/path"]["dtype"].startswith("|S")
    for name, field in fields.items():
        assert field["sources"] == [s.label() for s in resolution.provenance.get(name, ())]


def test_preview_names_an_override_and_a_version(project: Project, fe: Driver) -> None:
    local = project.create_job("local_resolution")
    local.connect("volume", "J3", "volume")
    local.connect_result("volume", 0, "map_half_B", "J3", "volume", "map_half_B", 0)
    reply = fe.ok("preview", job=local.uid, input="volume")
    fields = {f["name"]: f for g in reply["groups"] for f in g["fields"]}
    assert fields["map_half_B/path"]["sources"] == ["J3.volume.map_half_B@v0"]
    assert fields["map_half_A/path"]["sources"] == ["J3.volume.map_half_A"]


def test_a_resolve_error_is_a_refusal(downsampled: Project, fe: Driver) -> None:
    path = downsampled.root / downsampled.state("J1").output("particles").results[0].metafiles[0]
    path.unlink()
    error = fe.refused("preview", job="J4", input="particles")
    assert "J4.particles[1]" in error and "is missing" in error


def decode(reply: Reply, buffers: list[Any]) -> pd.DataFrame:
    """The page as a DataFrame, read the way the front end reads the buffers."""
    assert len(buffers) == len(reply["columns"])
    columns: dict[str, Any] = {}
    for column, buffer in zip(reply["columns"], buffers, strict=True):
        data = bytes(buffer)
        if column["kind"] == "str":
            width = len(data) // reply["count"] if reply["count"] else 1
            records = [data[i : i + width] for i in range(0, len(data), width)]
            values = [r.split(b"\0", 1)[0].decode("utf-8") for r in records]
            columns[column["name"]] = np.array(values, dtype=object)
        else:
            columns[column["name"]] = np.frombuffer(
                data, dtype=np.dtype(column["kind"]).newbyteorder("<")
            )
        assert len(columns[column["name"]]) == reply["count"]
    return pd.DataFrame(columns)


def expected_page(dataset: Dataset, start: int, stop: int) -> pd.DataFrame:
    frame = dataset.to_pandas().iloc[start:stop].reset_index(drop=True)
    return pd.DataFrame(
        {
            name: frame[name].to_numpy(dtype=object)
            if frame[name].dtype == "cs_bytes"
            else frame[name].to_numpy()
            for name in frame.columns
        }
    )


def test_rows_pages_decode_to_the_resolved_input(downsampled: Project, fe: Driver) -> None:
    resolution = downsampled.job("J4").resolve("particles")
    resolved = resolution.dataset
    pages = []
    offset = 0
    while True:
        reply, buffers = fe.request("rows", job="J4", input="particles", offset=offset, limit=130)
        assert reply["ok"], reply
        assert reply["offset"] == offset and reply["total"] == 500
        if reply["count"] == 0:
            break
        assert reply["count"] == min(130, 500 - offset)
        pages.append(decode(reply, buffers))
        offset += reply["count"]
    got = pd.concat(pages, ignore_index=True)
    pd.testing.assert_frame_equal(got, expected_page(resolved, 0, 500))
    names = [c["name"] for c in reply["columns"]]
    assert names == list(resolved.to_pandas().columns)
    assert "blob/shape/1" in names and "blob/shape" not in names
    kinds = {c["name"]: c["kind"] for c in reply["columns"]}
    assert (kinds["uid"], kinds["blob/path"], kinds["ctf/df1_A"], kinds["blob/idx"]) == (
        "u8",
        "str",
        "f4",
        "u4",
    )


def test_rows_are_capped_and_an_offset_past_the_end_is_empty(project: Project, fe: Driver) -> None:
    many = imported(project, MAX_ROWS + 200, ["blob", "ctf"], seed=5)
    reader = project.create_job("homo_refine_new")
    reader.connect("particles", many, "particles")
    reply, buffers = fe.request("rows", job=reader.uid, input="particles", offset=0, limit=10**6)
    assert (reply["count"], reply["total"]) == (MAX_ROWS, MAX_ROWS + 200)
    numeric = [(c, b) for c, b in zip(reply["columns"], buffers, strict=True) if c["kind"] != "str"]
    assert {len(bytes(b)) // np.dtype(c["kind"]).itemsize for c, b in numeric} == {MAX_ROWS}
    reply, buffers = fe.request("rows", job=reader.uid, input="particles", offset=650, limit=100)
    assert (reply["offset"], reply["count"]) == (650, 50)
    reply, buffers = fe.request("rows", job=reader.uid, input="particles", offset=900, limit=10)
    assert (reply["ok"], reply["count"], reply["total"]) == (True, 0, MAX_ROWS + 200)
    assert len(buffers) == len(reply["columns"]) and all(bytes(b) == b"" for b in buffers)


def test_rows_of_strings_with_empty_non_ascii_and_newline_values(
    project: Project, fe: Driver
) -> None:
    job = project.create_external_job("Strings")
    job.add_output("particle", "particles", slots=["blob"])
    data = particles(4, ["blob"], seed=3)
    array = data.array.astype(
        [(n, "S12") if n == "blob/path" else (n, data.array.dtype[n]) for n in data.fields()]
    )
    array["blob/path"] = [b"", "\u00e9t\u00e9.mrc".encode(), b"a\nb", b"x" * 12]
    with job.run():
        job.save_output("particles", Dataset(array))
    reader = project.create_external_job("Reader")
    reader.add_input("particle", "particles", slots=["blob"])
    reader.connect("particles", job.uid, "particles")
    reply, buffers = fe.request("rows", job=reader.uid, input="particles", offset=0, limit=4)
    index = [c["name"] for c in reply["columns"]].index("blob/path")
    assert bytes(buffers[index]) == array["blob/path"].tobytes()  # 4 records of 12 bytes
    page = decode(reply, buffers)
    assert page["blob/path"].tolist() == ["", "\u00e9t\u00e9.mrc", "a\nb", "x" * 12]


def test_paging_resolves_once_until_the_project_changes(
    downsampled: Project, widget: JobBuilder, fe: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryoweave.graph import job as job_module

    calls: list[str] = []
    resolve = job_module.Job.resolve

    def counting(self: job_module.Job, name: str) -> Resolved:
        calls.append(name)
        return resolve(self, name)

    monkeypatch.setattr(job_module.Job, "resolve", counting)
    fe.ok("preview", job="J4", input="particles")
    for offset in (0, 100, 200):
        fe.ok("rows", job="J4", input="particles", offset=offset, limit=100)
    assert calls == ["particles"]
    downsampled.job("J4").disconnect("particles", 1)  # from Python: a new revision
    reply = fe.ok("rows", job="J4", input="particles", offset=0, limit=10)
    assert calls == ["particles", "particles"] and reply["total"] == 200
    local = downsampled.create_job("local_resolution")
    local.connect("volume", "J3", "volume")
    fe.ok("rows", job=local.uid, input="volume", offset=0, limit=1)
    fe.ok("rows", job="J4", input="particles", offset=0, limit=10)
    assert calls == ["particles", "particles", "volume", "particles"]


def test_download_sends_the_file_of_the_version(project: Project, fe: Driver) -> None:
    result = project.state("J3").output("volume").result("map")
    for version, metafile in [
        (0, result.metafiles[0]),
        (1, result.metafiles[1]),
        ("F", result.metafiles[-1]),
    ]:
        reply, buffers = fe.request(
            "download", job="J3", output="volume", result="map", version=version, offset=0
        )
        assert reply["ok"]
        path = (project.root / metafile).resolve()
        assert reply["path"] == str(path) and reply["filename"] == path.name
        (data,) = buffers
        assert bytes(data) == path.read_bytes()
    reply, (first,) = fe.request("download", **{**FILE, "version": 0})
    reply, (last,) = fe.request("download", **FILE)
    assert bytes(first) != bytes(last)


def test_a_large_file_downloads_in_chunks_the_front_end_joins(
    project: Project, fe: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryoweave.widget import builder_data

    monkeypatch.setattr(builder_data, "DOWNLOAD_CHUNK", 100)
    path = project.root / project.state("J3").output("volume").result("map").metafiles[-1]
    whole = path.read_bytes()
    assert len(whole) > 200
    parts, offset, stamps = [], 0, set()
    while True:
        reply, (chunk,) = fe.request("download", **{**FILE, "offset": offset})
        assert (reply["offset"], reply["size"]) == (offset, len(whole))
        assert len(bytes(chunk)) == min(100, len(whole) - offset)
        parts.append(bytes(chunk))
        stamps.add(reply["stamp"])
        offset += len(bytes(chunk))
        if offset == reply["size"]:
            break
    assert b"".join(parts) == whole and len(stamps) == 1
    reply, (chunk,) = fe.request("download", **{**FILE, "offset": len(whole)})
    assert bytes(chunk) == b"" and reply["size"] == len(whole)


# -- size ----------------------------------------------------------------------------------------


def two_hundred_jobs(root: Path, n_particles: int) -> Project:
    """A 200-job project: particles, volumes, and 198 refinements being built, half of them
    connected to both."""
    project = Project.create(root)
    source = imported(project, n_particles, ["blob", "ctf", "alignments3D"], seed=4)
    volumes = volume_job(project, versions=3)
    for i in range(198):
        job = project.create_job("homo_refine_new", position=(300.0 * (i % 20), 200.0 * (i // 20)))
        if i % 2 == 0:
            job.connect("particles", source, "particles")
            job.connect("volume", volumes, "volume")
    return project


@pytest.mark.slow
def test_graph_trait_size_follows_jobs_not_particles(tmp_path: Path) -> None:
    sizes = {}
    for n in (50, 50_000):
        with two_hundred_jobs(tmp_path / str(n), n) as project:
            builder = JobBuilder(project)
            assert len(builder.graph["jobs"]) == 200
            sizes[n] = len(json.dumps(builder.get_state()["graph"]).encode())
            builder.close()
    # A thousand times the particles adds only digits to counts ("50" -> "50,000").
    assert abs(sizes[50_000] - sizes[50]) < 3 * 200
    # The bound: job types travel once (specs), jobs carry only their own state.
    assert sizes[50_000] < 300_000


# -- the bundle and the package -----------------------------------------------------------------


def test_works_without_the_bundle_but_says_so_when_shown(
    widget: JobBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_builder, "_BUNDLE_FOUND", False)
    with pytest.raises(RuntimeError, match=r"builder\.js.*pip install -e \."):
        widget._repr_mimebundle_()


@pytest.mark.skipif(not job_builder._BUNDLE_FOUND, reason="builder.js not built yet")
def test_widget_serves_the_bundle(widget: JobBuilder) -> None:
    assert widget.get_state()["_esm"] == job_builder.BUNDLE_PATH.read_text(encoding="utf-8")
    assert widget._repr_mimebundle_() is not None


def test_exported_from_the_package() -> None:
    assert cryoweave.JobBuilder is JobBuilder
    assert "JobBuilder" in cryoweave.__all__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        cryoweave.Nope  # noqa: B018


def test_a_building_jobs_outputs_are_dragged_and_connected_like_a_completed_jobs(
    project: Project, widget: JobBuilder, fe: Driver
) -> None:
    project.job("J4").connect("particles", "J1", "particles")
    refine = project.create_job("homo_refine_new")  # reads J4, which has not run
    source = {"kind": "group", "job": "J4", "output": "particles"}
    targets = fe.ok("compatibility", source=source)["targets"]
    assert targets[f"input-{refine.uid}-particles"] == {"ok": True, "reason": ""}
    done = fe.command(
        "connect", job=refine.uid, input="particles", source_job="J4", source_output="particles"
    )
    assert done["done"] == f"connect J4.particles to {refine.uid}.particles"
    view = input_view(widget, refine.uid, "particles")
    assert view["status"] == "waiting" and view["problems"] == ["waiting for J4 (building)"]


def test_selected_building_jobs_go_to_cryosparc_as_a_script_or_a_workflow(
    cryosparc: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = JobBuilder(cryosparc)
    fe = Driver(builder, monkeypatch)
    classify = cryosparc.create_job("class_2D_new")
    classify.connect("particles", "J24", "particles")
    reply = fe.ok("handoff", jobs=[classify.uid], workspace="W3")
    assert reply["jobs"] == [classify.uid]
    assert "project = cs.find_project('P12')" in reply["script"]
    assert ".connect('particles', 'J24', 'particles')" in reply["script"]
    assert "project.create_job('W3', 'class_2D_new', " in reply["script"]
    workflow = fe.ok("workflow", jobs=[classify.uid])
    assert workflow["filename"] == "P12_sample_workflow.json"
    doc = json.loads(workflow["text"])
    assert doc["jobs"][classify.uid]["groups"] == [["J24.particles", "particles"]]
    assert list(doc["parents"]) == ["J24"]
    refine = cryosparc.create_job("homo_refine_new")  # nothing connected
    error = fe.refused("handoff", jobs=[refine.uid, "J24"], workspace="W1")
    assert f"{refine.uid}.particles: needs at least 1 group(s), has 0" in error
    assert "J24 is CryoSPARC's own job already" in error
    assert "needs 'jobs' as a list of strings" in fe.refused("workflow", jobs="J24")
    builder.close()


def test_the_parameters_panel_reads_and_sets_parameters_through_the_job(
    project: Project, widget: JobBuilder, fe: Driver
) -> None:
    reply = fe.ok("params", job="J4")  # a homogeneous refinement being built
    assert reply["editable"] is True and reply["type_title"] == "Homogeneous Refinement"
    symmetry = next(p for p in reply["params"] if p["key"] == "refine_symmetry")
    assert (symmetry["value"], symmetry["default"], symmetry["is_set"]) == ("C1", "C1", False)
    assert symmetry["section"] and symmetry["help"] and symmetry["type"] == "str"
    assert fe.command("set_param", job="J4", key="refine_symmetry", value="D7")["done"] == (
        "set J4.refine_symmetry to 'D7'"
    )
    assert project.job("J4").params["refine_symmetry"].value == "D7"
    changed = next(p for p in fe.ok("params", job="J4")["params"] if p["key"] == "refine_symmetry")
    assert changed["changed"] is True
    error = fe.refused(
        "command", command={"op": "set_param", "job": "J4", "key": "refine_symetry", "value": "D7"}
    )
    assert "has no parameter 'refine_symetry'; did you mean refine_symmetry" in error
    error = fe.refused(
        "command",
        command={"op": "set_param", "job": "J4", "key": "refine_symmetry", "value": [1]},
    )
    assert "needs 'value' as a number, got [1]" in error
    fe.command("clear_param", job="J4", key="refine_symmetry")
    assert project.job("J4").state.params == {}
    assert fe.ok("params", job="J1")["editable"] is False  # completed: shown, not edited
