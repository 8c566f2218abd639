"""Plans of cryosparc-tools calls, checked against cryosparc-tools 5.0.3's real classes.

No CryoSPARC instance can run here (it needs a licence and its own server). The
connection is ``unittest.mock.create_autospec`` of ``CryoSPARC`` and of the project and job
controllers: a call with a wrong name, argument or keyword fails as it would against the
real classes. The recorded calls are then replayed with cryoweave's own verbs on a fresh
workspace, and must give back exactly the connections, overrides, versions and parameters
of the jobs that were sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import create_autospec

import cryosparc.tools
import pytest
from cryosparc.controllers.job import JobController
from cryosparc.controllers.project import ProjectController
from cryosparc.tools import CryoSPARC

from cryoweave import Project, open_cryosparc_project
from cryoweave.demo import cryosparc_tutorial_project, particles
from cryoweave.handoff import PlanRefused, plan


@pytest.fixture(scope="module")
def cryosparc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cryosparc_tutorial_project(tmp_path_factory.mktemp("cs") / "CS-t20s", 1_000)


@pytest.fixture
def workspace(cryosparc_folder: Path, tmp_path: Path) -> Iterator[Project]:
    with open_cryosparc_project(cryosparc_folder, tmp_path / "work") as project:
        yield project


def guide_cases(project: Project) -> tuple[str, str]:
    """The guide's two cases as building jobs: a refinement of the 2D-selected, downsampled
    particles with the full-size blob of the extraction swapped in (J13), and local resolution
    on J13's half map A with J12's half map B (J14, reading J13, which has not run)."""
    refine = project.create_job("homo_refine_new", "Refine at full size")
    refine.connect("particles", "J9", "particles_class_0")
    refine.connect("volume", "J9", "volume_class_0")
    refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
    refine.connect_result("particles", 0, "ctf", "J7", "particles", "ctf", 2)  # an earlier version
    refine.clear_slot("particles", 0, "alignments3D")  # refine from scratch
    refine.set_param("refine_symmetry", "D7")
    local = project.create_job("local_resolution")
    local.connect("volume", refine.uid, "volume")
    local.connect_result("volume", 0, "map_half_B", "J12", "volume", "map_half_B")
    return refine.uid, local.uid


class Recorder:
    """A CryoSPARC connection made of autospecs, with each created job's controller."""

    def __init__(self) -> None:
        self.cs = create_autospec(CryoSPARC, instance=True)
        self.project = create_autospec(ProjectController, instance=True)
        self.cs.find_project.return_value = self.project
        self.jobs: list[Any] = []
        self.project.create_job.side_effect = self._create

    def _create(self, *args: Any, **kwargs: Any) -> Any:
        job = create_autospec(JobController, instance=True)
        job.uid = f"J{101 + len(self.jobs)}"
        self.jobs.append(job)
        return job

    def calls(self) -> list[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
        """Every call in order: (on, method, args, kwargs), ``on`` "project" or a job uid."""
        recorded = [("project", c) for c in self.project.method_calls]
        found = []
        for on, call in recorded:
            found.append((on, call[0], tuple(call[1]), dict(call[2])))
            if call[0] == "create_job":
                job = self.jobs[sum(1 for f in found if f[1] == "create_job") - 1]
                found += [(job.uid, c[0], tuple(c[1]), dict(c[2])) for c in job.method_calls]
        return found


def replay(calls: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]], target: Project) -> dict:
    """The recorded calls made again with cryoweave's verbs; CryoSPARC uid -> cryoweave uid."""
    uids: dict[str, str] = {}
    jobs = {}

    def ours(uid: str) -> str:
        return uids.get(uid, uid)

    for on, method, args, kwargs in calls:
        if method == "create_job":
            _, type_key = args
            job = target.create_job(type_key, kwargs.get("title"))
            for name, sources in kwargs.get("connections", {}).items():
                for source, output in sources if isinstance(sources, list) else [sources]:
                    job.connect(name, ours(source), output)
            for key, value in kwargs.get("params", {}).items():
                job.set_param(key, value)
            created = f"J{101 + len(jobs)}"
            uids[created], jobs[created] = job.uid, job
        elif method == "connect_result":
            name, index, slot, source, output, result, version = args
            jobs[on].connect_result(name, index, slot, ours(source), output, result, version)
        elif method == "disconnect_result":
            jobs[on].clear_slot(*args)
        elif method != "queue":
            raise AssertionError(f"unexpected call {method}")
    return uids


def assert_recreated(project: Project, sent: list[str], again: Project, uids: dict) -> None:
    ours = {v: k for k, v in uids.items()}  # replayed uid -> CryoSPARC uid
    order = {uid: f"J{101 + i}" for i, uid in enumerate(sent)}  # sent uid -> CryoSPARC uid
    for uid in sent:
        original, made = project.state(uid), again.state(uids[order[uid]])
        assert made.type == original.type and made.title == original.title
        assert made.params == original.params
        for group, other in zip(original.inputs, made.inputs, strict=True):
            for connection, copy in zip(group.connections, other.connections, strict=True):

                def rename(u: str) -> str:
                    return {v: k for k, v in order.items()}.get(ours.get(u, u), u)

                assert rename(copy.job_uid) == connection.job_uid
                assert {
                    (e.slot_name, rename(e.job_uid), e.group_name, e.result_name, e.version)
                    for e in copy.slots
                } == {
                    (e.slot_name, e.job_uid, e.group_name, e.result_name, e.version)
                    for e in connection.slots
                }
            assert len(group.connections) == len(other.connections)


def test_the_guide_cases_as_a_plan_of_calls(workspace: Project) -> None:
    refine, local = guide_cases(workspace)
    p = plan(workspace, [local, refine], workspace="W2")  # dependency order is the plan's
    assert [step.uid for step in p.steps] == [refine, local]
    assert [c.describe() for c in p.calls] == [
        "project.create_job('W2', 'homo_refine_new', connections={'particles': ('J9', "
        "'particles_class_0'), 'volume': ('J9', 'volume_class_0')}, params={'refine_symmetry': "
        "'D7'}, title='Refine at full size')",
        f"{refine}.connect_result('particles', 0, 'blob', 'J5', 'particles', 'blob', 'F')",
        f"{refine}.connect_result('particles', 0, 'ctf', 'J7', 'particles', 'ctf', 2)",
        f"{refine}.disconnect_result('particles', 0, 'alignments3D')",
        f"project.create_job('W2', 'local_resolution', connections={{'volume': (<{refine}>, "
        "'volume')}, title='Local Resolution Estimation')",
        f"{local}.connect_result('volume', 0, 'map_half_B', 'J12', 'volume', 'map_half_B', 'F')",
    ]


def test_apply_makes_the_calls_on_cryosparc_tools_classes(workspace: Project, tmp_path) -> None:
    refine, local = guide_cases(workspace)
    recorder = Recorder()
    applied = plan(workspace, [refine, local], workspace="W2").apply(
        recorder.cs, queue="default", echo=False
    )
    assert applied.ok and applied.created == {refine: "J101", local: "J102"}
    recorder.cs.find_project.assert_called_once_with("P1")
    calls = recorder.calls()
    assert calls[0][:3] == ("project", "create_job", ("W2", "homo_refine_new"))
    # J14 reads the volume of the job CryoSPARC made for J13, by CryoSPARC's uid.
    assert ("project", "create_job", ("W2", "local_resolution")) in [c[:3] for c in calls]
    created = [c for c in calls if c[1] == "create_job"]
    assert created[1][3]["connections"] == {"volume": ("J101", "volume")}
    assert [c[:2] for c in calls if c[1] == "queue"] == [("J101", "queue"), ("J102", "queue")]
    with Project.create(tmp_path / "again", cryosparc_project=workspace.cryosparc_project) as again:
        uids = replay(calls, again)
        assert_recreated(workspace, [refine, local], again, uids)


def test_the_script_runs_against_cryosparc_tools_classes(
    workspace: Project, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refine, local = guide_cases(workspace)
    script = plan(workspace, [refine, local], workspace="W2").script(queue="gpu")
    assert "from cryosparc.tools import CryoSPARC" in script
    assert f"# {refine}: Homogeneous Refinement 'Refine at full size'" in script
    recorder = Recorder()
    connect = create_autospec(CryoSPARC)  # the class: its constructor's signature is checked
    connect.return_value = recorder.cs
    monkeypatch.setattr(cryosparc.tools, "CryoSPARC", connect)
    exec(compile(script, "send_to_cryosparc.py", "exec"), {"__name__": "__main__"})
    connect.assert_called_once_with()
    calls = recorder.calls()
    with Project.create(tmp_path / "again", cryosparc_project=workspace.cryosparc_project) as again:
        assert_recreated(workspace, [refine, local], again, replay(calls, again))
    assert [c[2] for c in calls if c[1] == "queue"] == [(), ()]
    assert [c[3] for c in calls if c[1] == "queue"] == [{"lane": "gpu"}] * 2


def test_a_wrong_keyword_fails_against_the_real_signature() -> None:
    recorder = Recorder()
    with pytest.raises(TypeError):
        recorder.project.create_job("W1", "homo_refine_new", parameters={"x": 1})


def test_an_output_only_cryoweave_has_is_sent_through_an_import_result_group(
    workspace: Project, tmp_path
) -> None:
    subset = workspace.create_external_job("Keep the best half")
    subset.add_input("particle", "particles", min=1, slots=["blob", "ctf"])
    subset.connect("particles", "J9", "particles_class_0")
    subset.add_output("particle", "particles", slots=["blob", "ctf", "alignments3D"])
    with subset.run():
        best = subset.resolve_input("particles")
        subset.save_output("particles", best.take(range(len(best) // 2)))
    refine = workspace.create_job("homo_refine_new")
    refine.connect("particles", subset.uid, "particles")
    refine.connect("volume", "J9", "volume_class_0")

    with pytest.raises(PlanRefused, match=f"{subset.uid} exists only in cryoweave: give export"):
        plan(workspace, [refine.uid])
    p = plan(workspace, [refine.uid], export_folder=tmp_path / "for_cryosparc")
    importing = f"{subset.uid}.particles"
    assert [s.uid for s in p.steps] == [importing, refine.uid]
    csg = tmp_path / "for_cryosparc" / f"{subset.uid}_particles.csg"
    assert p.calls[0].kwargs["params"] == {"blob_path": str(csg)}
    recorder = Recorder()
    applied = p.apply(recorder.cs, echo=False)
    assert applied.created == {importing: "J101", refine.uid: "J102"}
    assert csg.is_file()  # written before anything was sent
    create = [c for c in recorder.calls() if c[1] == "create_job"]
    assert create[0][2] == ("W1", "import_result_group")
    assert create[1][3]["connections"]["particles"] == ("J101", "particles")


def test_refused_plans_list_every_reason_and_send_nothing(workspace: Project) -> None:
    refine = workspace.create_job("homo_refine_new")  # nothing connected
    chain = workspace.create_job("local_resolution")
    chain.connect("volume", refine.uid, "volume")
    custom = workspace.create_external_job("Custom")
    imported = workspace.import_dataset(particles(50, ("blob", "ctf")), "particle", "particles")
    recorder = Recorder()
    with pytest.raises(PlanRefused) as refused:
        plan(workspace, [chain.uid, custom.uid, imported.uid, "J3", "J99"]).apply(recorder.cs)
    reasons = refused.value.reasons
    unselected = f"{refine.uid} is building and not selected: select it too"
    assert f"{chain.uid} reads {refine.uid}.volume: {unselected}" in reasons
    assert (
        f"{custom.uid} is an external job (custom Python), which CryoSPARC cannot create" in reasons
    )
    assert f"{imported.uid} is completed; only building jobs are built in CryoSPARC" in reasons
    assert "J3 is CryoSPARC's own job already" in reasons
    assert "there is no job J99" in reasons
    with pytest.raises(PlanRefused) as refused:
        plan(workspace, [refine.uid])
    assert f"{refine.uid}.particles: needs at least 1 group(s), has 0" in refused.value.reasons
    assert recorder.cs.mock_calls == []


def test_apply_stops_at_the_first_refusal_and_says_what_was_made(workspace: Project) -> None:
    refine, local = guide_cases(workspace)
    recorder = Recorder()

    def create(*args: Any, **kwargs: Any) -> Any:
        if args[1] == "local_resolution":
            raise RuntimeError("job type local_resolution is not licensed")
        return Recorder._create(recorder, *args, **kwargs)

    recorder.project.create_job.side_effect = create
    applied = plan(workspace, [refine, local]).apply(recorder.cs, echo=False)
    assert not applied.ok and applied.created == {refine: "J101"}
    assert applied.failed.startswith(
        "project.create_job('W1', 'local_resolution', connections={'volume': ('J101', 'volume')}"
    )
    assert applied.failed.endswith("failed: job type local_resolution is not licensed")
