"""The "Send to CryoSPARC" script: run as a user runs it (a Python process with
cryosparc-tools, CRYOSPARC_BASE_URL, CRYOSPARC_EMAIL and CRYOSPARC_PASSWORD set) against
the local CryoSPARC stand-in, and read as Python source with hostile text in every value."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cryoweave import Project
from cryoweave.handoff import PlanRefused, plan

from .cryosparc_server import TestServer
from .live import EMAIL, PASSWORD, assert_rebuilt, guide_cases
from .test_plan import best_half


def run(script: str, server: TestServer, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "send_to_cryosparc.py"
    path.write_text(script)
    env = {
        **os.environ,
        "CRYOSPARC_BASE_URL": server.url,
        "CRYOSPARC_EMAIL": EMAIL,
        "CRYOSPARC_PASSWORD": PASSWORD,
    }
    return subprocess.run(
        [sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=120
    )


def printed(out: str) -> dict[str, str]:
    """``J13 -> J57`` lines: cryoweave uid -> CryoSPARC uid."""
    pairs = [line.split(" -> ") for line in out.splitlines() if " -> " in line]
    return {ours: theirs for ours, theirs in pairs}


def test_the_script_rebuilds_the_graph_through_cryosparc_tools(
    workspace: Project, cryosparc_folder: Path, tmp_path: Path
) -> None:
    subset = best_half(workspace)
    refine, local = guide_cases(workspace)
    workspace.job(refine).connect("particles", subset, "particles")
    p = plan(workspace, [refine, local], workspace="W2", export_folder=tmp_path / "exports")
    script = p.script(queue="gpu")
    assert f"# {refine}: Homogeneous Refinement 'Refine at full size'" in script
    assert f"EXPORTS = Path({str(tmp_path / 'exports')!r})" in script
    server = TestServer(cryosparc_folder)
    with server.running():
        done = run(script, server, tmp_path)
    assert done.returncode == 0, done.stderr
    sent = printed(done.stdout)
    assert sent == {f"{subset}.particles": "J13", refine: "J14", local: "J15"}
    assert_rebuilt(workspace, sent, server.state)
    assert set(server.state.made) == {"J13", "J14", "J15"}
    assert [j.queued_to_lane for j in server.state.made.values()] == [None, "gpu", "gpu"]
    uploaded = server.state.datasets[("J13", "particles")]
    assert sorted(uploaded.prefixes()) == ["alignments3D"]


def test_a_script_stopped_by_a_refusal_has_printed_every_job_it_made(
    workspace: Project, cryosparc_folder: Path, tmp_path: Path
) -> None:
    refine, local = guide_cases(workspace)
    script = plan(workspace, [refine, local]).script()
    for index in (1, 2, 9):  # the first create, its first parameter, the second's connect
        server = TestServer(cryosparc_folder)
        with server.running():
            server.refuse_call(index)
            done = run(script, server, tmp_path)
        assert done.returncode != 0 and "refused by the test server" in done.stderr
        assert set(printed(done.stdout).values()) == set(server.state.made), index


HOSTILE = 'P1"""\nimport os; os.system("x")  # \'\\ """'


def test_hostile_text_stays_a_literal(workspace: Project, tmp_path: Path) -> None:
    """A project uid, workspace, title, description, parameter value, lane or URL holding
    triple quotes, quotes, backslashes or line breaks is a string literal in the script,
    equal to what it was, never code."""
    refine, local = guide_cases(workspace)
    workspace.job(refine).set_title(HOSTILE + " title")
    workspace.job(refine).set_param("refine_num_final_iterations", 2)  # a number stays one
    workspace.job(refine).set_param("refine_symmetry", "D7'''\n")
    p = plan(workspace, [refine, local], workspace=HOSTILE + " workspace")
    p = dataclasses.replace(p, project_uid=HOSTILE)  # as a project document may hold it
    script = p.script(queue=HOSTILE + " lane", base_url=HOSTILE + " url")
    tree = ast.parse(script)
    calls = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            values = [ast.literal_eval(a) for a in node.args if isinstance(a, ast.Constant)]
            keywords = {
                k.arg: ast.literal_eval(k.value)
                for k in node.keywords
                if isinstance(k.value, ast.Constant)
            }
            calls.setdefault(name, []).append((values, keywords))
    assert set(calls) == {
        "CryoSPARC",
        "find_project",
        "create_job",
        "set_param",
        "connect",
        "connect_result",
        "disconnect_result",
        "queue",
        "print",
    }
    assert calls["CryoSPARC"] == [([HOSTILE + " url"], {})]
    assert calls["find_project"] == [([HOSTILE], {})]
    assert [c[0][0] for c in calls["create_job"]] == [HOSTILE + " workspace"] * 2
    assert calls["create_job"][0][1]["title"] == HOSTILE + " title"
    assert ([], {"lane": HOSTILE + " lane"}) in calls["queue"]
    assert (["refine_symmetry", "D7'''\n"], {}) in calls["set_param"]
    assert (["refine_num_final_iterations", 2], {}) in calls["set_param"]
    comments = [line for line in script.splitlines() if line.startswith("#")]
    assert all("\n" not in line for line in comments)
    assert not any(
        isinstance(n, (ast.Import, ast.ImportFrom)) and n.names[0].name == "os"
        for n in ast.walk(tree)
    )


def test_a_script_that_uploads_needs_a_folder_for_its_data(workspace: Project) -> None:
    subset = best_half(workspace)
    classify = workspace.create_job("class_2D_new")
    classify.connect("particles", subset, "particles")
    with pytest.raises(PlanRefused, match=f"{subset}.particles exists only in cryoweave: give"):
        plan(workspace, [classify.uid]).script()
