"""What the JobBuilder sends, checked against ``js/src/builder/protocol.ts`` by the TypeScript
compiler: every kind of payload Python really sends (the graph trait, a patch, the catalog,
each reply) is written out as an object literal that must ``satisfy`` its protocol type. A
key Python adds, drops, renames or fills with the wrong kind of value fails ``tsc``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cryoweave import Dataset
from cryoweave.demo import particles
from cryoweave.graph import Project
from cryoweave.graph.model import result_label
from cryoweave.widget import JobBuilder

JS = Path(__file__).resolve().parents[2] / "js"
TSC = JS / "node_modules" / "typescript" / "bin" / "tsc"
PROTOCOL = JS / "src" / "builder" / "protocol"


def typecheck(folder: Path, payloads: list[tuple[str, Any]]) -> subprocess.CompletedProcess[str]:
    """``tsc`` on one file holding each payload as ``(<json>) satisfies <type>``."""
    types = sorted({name.removesuffix("[]") for name, _ in payloads})
    lines = [f"import type {{ {', '.join(types)} }} from {json.dumps(str(PROTOCOL))};"]
    for index, (name, payload) in enumerate(payloads):
        lines.append(f"export const payload{index} = ({json.dumps(payload)}) satisfies {name};")
    (folder / "payloads.ts").write_text("\n".join(lines) + "\n")
    config = {"extends": str(JS / "tsconfig.json"), "include": ["payloads.ts"]}
    (folder / "tsconfig.json").write_text(json.dumps(config))
    node = shutil.which("node")
    assert node is not None, "Node.js is needed to check the wire contract"
    assert TSC.is_file(), f"{TSC} is missing: install the front end (pip install -e .)"
    return subprocess.run(
        [node, str(TSC), "-p", str(folder / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )


def volume_job(project: Project) -> str:
    job = project.create_external_job("Volumes")
    job.add_output("volume", "volume", slots=["map"])
    volume = np.zeros(1, [("uid", "<u8"), ("map/path", "S40"), ("map/shape", "<u4", (3,))])
    volume["uid"], volume["map/path"] = 7, f"{job.uid}/map.mrc".encode()
    with job.run():
        job.save_output("volume", Dataset(volume))
    return job.uid


@pytest.fixture
def sent(tmp_path: Path) -> list[tuple[str, Any]]:
    """One payload of each kind, as sent, with the protocol type it must have."""
    with Project.create(tmp_path / "P1", title="Contract") as project:
        project.import_dataset(
            particles(400, ["blob", "ctf", "alignments3D"], seed=1), "particle", "particles"
        )
        project.import_dataset(particles(300, ["blob", "ctf"], seed=2), "particle", "particles")
        volumes = volume_job(project)
        refine = project.create_job("homo_refine_new")
        refine.connect("particles", "J1", "particles")
        refine.connect_result("particles", 0, "blob", "J2", "particles", "blob")
        refine.connect("volume", volumes, "volume")
        refine.set_param("refine_symmetry", "C2")
        classify = project.create_job("class_2D_new")
        widget = JobBuilder(project)
        messages: list[tuple[dict[str, Any], list[Any]]] = []
        widget.send = lambda content, buffers=None: messages.append((content, buffers or []))  # type: ignore[method-assign]
        payloads: list[tuple[str, Any]] = [
            ("GraphWire", widget.graph),
            ("CatalogEntry[]", widget.catalog),
        ]

        def ask(name: str, request: dict[str, Any]) -> None:
            widget._handle_custom_msg({"id": 1, **request}, [])
            replies = [content for content, _ in messages if content.get("id") == 1]
            messages.clear()
            assert replies, request
            payloads.append((name, replies[-1]))

        command = {"op": "connect", "job": classify.uid, "input": "particles"}
        ask(
            "CommandReply",
            {
                "type": "command",
                "command": {**command, "source_job": "J1", "source_output": "particles"},
            },
        )
        ask(
            "Refusal",
            {
                "type": "command",
                "command": {**command, "source_job": volumes, "source_output": "volume"},
            },
        )
        project.job(classify.uid).set_title("Classes")  # a patch, from Python
        (patch,) = [content for content, _ in messages if content.get("type") == "graph_patch"]
        payloads.append(("GraphPatch", patch))
        messages.clear()
        uid = refine.uid
        ask(
            "CompatibilityReply",
            {
                "type": "compatibility",
                "source": {"kind": "group", "job": "J2", "output": "particles"},
            },
        )
        ask(
            "CompatibilityReply",
            {
                "type": "compatibility",
                "source": {
                    "kind": "result",
                    "job": "J2",
                    "output": "particles",
                    "result": "ctf",
                    "version": "F",
                },
            },
        )
        # The classification reads J1's 400 particles: rows, and histograms of their fields.
        ask("PreviewReply", {"type": "preview", "job": classify.uid, "input": "particles"})
        ask(
            "RowsReply",
            {"type": "rows", "job": classify.uid, "input": "particles", "offset": 0, "limit": 5},
        )
        ask(
            "DownloadReply",
            {
                "type": "download",
                "job": "J1",
                "output": "particles",
                "result": "blob",
                "version": "F",
                "offset": 0,
            },
        )
        ask("ParamsReply", {"type": "params", "job": uid})
        ask("HandoffReply", {"type": "handoff", "jobs": [uid], "workspace": "W1"})
        ask("WorkflowReply", {"type": "workflow", "jobs": [uid]})
        ask("GraphReply", {"type": "graph"})
        ask("LayoutEngineReply", {"type": "layout_engine"})
        widget.close()
    return json.loads(json.dumps(payloads))  # as they travel


def test_every_payload_python_sends_has_its_protocol_type(
    sent: list[tuple[str, Any]], tmp_path: Path
) -> None:
    assert {name for name, _ in sent} >= {"GraphWire", "GraphPatch", "PreviewReply"}
    preview = next(payload for name, payload in sent if name == "PreviewReply")
    fields = [field for group in preview["groups"] for field in group["fields"]]
    assert preview["rows"] == 400 and any(field["histogram"] for field in fields)
    checked = typecheck(tmp_path, sent)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_check_fails_on_a_key_too_many_too_few_or_of_the_wrong_kind(
    sent: list[tuple[str, Any]], tmp_path: Path
) -> None:
    """The check has teeth: each kind of drift between Python and protocol.ts fails it."""
    graph = next(payload for name, payload in sent if name == "GraphWire")
    extra = json.loads(json.dumps(graph))
    extra["jobs"][0]["colour"] = "red"
    missing = json.loads(json.dumps(graph))
    del missing["jobs"][0]["tags"]
    wrong = json.loads(json.dumps(graph))
    wrong["jobs"][0]["status"] = "finished"
    for bad, expected in [(extra, "colour"), (missing, "tags"), (wrong, "finished")]:
        checked = typecheck(tmp_path, [("GraphWire", bad)])
        assert checked.returncode != 0 and expected in checked.stdout, checked.stdout


def test_results_are_named_as_the_front_end_names_them() -> None:
    """``result_label`` and the front end's ``dragLabel`` (format.test.ts) are each the one
    place their side names a result; both are checked against the same cases."""
    cases = json.loads((Path(__file__).parent / "result_labels.json").read_text())
    assert len(cases) > 3
    for case in cases:
        label = result_label(case["job"], case["output"], case["result"], case["version"])
        assert label == case["label"]
