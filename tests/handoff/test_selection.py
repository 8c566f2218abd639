"""A selection made in cryoweave (``select_classes``, ``select_particles``) handed to
CryoSPARC as an External job, through cryosparc-tools' real client against the local
CryoSPARC stand-in (``apply``) and as the script a user runs.

The rows expected are worked out from CryoSPARC's side: J7's files read with
cryosparc-tools' own ``Dataset.load``, not through cryoweave.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from cryosparc.dataset import Dataset
from cryosparc.models.job import Job

from cryoweave import Project
from cryoweave.handoff import PlanRefused, plan

from .cryosparc_server import State, TestServer
from .live import assert_rebuilt, connected
from .test_plan import best_half
from .test_script import HOSTILE, printed, run

CLASSES = [0, 3, 5, 11]


def best_half_selected(project: Project) -> tuple[str, str]:
    """``best_half``, a subset only cryoweave has, and a selection of its particles of
    below-median alignment error."""
    subset = best_half(project)
    errors = project.job(subset).load_output("particles")["alignments3D/error"]
    field = "alignments3D/error"
    selection = project.select_particles(subset, "particles", field, high=float(np.median(errors)))
    return subset, selection.uid


def peer_rows(folder: Path, state: State, job: str, output: str, result: str) -> Dataset:
    """The final version of ``job.output.result`` in the CryoSPARC folder, read by
    cryosparc-tools."""
    found = state.jobs[job].spec.outputs.root[output].results
    metafile = next(r for r in found if r.name == result).metafiles[-1]
    return Dataset.load(folder / metafile)


def test_selected_classes_become_an_external_job_a_cryosparc_job_can_read(
    workspace: Project, cryosparc_folder: Path
) -> None:
    """The External job holds exactly the particles of the chosen classes (their uids and
    2D alignments uploaded, every other result passed through from J7's particles), the
    chosen class averages as a second output, and the excluded ones under Select 2D's other
    names; a refinement built in the same plan reads it."""
    selection = workspace.select_classes("J7", CLASSES)
    refine = workspace.create_job("homo_refine_new")
    refine.connect("particles", selection.uid, "particles_selected")
    refine.connect("volume", "J9", "volume_class_0")
    with connected(cryosparc_folder) as (server, cs):
        applied = plan(workspace, [refine.uid, selection.uid]).apply(cs, queue="gpu", echo=False)
        state = server.state
    assert applied.ok and applied.created == {selection.uid: "J13", refine.uid: "J14"}
    made = state.jobs["J13"]
    inputs = {
        k: [(c.job_uid, c.output) for c in v.connections] for k, v in made.spec.inputs.root.items()
    }
    assert inputs == {"particles": [("J7", "particles")], "templates": [("J7", "class_averages")]}

    alignments = peer_rows(cryosparc_folder, state, "J7", "particles", "alignments2D")
    chosen = np.isin(alignments["alignments2D/class"], CLASSES)
    selected = state.datasets[("J13", "particles_selected")]
    assert chosen.any() and not chosen.all()
    assert np.array_equal(np.sort(selected["uid"]), np.sort(alignments["uid"][chosen]))
    excluded = state.datasets[("J13", "particles_excluded")]
    assert np.array_equal(np.sort(excluded["uid"]), np.sort(alignments["uid"][~chosen]))
    assert sorted(selected.prefixes()) == ["alignments2D"]  # the rest passes through J7
    output = made.spec.outputs.root["particles_selected"]
    assert output.passthrough == "particles"
    assert {r.name for r in output.results if r.passthrough} == {
        "blob",
        "ctf",
        "location",
        "pick_stats",
    }
    averages = peer_rows(cryosparc_folder, state, "J7", "class_averages", "blob")
    templates = state.datasets[("J13", "templates_selected")]
    assert np.array_equal(templates["uid"], averages["uid"][CLASSES])
    assert list(templates["blob/idx"]) == [averages["blob/idx"][k] for k in CLASSES]

    assert_rebuilt(workspace, applied.created, state)  # every output, row for row
    reads = state.jobs["J14"].spec.inputs.root["particles"].connections
    assert [(c.job_uid, c.output) for c in reads] == [("J13", "particles_selected")]
    assert (state.jobs["J14"].status, state.jobs["J13"].status) == ("queued", "completed")


@pytest.mark.parametrize("parent_too", [False, True], ids=["parent sent first", "parent chosen"])
def test_a_selection_of_a_job_only_cryoweave_has_passes_through_its_parent_once_sent(
    workspace: Project, cryosparc_folder: Path, parent_too: bool
) -> None:
    """The parent, a subset only cryoweave has, is handed over first (on its own, or as
    a chosen job): the selection's External job connects to the CryoSPARC uid it got."""
    subset, selection = best_half_selected(workspace)
    jobs = [selection, subset] if parent_too else [selection]
    with connected(cryosparc_folder) as (server, cs):
        applied = plan(workspace, jobs).apply(cs, echo=False)
        state = server.state
    parent = subset if parent_too else f"{subset}.particles"
    assert applied.ok and applied.created == {parent: "J13", selection: "J14"}
    assert [
        (c.job_uid, c.output) for c in state.jobs["J14"].spec.inputs.root["particles"].connections
    ] == [("J13", "particles")]
    kept = workspace.job(selection).load_output("particles_selected", slots=["alignments3D"])
    assert np.array_equal(state.datasets[("J14", "particles_selected")]["uid"], kept["uid"])
    assert_rebuilt(workspace, applied.created, state)


def test_a_parent_sent_by_an_earlier_plan_is_named_by_the_uid_it_got(
    workspace: Project, cryosparc_folder: Path
) -> None:
    subset, selection = best_half_selected(workspace)
    with connected(cryosparc_folder) as (server, cs):
        first = plan(workspace, [subset]).apply(cs, echo=False)
        assert first.created == {subset: "J13"}
        later = plan(workspace, [selection], sent=first.created)
        assert [step.uid for step in later.steps] == [selection]  # the subset is not sent again
        applied = later.apply(cs, echo=False)
        state = server.state
    assert applied.ok and applied.created == {selection: "J14"}
    reads = state.jobs["J14"].spec.inputs.root["particles"].connections
    assert [(c.job_uid, c.output) for c in reads] == [("J13", "particles")]
    assert_rebuilt(workspace, {**first.created, **applied.created}, state)
    with pytest.raises(PlanRefused, match=f"{subset} was sent already: it is CryoSPARC's J13"):
        plan(workspace, [subset, selection], sent=first.created)


def test_the_script_sends_a_selection(
    workspace: Project, cryosparc_folder: Path, tmp_path: Path
) -> None:
    """Run as a user runs it, the script makes the same External job: one run around its
    uploads, read from the files cryoweave wrote."""
    selection = workspace.select_particles("J7", "particles", "ctf/df1_A", high=20_000)
    script = plan(workspace, [selection.uid], export_folder=tmp_path / "exports").script()
    assert script.count(".run():") == 1
    server = TestServer(cryosparc_folder)
    with server.running():
        done = run(script, server, tmp_path)
    assert done.returncode == 0, done.stderr
    sent = printed(done.stdout)
    assert sent == {selection.uid: "J13"}
    ctf = peer_rows(cryosparc_folder, server.state, "J7", "particles", "ctf")
    near = ctf["ctf/df1_A"] <= 20_000
    assert near.any() and not near.all()
    uploaded = server.state.datasets[("J13", "particles_selected")]
    assert np.array_equal(np.sort(uploaded["uid"]), np.sort(ctf["uid"][near]))
    assert server.state.log.count("jobs.mark_running") == 1
    assert_rebuilt(workspace, sent, server.state)


def test_the_external_job_is_the_one_save_external_result_makes(
    workspace: Project, cryosparc_folder: Path, tmp_path: Path
) -> None:
    """cryosparc-tools' one call, ``save_external_result(..., passthrough=("J7",
    "particles"))``, given the selected particles' own results, makes the output the
    hand-off makes step by step: the same results passed through and held, the same parent
    output, the same rows."""
    selection = workspace.select_classes("J7", CLASSES)
    rows = workspace.job(selection.uid).load_output("particles_selected", slots=["alignments2D"])
    rows.save(tmp_path / "selected.cs")
    with connected(cryosparc_folder) as (server, cs):
        peer_uid = cs.save_external_result(
            "P1",
            "W1",
            Dataset.load(tmp_path / "selected.cs"),
            type="particle",
            name="particles_selected",
            slots=["alignments2D"],
            passthrough=("J7", "particles"),
            title="Selected particles",
        )
        peer, peer_state = server.state.jobs[peer_uid], server.state
    with connected(cryosparc_folder) as (server, cs):
        applied = plan(workspace, [selection.uid]).apply(cs, echo=False)
        ours, our_state = server.state.jobs[applied.created[selection.uid]], server.state

    def made(job: Job) -> tuple[object, ...]:
        output = job.spec.outputs.root["particles_selected"]
        source = job.spec.inputs.root[output.passthrough or ""]
        return (
            job.status,
            output.type,
            output.title,
            sorted((r.name, r.dtype, r.passthrough) for r in output.results),
            [(c.job_uid, c.output) for c in source.connections],
        )

    assert made(peer) == made(ours)
    mine = our_state.datasets[(ours.uid, "particles_selected")]
    theirs = peer_state.datasets[(peer.uid, "particles_selected")]
    assert np.array_equal(mine["uid"], theirs["uid"])


def test_a_selection_title_stays_a_literal(workspace: Project, tmp_path: Path) -> None:
    selection = workspace.select_classes("J7", CLASSES, title=HOSTILE)
    script = plan(workspace, [selection.uid], export_folder=tmp_path).script()
    tree = ast.parse(script)
    made = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "create_external_job"
    ]
    assert [ast.literal_eval(k.value) for k in made[0].keywords if k.arg == "title"] == [HOSTILE]
    assert not any(isinstance(n, ast.Import) and n.names[0].name == "os" for n in ast.walk(tree))
