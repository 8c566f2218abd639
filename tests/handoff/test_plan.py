"""Plans of cryosparc-tools calls, made through cryosparc-tools' real client over HTTP.

No CryoSPARC can run here (it needs a licence and its own server): the client talks to
``TestServer`` on 127.0.0.1, which answers the endpoints of cryosparc-tools' API schema
with ``cryosparc.models`` documents and keeps a CryoSPARC-like project. What the tests
check is what the server then holds: the jobs made, their connections, overrides,
parameters and lanes, the data uploaded, and that every job made is accounted for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from cryosparc.models.job_spec import Output, OutputResult

from cryoweave import Project
from cryoweave.demo import particles
from cryoweave.handoff import PlanRefused, plan

from .cryosparc_server import catalog_outputs
from .live import assert_rebuilt, connected, guide_cases


def best_half(project: Project) -> str:
    """An external job keeping half of J9's particles, with alignments of its own and J9's
    other results passed through: an output only cryoweave has, derived from CryoSPARC's."""
    subset = project.create_external_job("Keep the best half")
    subset.add_input("particle", "particles", min=1, slots=["blob", "ctf", "alignments3D"])
    subset.connect("particles", "J9", "particles_class_0")
    subset.add_output("particle", "particles", slots=["alignments3D"], passthrough="particles")
    with subset.run():
        best = subset.resolve_input("particles")
        half = best.take(range(len(best) // 2))
        subset.save_output("particles", half.filter_prefixes(["alignments3D"]))
    return subset.uid


def test_the_guide_cases_as_a_plan_of_calls(workspace: Project) -> None:
    refine, local = guide_cases(workspace)
    p = plan(workspace, [local, refine], workspace="W2")  # dependency order is the plan's
    assert [step.uid for step in p.steps] == [refine, local]
    assert [c.describe() for c in p.calls] == [
        "project.create_job('W2', 'homo_refine_new', title='Refine at full size')",
        f"{refine}.set_param('refine_symmetry', 'D7')",
        f"{refine}.connect('particles', 'J9', 'particles_class_0')",
        f"{refine}.connect('volume', 'J9', 'volume_class_0')",
        f"{refine}.connect_result('particles', 0, 'blob', 'J5', 'particles', 'blob', 'F')",
        f"{refine}.connect_result('particles', 0, 'ctf', 'J7', 'particles', 'ctf', 2)",
        f"{refine}.disconnect_result('particles', 0, 'alignments3D')",
        "project.create_job('W2', 'local_resolution', title='Local Resolution Estimation')",
        f"{local}.connect('volume', <{refine}>, 'volume')",
        f"{local}.connect_result('volume', 0, 'map_half_B', 'J12', 'volume', 'map_half_B', 'F')",
    ]


def test_apply_builds_the_graph_in_cryosparc(
    workspace: Project, cryosparc_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refine, local = guide_cases(workspace)
    with connected(cryosparc_folder) as (server, cs):
        applied = plan(workspace, [refine, local], workspace="W2").apply(cs, queue="gpu")
        made = server.state.made
    assert applied.ok and applied.created == {refine: "J13", local: "J14"}
    assert capsys.readouterr().out.splitlines() == [
        f"{refine} -> J13: Homogeneous Refinement 'Refine at full size'",
        f"{local} -> J14: Local Resolution Estimation",
    ]
    assert_rebuilt(workspace, applied.created, server.state)
    assert [(j.status, j.queued_to_lane, j.workspace_uids) for j in made.values()] == [
        ("queued", "gpu", ["W2"])
    ] * 2


@pytest.mark.parametrize("after", [False, True], ids=["refused", "failed after doing it"])
def test_a_refusal_at_any_call_leaves_no_job_unaccounted(
    workspace: Project, cryosparc_folder: Path, after: bool
) -> None:
    """Refused at each call of a plan in turn (every one), before or after CryoSPARC did
    what it asks, ``Applied`` lists exactly the jobs CryoSPARC holds, names the refused call
    and gives CryoSPARC's reason; nothing is sent after it but the look-up of a job a
    refused creation may have made, and an upload's job marked failed."""
    subset = best_half(workspace)
    refine, local = guide_cases(workspace)
    workspace.job(refine).connect("particles", subset, "particles")  # a second particle group
    selection = workspace.select_classes("J7", [0, 3]).uid  # four uploads in one run
    p = plan(workspace, [refine, local, selection])
    with connected(cryosparc_folder) as (server, cs):
        assert p.apply(cs, queue="default", echo=False).ok
        calls = list(server.state.log)
    assert calls.count("jobs.create") == 4 and calls.count("jobs.save_output") == 5
    then = {
        "jobs.create": ["jobs.find"],
        "jobs.mark_running": ["jobs.mark_failed"],
        "jobs.save_output": ["jobs.mark_failed"],
    }
    for index, endpoint in enumerate(calls):
        with connected(cryosparc_folder) as (server, cs):
            server.refuse_call(index, after=after)
            applied = p.apply(cs, queue="default", echo=False)
            made = server.state.made
        assert not applied.ok, (index, endpoint)
        assert set(applied.created.values()) == set(made), (index, endpoint, applied)
        why = f"refused by the test server: call {index}, {endpoint}"
        assert applied.reason == why + (" (after doing it)" if after else "")
        assert applied.failed_call is not None and applied.failed is not None
        assert server.state.log == calls[: index + 1] + then.get(endpoint, []), index


def test_a_refused_call_names_the_call_and_the_job_it_was_made_on(
    workspace: Project, cryosparc_folder: Path
) -> None:
    refine, local = guide_cases(workspace)
    with connected(cryosparc_folder) as (server, cs):
        server.refuse_call(2 + 8)  # find_project, find the newest job, 7 calls for the
        # refinement, then the local resolution's create and connect
        applied = plan(workspace, [refine, local]).apply(cs, echo=False)
    assert applied.created == {refine: "J13", local: "J14"}
    assert applied.failed == (
        f"{local}.connect('volume', 'J13', 'volume') (CryoSPARC's J14) failed: "
        "refused by the test server: call 10, jobs.connect"
    )


def test_an_output_only_cryoweave_has_is_uploaded_to_an_external_job(
    workspace: Project, cryosparc_folder: Path
) -> None:
    subset = best_half(workspace)
    refine = workspace.create_job("homo_refine_new")
    refine.connect("particles", subset, "particles")
    refine.connect("volume", "J9", "volume_class_0")
    p = plan(workspace, [refine.uid])  # via="external": no folder needed to apply
    sent = f"{subset}.particles"
    assert [s.uid for s in p.steps] == [sent, refine.uid]
    with connected(cryosparc_folder) as (server, cs):
        applied = p.apply(cs, echo=False)
    assert applied.ok and applied.created == {sent: "J13", refine.uid: "J14"}
    external = server.state.jobs["J13"]
    assert (external.spec.type, external.status, external.title) == (
        "snowflake",
        "completed",
        "Keep the best half",
    )
    # J9's results pass through, as in cryoweave; only the subset's own results are uploaded.
    assert [(c.job_uid, c.output) for c in external.spec.inputs.root["particles"].connections] == [
        ("J9", "particles_class_0")
    ]
    output = external.spec.outputs.root["particles"]
    group = workspace.state(subset).output("particles")
    assert group is not None
    assert {(r.name, r.passthrough) for r in output.results} == {
        (r.name, r.passthrough) for r in group.results
    }
    uploaded = server.state.datasets[("J13", "particles")]
    ours = workspace.job(subset).load_output("particles", slots=["alignments3D"])
    assert sorted(uploaded.fields()) == sorted(ours.fields())
    for name in ours.fields():
        assert np.array_equal(uploaded[name], ours[name]), name
    assert_rebuilt(workspace, applied.created, server.state)


def test_an_import_without_cryosparc_lineage_uploads_every_result(
    workspace: Project, cryosparc_folder: Path
) -> None:
    imported = workspace.import_dataset(particles(300, ("blob", "ctf")), "particle", "particles")
    classify = workspace.create_job("class_2D_new")
    classify.connect("particles", imported.uid, "particles")
    with connected(cryosparc_folder) as (server, cs):
        applied = plan(workspace, [classify.uid]).apply(cs, echo=False)
    assert applied.ok
    uploaded = server.state.datasets[(applied.created[f"{imported.uid}.particles"], "particles")]
    ours = imported.load_output("particles")
    assert sorted(uploaded.fields()) == sorted(ours.fields())
    for name in ours.fields():
        column = ours.strings(name) if ours[name].dtype.kind == "S" else ours[name]
        assert np.array_equal(uploaded[name], column), name
    assert_rebuilt(workspace, applied.created, server.state)


def import_result_group_outputs(job_type: str, params: dict[str, Any]) -> dict[str, Output]:
    """The stand-in's Import Result Group declares the group its ``.csg`` names (which the
    hand-off assumes CryoSPARC does before the job runs: not known to hold)."""
    if job_type != "import_result_group":
        return catalog_outputs(job_type, params)
    if "blob_path" not in params:
        return {}
    doc = yaml.safe_load(Path(params["blob_path"]).read_text())
    group = doc["group"]
    results = [
        OutputResult(name=k, dtype=v["type"].split(".")[1]) for k, v in doc["results"].items()
    ]
    return {group["name"]: Output(type=group["type"], title=group["title"], results=results)}


def test_via_import_keeps_the_import_result_group(
    workspace: Project, cryosparc_folder: Path, tmp_path: Path
) -> None:
    subset = best_half(workspace)
    refine = workspace.create_job("homo_refine_new")
    refine.connect("particles", subset, "particles")
    refine.connect("volume", "J9", "volume_class_0")
    with pytest.raises(PlanRefused, match=f"{subset} exists only in cryoweave: give export"):
        plan(workspace, [refine.uid], via="import")
    p = plan(workspace, [refine.uid], via="import", export_folder=tmp_path / "for_cryosparc")
    csg = tmp_path / "for_cryosparc" / f"{subset}_particles.csg"
    assert [c.describe() for c in p.steps[0].calls] == [
        f"project.create_job('W1', 'import_result_group', title='Import {subset}.particles from "
        "cryoweave')",
        f"{subset}.particles.set_param('blob_path', {str(csg)!r})",
    ]
    with connected(cryosparc_folder, outputs_of=import_result_group_outputs) as (server, cs):
        applied = p.apply(cs, echo=False)
    assert applied.ok and csg.is_file()
    made = server.state.jobs[applied.created[f"{subset}.particles"]]
    assert made.spec.type == "import_result_group"
    assert_rebuilt(workspace, applied.created, server.state)


def test_refused_plans_list_every_reason_and_send_nothing(
    workspace: Project, cryosparc_folder: Path
) -> None:
    refine = workspace.create_job("homo_refine_new")  # nothing connected
    chain = workspace.create_job("local_resolution")
    chain.connect("volume", refine.uid, "volume")
    custom = workspace.create_external_job("Custom")
    running = workspace.create_external_job("Running")
    running.start()
    with connected(cryosparc_folder) as (server, cs):
        with pytest.raises(PlanRefused) as refused:
            plan(workspace, [chain.uid, custom.uid, running.uid, "J3", "J99"]).apply(cs)
        assert server.state.log == []
    reasons = refused.value.reasons
    unselected = f"{refine.uid} is building and not selected: select it too"
    assert f"{chain.uid} reads {refine.uid}.volume: {unselected}" in reasons
    assert (
        f"{custom.uid} is an external job (custom Python), which CryoSPARC cannot create" in reasons
    )
    assert (
        f"{running.uid} is running; only building jobs are built in CryoSPARC, and completed "
        "ones sent" in reasons
    )
    assert "J3 is CryoSPARC's own job already" in reasons
    assert "there is no job J99" in reasons
    with pytest.raises(PlanRefused) as refused:
        plan(workspace, [refine.uid])
    assert f"{refine.uid}.particles: needs at least 1 group(s), has 0" in refused.value.reasons
    with pytest.raises(PlanRefused, match="via must be 'external' or 'import', not 'ftp'"):
        plan(workspace, [refine.uid], via="ftp")  # type: ignore[arg-type]
