"""Pipelines of building jobs: a chain connected before any of it runs, as CryoSPARC allows.

The chain is the tutorial's: imported particles (J1, completed) -> 2D classification (J2)
-> select 2D (J3) -> ab-initio (J4) -> homogeneous refinement (J5), all building.
"""

from __future__ import annotations

import pytest

from cryoweave import ConnectionRefused, Project
from cryoweave.demo import particles
from cryoweave.graph import JobError
from cryoweave.graph.links import Links


@pytest.fixture
def chain(tmp_path):
    with Project.create(tmp_path / "P") as project:
        project.import_dataset(
            particles(500, ("blob", "ctf", "location"), seed=1), "particle", "particles"
        )
        classify = project.create_job("class_2D_new")
        classify.connect("particles", "J1", "particles")
        select = project.create_job("select_2D")
        select.connect("particles", "J2", "particles")
        select.connect("templates", "J2", "class_averages")
        abinit = project.create_job("homo_abinit")
        abinit.connect("particles", "J3", "particles_selected")
        refine = project.create_job("homo_refine_new")
        refine.connect("particles", "J4", "particles_class_0")
        refine.connect("volume", "J4", "volume_class_0")
        yield project


def _results(project: Project, uid: str, output: str) -> dict[str, bool]:
    group = project.state(uid).output(output)
    assert group is not None
    return {r.name: r.passthrough for r in group.results}


def test_a_chain_is_built_before_anything_runs(chain):
    assert [j.status for j in chain.jobs] == ["completed"] + ["building"] * 4
    # What CryoSPARC computes at build time: declared results, plus the passthroughs of
    # what is connected to the input an output passes through.
    assert _results(chain, "J2", "particles") == {
        "blob": False,
        "ctf": False,
        "alignments2D": False,
        "location": True,
    }
    assert _results(chain, "J3", "particles_selected") == {
        "alignments2D": False,
        "blob": True,
        "ctf": True,
        "location": True,
    }
    refine = chain.job("J5").state.input("particles")
    assert {e.slot_name or e.result_name for e in refine.connections[0].slots} >= {
        "blob",
        "ctf",
        "alignments3D",
        "location",
    }


def test_input_status_tells_ready_waiting_and_unmet_apart(chain):
    assert chain.job("J2").input_status("particles").state == "ready"
    waiting = chain.job("J5").input_status("particles")
    assert waiting.state == "waiting" and waiting.met
    assert waiting.waiting_for == [("J4", "building")]
    assert str(waiting) == "waiting for J4 (building)"
    unmet = chain.create_job("homo_refine_new").input_status("volume")
    assert unmet.state == "unmet" and unmet.reasons == ["needs at least 1 group(s), has 0"]


def test_resolving_an_input_whose_parents_have_not_run_names_them(chain):
    with pytest.raises(JobError, match=r"J5\.particles cannot be read yet: .*J4 \(building\)"):
        chain.job("J5").resolve_input("particles")
    assert len(chain.job("J2").resolve_input("particles")) == 500


def test_passthroughs_follow_an_upstream_change_and_a_lost_result_is_reported(chain):
    chain.job("J2").disconnect("particles")
    # location came only through J2's input: it is gone from J2, J3 and J4's outputs.
    assert "location" not in _results(chain, "J3", "particles_selected")
    assert "location" not in _results(chain, "J4", "particles_class_0")
    status = chain.job("J5").input_status("particles")
    assert status.state == "unmet"
    assert (
        "passthrough of connection 0 reads J4.particles_class_0.location, which no longer exists"
        in status.reasons
    )
    assert chain.history[-1] == "disconnect J2.particles"
    chain.undo()  # one edit: every downstream job comes back with it
    assert _results(chain, "J3", "particles_selected")["location"] is True
    assert chain.job("J5").input_status("particles").state == "waiting"


def test_a_cycle_through_building_jobs_is_refused_naming_the_path(chain):
    with pytest.raises(ConnectionRefused, match=r"a cycle \(J2 -> J3 -> J4 -> J2\)"):
        chain.job("J2").connect("particles", "J4", "particles_all_classes")
    ok, reason = chain.can_connect("J2", "particles", "J5", "particles")
    assert not ok and "(J2 -> J3 -> J4 -> J5 -> J2)" in reason


def test_deleting_a_used_building_job_is_refused_or_cascades_as_one_edit(chain):
    with pytest.raises(JobError, match=r"cannot delete J3: J4 use\(s\) its outputs"):
        chain.delete_job("J3")
    chain.delete_job("J3", cascade=True)
    assert [j.uid for j in chain.jobs] == ["J1", "J2"]
    assert not (chain.root / "J5" / "job.json").exists()
    assert chain.undo() == "delete J3 and the jobs that use it"
    assert [j.uid for j in chain.jobs] == ["J1", "J2", "J3", "J4", "J5"]
    assert chain.job("J5").input_status("particles").state == "waiting"


def test_class_groups_follow_abinit_K_and_a_vanished_group_is_reported(chain):
    abinit = chain.job("J4")
    abinit.set_param("abinit_K", 3)
    outputs = [g.spec.name for g in abinit.state.outputs]
    assert [n for n in outputs if n.startswith("volume_class_")] == [
        f"volume_class_{k}" for k in range(3)
    ]
    assert [n for n in outputs if n.startswith("particles_class_")] == [
        f"particles_class_{k}" for k in range(3)
    ]
    refine = chain.create_job("homo_refine_new")
    refine.connect("particles", "J4", "particles_class_2")
    abinit.set_param("abinit_K", 2)
    status = refine.input_status("particles")
    assert status.reasons == ["connection 0: J4 no longer has an output 'particles_class_2'"]
    chain.undo()
    assert refine.input_status("particles").state == "waiting"


def test_the_chain_is_saved_and_read_back(chain, tmp_path):
    chain.job("J4").set_param("abinit_K", 2)
    saved = {j.uid: j.state.clone() for j in chain.jobs}
    chain.close()
    with Project.open(tmp_path / "P", read_only=True) as again:
        assert {j.uid: j.state.clone() for j in again.jobs} == saved


def test_a_cryosparc_job_that_has_not_run_shows_the_outputs_it_will_have(tmp_path):
    from cryoweave import open_cryosparc_project
    from cryoweave.demo import cryosparc_tutorial_project
    from cryoweave.graph.catalog import job_spec
    from cryoweave.graph.documents import v5_bytes
    from cryoweave.graph.project import state_from_spec
    from cryoweave.graph.rules import plan_connection

    folder = cryosparc_tutorial_project(tmp_path / "CS", n_particles=1_000)
    with open_cryosparc_project(folder) as seen:
        jobs = dict(seen.states)
    # J13: a 2D classification built in CryoSPARC on J6's particles, not run; CryoSPARC
    # keeps no outputs in its document until it runs.
    state = state_from_spec("J13", job_spec("class_2D_new"), None)
    jobs["J13"] = state
    state.inputs[0].connections.append(plan_connection(jobs, "J13", "particles", "J6", "particles"))
    state.outputs = []
    (folder / "J13").mkdir()
    (folder / "J13" / "job.json").write_bytes(v5_bytes(state, "P1"))
    with open_cryosparc_project(folder, tmp_path / "work") as project:
        assert project.problems == []
        assert _results(project, "J13", "particles") == {
            "blob": False,
            "ctf": False,
            "alignments2D": False,
            "location": True,
            "pick_stats": True,
        }
        select = project.create_job("select_2D")  # builds on it in the workspace
        select.connect("particles", "J13", "particles")
        assert select.input_status("particles").waiting_for == [("J13", "building")]


@pytest.mark.parametrize(
    ("type_key", "key", "prefixes", "default"),
    [
        ("homo_abinit", "abinit_K", ("particles_class_", "volume_class_"), 1),
        ("class_3D", "class3D_N_K", ("particles_class_", "volume_class_"), 2),
        ("particle_sets", "set_split_num", ("split_",), 2),
    ],
)
def test_numbered_groups_follow_their_parameter(tmp_path, type_key, key, prefixes, default):
    with Project.create(tmp_path / "P") as project:
        job = project.create_job(type_key)

        def numbered() -> list[str]:
            names = [g.spec.name for g in job.state.outputs]
            return [n for n in names if any(n.startswith(p) for p in prefixes)]

        assert numbered() == [f"{p}{k}" for p in prefixes for k in range(default)]
        job.set_param(key, 4)
        assert numbered() == [f"{p}{k}" for p in prefixes for k in range(4)]
        assert job.state.output(f"{prefixes[0]}3").spec.title.endswith(" 3")
        job.clear_param(key)
        assert len(numbered()) == default * len(prefixes)


def test_the_links_follow_every_edit_undo_and_redo(chain):
    """What lies downstream of each job, as the project keeps it edit by edit, is what a
    fresh look at every job's inputs finds."""

    def fresh_downstream(uid: str) -> set[str]:
        return Links(chain.states).downstream([uid])

    def check() -> None:
        for uid in chain.states:
            assert chain.downstream([uid]) == fresh_downstream(uid), uid

    check()
    assert chain.downstream(["J2"]) == {"J3", "J4", "J5"}
    chain.job("J5").connect_result("particles", 0, "blob", "J1", "particles", "blob")
    check()
    assert chain.downstream(["J1"]) == {"J2", "J3", "J4", "J5"}
    chain.job("J5").disconnect("particles", 0)
    check()
    assert chain.downstream(["J4"]) == {"J5"}  # J5 still reads J4's volume
    chain.delete_job("J3", cascade=True)
    check()
    assert chain.downstream(["J2"]) == set()
    chain.undo()
    check()
    chain.undo()
    check()
    assert chain.downstream(["J1"]) == {"J2", "J3", "J4", "J5"}
    chain.redo()
    check()
