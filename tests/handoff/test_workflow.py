"""CryoSPARC Workflow files: saved from a branch, checked against their schema, applied on
other parents as one undoable edit, refused whole when they do not fit."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cryoweave import Project, open_cryosparc_project
from cryoweave.graph import JobError
from cryoweave.handoff import (
    WORKFLOW_SCHEMA,
    WorkflowRefused,
    apply_workflow,
    export_workflow,
    workflow_document,
)


def branch(project: Project, particles: str = "J8", volume: str = "J10") -> list[str]:
    """Ab-initio (3 classes) on selected particles, then a refinement of class 2 with the
    full-size blob swapped in and no starting poses, and local resolution on its volume
    with the half map B of another refinement."""
    abinit = project.create_job("homo_abinit", "Branch: ab-initio")
    abinit.connect("particles", particles, "particles_selected")
    abinit.set_param("abinit_K", 3)
    refine = project.create_job("homo_refine_new", "Branch: refine")
    refine.connect("particles", abinit.uid, "particles_class_2")
    refine.connect("volume", abinit.uid, "volume_class_2")
    refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
    refine.clear_slot("particles", 0, "alignments3D")
    refine.set_param("refine_symmetry", "D7")
    local = project.create_job("local_resolution")
    local.connect("volume", refine.uid, "volume")
    local.connect_result("volume", 0, "map_half_B", volume, "volume", "map_half_B")
    return [abinit.uid, refine.uid, local.uid]


def shape(project: Project, uids: list[str]) -> list[tuple]:
    """A branch as its inputs, overrides and parameters, jobs renamed by their place."""
    place = {uid: f"#{i}" for i, uid in enumerate(uids)}
    out = []
    for uid in uids:
        state = project.state(uid)
        inputs = [
            (
                group.spec.name,
                [
                    sorted(
                        (
                            e.slot_name or "",
                            place.get(e.job_uid, e.job_uid),
                            e.group_name,
                            e.result_name,
                        )
                        for e in connection.slots
                        if e.slot_name is not None
                    )
                    for connection in group.connections
                ],
            )
            for group in state.inputs
        ]
        out.append((state.type, state.title, dict(state.params), inputs))
    return out


def test_a_saved_branch_validates_and_names_its_parents(workspace: Project, tmp_path) -> None:
    uids = branch(workspace)
    path = export_workflow(workspace, uids, tmp_path / "branch.json", title="T20S branch")
    doc = json.loads(path.read_text())
    jsonschema.validate(doc, WORKFLOW_SCHEMA)
    assert set(doc["parents"]) == {"J8", "J5", "J10"}
    assert doc["parents"]["J8"]["groups"]["particles_selected"]["connections"] == [
        f"{uids[0]}.particles"
    ]
    refine = doc["jobs"][uids[1]]
    assert refine["groups"] == [
        [f"{uids[0]}.particles_class_2", "particles"],
        [f"{uids[0]}.volume_class_2", "volume"],
    ]
    assert refine["individualResults"] == [["J5.particles.blob", f"{uids[1]}.particles.0.blob"]]
    assert refine["parameters"]["refine_symmetry"]["value"] == "D7"
    assert doc["jobs"][uids[0]]["parameters"]["abinit_K"] == {
        "value": 3,
        "locked": False,
        "visible": True,
        "flagged": False,
        "notes": "",
    }


def test_apply_on_other_parents_rebuilds_the_branch_as_one_edit(
    workspace: Project, tmp_path
) -> None:
    uids = branch(workspace)
    path = export_workflow(workspace, uids, tmp_path / "branch.json")
    history = list(workspace.history)
    made = apply_workflow(workspace, path, parents={"J8": "J8", "J10": "J12"})
    assert len(made) == 3 and workspace.history == [*history, workspace.history[-1]]
    assert workspace.history[-1].startswith("apply workflow")
    original, again = shape(workspace, uids), shape(workspace, made)
    assert again[:2] == original[:2]  # same parents for these two
    assert again[2][3][0][1][0][1] == (
        "map_half_B",
        "J12",
        "volume",
        "map_half_B",
    )  # the new parent
    # Export again: the same branch.
    second = export_workflow(workspace, made, tmp_path / "again.json")
    first_doc, second_doc = json.loads(path.read_text()), json.loads(second.read_text())
    rename = dict(zip(made, uids, strict=True)) | {"J12": "J10"}
    text = second.read_text()
    for new, old in rename.items():
        text = text.replace(f'"{new}.', f'"{old}.').replace(f'"{new}"', f'"{old}"')
    assert json.loads(text)["jobs"].keys() == first_doc["jobs"].keys()
    for uid in uids:
        assert json.loads(text)["jobs"][uid]["groups"] == first_doc["jobs"][uid]["groups"]
        assert (
            json.loads(text)["jobs"][uid]["individualResults"]
            == first_doc["jobs"][uid]["individualResults"]
        )
        assert json.loads(text)["jobs"][uid]["parameters"] == first_doc["jobs"][uid]["parameters"]
    assert second_doc["csVersion"] == first_doc["csVersion"]
    workspace.undo()  # one undo removes the whole applied branch
    assert all(uid not in workspace.states for uid in made)


def test_a_file_that_does_not_fit_is_refused_with_every_reason_and_nothing_is_made(
    workspace: Project, tmp_path
) -> None:
    uids = branch(workspace)
    doc = workflow_document(workspace, uids)
    doc["jobs"][uids[0]]["parameters"]["abinit_K"]["value"] = 0
    doc["jobs"][uids[1]]["jobType"] = "homo_refine_newer"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    jobs, history = list(workspace.states), list(workspace.history)
    with pytest.raises(WorkflowRefused) as refused:
        apply_workflow(workspace, path, parents={"J8": "J99", "J10": "J7"})
    reasons = refused.value.reasons
    assert "parent J8 (select_2D): there is no job J99" in reasons
    assert any("J7 has no output 'volume'" in r for r in reasons)
    assert any(r.startswith(f"{uids[0]}: abinit_K") and "at least 1" in r for r in reasons)
    assert f"{uids[1]}: unknown job type 'homo_refine_newer'" in reasons
    assert list(workspace.states) == jobs and workspace.history == history


def test_an_input_that_does_not_take_the_parents_group_is_refused(
    workspace: Project, tmp_path
) -> None:
    uids = branch(workspace)
    path = export_workflow(workspace, uids, tmp_path / "branch.json")
    jobs = list(workspace.states)
    # J9's particles_selected does not exist: J9 is an ab-initio job.
    with pytest.raises(WorkflowRefused, match="J9 has no output 'particles_selected'"):
        apply_workflow(workspace, path, parents={"J8": "J9", "J10": "J12"})
    # A job whose particles_selected holds volumes: ab-initio's particles input refuses it.
    odd = workspace.create_external_job("Odd")
    odd.add_output("volume", "particles_selected", slots=["map"])
    odd.stop()
    jobs = list(workspace.states)
    with pytest.raises(WorkflowRefused, match="takes particle items, .* holds volume items"):
        apply_workflow(workspace, path, parents={"J8": odd.uid, "J10": "J12"})
    assert list(workspace.states) == jobs


def test_a_file_that_is_no_workflow_is_refused_naming_the_fields(
    workspace: Project, tmp_path
) -> None:
    path = tmp_path / "not.json"
    path.write_text(json.dumps({"jobs": {"J1": {"jobType": 3}}}))
    with pytest.raises(WorkflowRefused) as refused:
        apply_workflow(workspace, path)
    reasons = refused.value.reasons
    assert "the file: 'csVersion' is a required property" in reasons
    assert "jobs.J1: 'groups' is a required property" in reasons
    assert "jobs.J1.jobType: 3 is not of type 'string'" in reasons
    assert not any("'spec'" in r for r in reasons)  # CryoSPARC 4 writes none


def test_a_version_override_cannot_be_saved(workspace: Project, tmp_path) -> None:
    refine = workspace.create_job("homo_refine_new")
    refine.connect("particles", "J9", "particles_class_0")
    refine.connect("volume", "J9", "volume_class_0")
    refine.connect_result("particles", 0, "ctf", "J7", "particles", "ctf", 2)
    with pytest.raises(WorkflowRefused, match="workflow files keep no result versions"):
        export_workflow(workspace, [refine.uid], tmp_path / "w.json")
    assert not (tmp_path / "w.json").exists()


# -- malformed entries: every one refused naming the job and the entry ---------------------------


def _results(pairs: list[list[str]]):
    """Set the refinement's individualResults (job 1 of the branch)."""

    def edit(doc: dict, uids: list[str]) -> None:
        doc["jobs"][uids[1]]["individualResults"] = [
            [a.format(*uids), b.format(*uids)] for a, b in pairs
        ]

    return edit


def _set(*path: str | int, value: object):
    """Set one key of the document; ``{0}``-style parts name the branch's jobs."""

    def edit(doc: dict, uids: list[str]) -> None:
        where = doc
        keys = [k.format(*uids) if isinstance(k, str) else k for k in path]
        for key in keys[:-1]:
            where = where[key]
        where[keys[-1]] = json.loads(json.dumps(value).replace("{0}", uids[0]))

    return edit


def _rename_job(doc: dict, uids: list[str]) -> None:
    doc["jobs"]["J4.x"] = doc["jobs"].pop(uids[2])


def _job_as_parent(doc: dict, uids: list[str]) -> None:
    doc["parents"][uids[0]] = {"jobType": "homo_abinit", "groups": {}}


MALFORMED = {
    "destination without connection index": (
        _results([["J9.particles.blob", "J1.particles.blob"]]),
        '{1}: individualResults[0] ["J9.particles.blob", "J1.particles.blob"]: '
        "the destination is not '{{job}}.{{input}}.{{connection index}}.{{slot}}'",
    ),
    "source of four parts": (
        _results([["J1.particles.x.blob", "{1}.particles.0.blob"]]),
        '{1}: individualResults[0] ["J1.particles.x.blob", "{1}.particles.0.blob"]: '
        "the source is not '{{job}}.{{output}}.{{result}}'",
    ),
    "source that is not a parent": (
        _results([["J3.particles.blob", "{1}.particles.0.blob"]]),
        '{1}: individualResults[0] ["J3.particles.blob", "{1}.particles.0.blob"]: '
        "reads from J3, which is neither a job nor a parent of the file",
    ),
    "connection index not a number": (
        _results([["J5.particles.blob", "{1}.particles.x.blob"]]),
        "the connection index 'x' is not a whole number",
    ),
    "connection index past the connections": (
        _results([["J5.particles.blob", "{1}.particles.3.blob"]]),
        "{1}'s groups make 1 connection(s) to particles, not 3",
    ),
    "destination in another job": (
        _results([["J5.particles.blob", "{0}.particles.0.blob"]]),
        "the destination is a slot of {0}, not of {1}",
    ),
    "slot the input lacks": (
        _results([["J5.particles.blob", "{1}.particles.0.nonslot"]]),
        "input particles has no slot 'nonslot' (slots: blob, ctf, alignments3D)",
    ),
    "input the job lacks": (
        _results([["J5.particles.blob", "{1}.nope.0.blob"]]),
        '{1}: individualResults[0] ["J5.particles.blob", "{1}.nope.0.blob"]: '
        "Homogeneous Refinement (homo_refine_new) has no input 'nope'",
    ),
    "result the source lacks": (
        _results([["J5.particles.nothing", "{1}.particles.0.blob"]]),
        '{1}: individualResults[0] ["J5.particles.nothing", "{1}.particles.0.blob"], as J',
    ),
    "group source without an output": (
        _set("jobs", "{0}", "groups", 0, value=["J8particles_selected", "particles"]),
        '{0}: groups[0] ["J8particles_selected", "particles"]: '
        "the source is not '{{job}}.{{output}}'",
    ),
    "group from an output the parent lacks": (
        _set("jobs", "{0}", "groups", 0, value=["J8.nothing", "particles"]),
        '{0}: groups[0] ["J8.nothing", "particles"], as J',
    ),
    "a job reading itself": (
        _set("jobs", "{0}", "groups", 0, value=["{0}.particles_class_0", "particles"]),
        "{0}: a cycle: {0} -> {0}",
    ),
    "a job uid with a dot": (_rename_job, 'jobs: "J4.x" is not a job uid'),
    "a job that is also a parent": (
        _job_as_parent,
        "parents: {0} is both a job and a parent of the file",
    ),
    "spec inputs not an object": (
        _set("jobs", "{1}", "spec", "inputs", value=[]),
        "{1}: spec.inputs is not an object",
    ),
    "spec connections not a list": (
        _set("jobs", "{1}", "spec", "inputs", "particles", "connections", value="x"),
        "{1}: spec.inputs.particles: not an object with a list of connections",
    ),
    "spec connection without results": (
        _set("jobs", "{1}", "spec", "inputs", "particles", "connections", 0, value=[1]),
        "{1}: spec.inputs.particles.connections[0]: not an object with results",
    ),
    "a known parameter too large": (
        _set("jobs", "{0}", "parameters", "abinit_K", "value", value=10**400),
        "{0}: abinit_K (Number of classes) must be a finite number within 64 bits",
    ),
    "an unknown parameter too large": (
        _set("jobs", "{0}", "parameters", "abinit_new", value={"value": 10**400}),
        "{0}: abinit_new is not a value CryoSPARC can store: an integer of 401 digits",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_entry_is_refused_naming_the_job_and_the_entry(
    workspace: Project, tmp_path: Path, case: str
) -> None:
    edit, expected = MALFORMED[case]
    uids = branch(workspace)
    doc = workflow_document(workspace, uids)
    edit(doc, uids)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    before = {uid: state.clone() for uid, state in workspace.states.items()}
    history = workspace.history
    with pytest.raises(WorkflowRefused) as refused:
        apply_workflow(workspace, path)
    assert any(expected.format(*uids) in r for r in refused.value.reasons), refused.value.reasons
    assert dict(workspace.states) == before and workspace.history == history


def test_nan_in_a_file_is_refused_for_known_and_unknown_parameters(
    workspace: Project, tmp_path: Path
) -> None:
    uids = branch(workspace)
    doc = workflow_document(workspace, uids)
    doc["jobs"][uids[0]]["parameters"]["abinit_K"]["value"] = math.nan
    doc["jobs"][uids[0]]["parameters"]["abinit_new"] = {"value": math.inf}
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(doc))  # NaN and Infinity, as Python writes them
    with pytest.raises(WorkflowRefused) as refused:
        apply_workflow(workspace, path)
    assert f"{uids[0]}: abinit_K (Number of classes) must be a finite number " in (
        "\n".join(refused.value.reasons)
    )
    assert f"{uids[0]}: abinit_new is not a value CryoSPARC can store: inf" in refused.value.reasons


def test_a_workflow_file_that_is_a_named_pipe_is_refused_without_waiting(
    workspace: Project, tmp_path: Path
) -> None:
    pipe = tmp_path / "workflow.json"
    os.mkfifo(pipe)
    with pytest.raises(WorkflowRefused, match="is a named pipe, not a regular file"):
        apply_workflow(workspace, pipe)


def chain(n: int) -> dict:
    """A workflow of ``n`` downsampling jobs each reading the one before, listed children
    first, on the particles of parent J1."""
    jobs = {
        f"J{i + 1}": {
            "jobType": "downsample_particles",
            "groups": [[f"J{i}.particles" if i > 1 else "J1.particles", "particles"]],
        }
        for i in range(n, 0, -1)
    }
    parents = {
        "J1": {"jobType": "import_particles", "groups": {"particles": {"name": "particles"}}}
    }
    return {"csVersion": "v4.7.1", "jobs": jobs, "parents": parents}


@pytest.mark.slow
def test_a_chain_of_1200_jobs_listed_children_first_is_applied(tmp_path: Path) -> None:
    from cryoweave.demo import particles

    with Project.create(tmp_path / "P") as project:
        project.import_dataset(particles(10, ("blob", "ctf"), seed=0), "particle", "particles")
        path = tmp_path / "chain.json"
        path.write_text(json.dumps(chain(1_200)))
        made = apply_workflow(project, path)
        assert len(made) == 1_200 and made[-1] == "J2"  # the file's last job read J1
        first = project.state("J2").inputs[0].connections[0]
        assert (first.job_uid, first.group_name) == ("J1", "particles")
        last = project.state(made[0]).inputs[0].connections[0]  # the file's J1201
        assert last.job_uid == made[1]


def test_a_chain_in_a_cycle_is_refused_naming_it(workspace: Project, tmp_path: Path) -> None:
    doc = chain(3)
    doc["parents"] = {}
    doc["jobs"]["J2"]["groups"] = [["J4.particles", "particles"]]
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(WorkflowRefused, match=r"J4: a cycle: J2 -> J3 -> J4 -> J2"):
        apply_workflow(workspace, path)


# -- random branches ---------------------------------------------------------------------------

TYPES = ["class_2D_new", "select_2D", "homo_abinit", "homo_refine_new", "local_resolution"]
pick = st.integers(0, 40)
_more = st.lists(
    st.one_of(
        st.tuples(st.just("create"), pick),
        st.tuples(st.just("connect"), pick, pick, pick),
        st.tuples(st.just("override"), pick, pick, pick, pick),
        st.tuples(st.just("clear"), pick, pick),
        st.tuples(st.just("classes"), pick, st.integers(1, 4)),
    ),
    min_size=1,
    max_size=14,
)
# Every branch starts by creating a job.
operations = st.builds(
    lambda first, rest: [first, *rest], st.tuples(st.just("create"), pick), _more
)


def build(project: Project, ops: list[tuple]) -> list[str]:
    """A random branch: each operation picks its jobs, inputs, outputs and results by
    index into what exists; refused edits are simply not made."""
    made: list[str] = []
    for op in ops:
        try:
            if op[0] == "create":
                made.append(project.create_job(TYPES[op[1] % len(TYPES)]).uid)
            elif not made:
                continue
            elif op[0] == "connect":
                job = project.state(made[op[1] % len(made)])
                sources = [u for u in project.states if u not in made or u != job.uid]
                source = project.state(sources[op[2] % len(sources)])
                if job.inputs and source.outputs:
                    target = job.inputs[op[3] % len(job.inputs)].spec.name
                    output = source.outputs[op[3] % len(source.outputs)].spec.name
                    project.job(job.uid).connect(target, source.uid, output)
            elif op[0] == "override":
                job = project.state(made[op[1] % len(made)])
                groups = [g for g in job.inputs if g.connections]
                if groups:
                    group = groups[op[2] % len(groups)]
                    slot = group.spec.slots[op[3] % len(group.spec.slots)]
                    sources = [u for u in project.states if u != job.uid]
                    source = project.state(sources[op[4] % len(sources)])
                    for output in source.outputs:
                        if output.result(slot.name) is not None:
                            project.job(job.uid).connect_result(
                                group.spec.name,
                                0,
                                slot.name,
                                source.uid,
                                output.spec.name,
                                slot.name,
                            )
                            break
            elif op[0] == "clear":
                job = project.state(made[op[1] % len(made)])
                for group in job.inputs:
                    optional = [s for s in group.spec.slots if not s.required]
                    if group.connections and optional:
                        slot = optional[op[2] % len(optional)].name
                        project.job(job.uid).clear_slot(group.spec.name, 0, slot)
                        break
            elif op[0] == "classes":
                job = project.state(made[op[1] % len(made)])
                if job.type == "homo_abinit":
                    project.job(job.uid).set_param("abinit_K", op[2])
        except (JobError, ValueError):  # ConnectionRefused and ParameterError are too
            pass  # refused: nothing changed
    return made


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_a_random_branch_is_rebuilt_equal_or_refused(cryosparc_folder: Path, ops) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        with open_cryosparc_project(cryosparc_folder, work / "work") as project:
            made = build(project, ops)
            if not made:
                event("no job made")
                return
            path = work / "branch.json"
            try:
                export_workflow(project, made, path)
            except WorkflowRefused:
                event("refused on export")
                assert not path.exists()
                return
            jobs, history = list(project.states), list(project.history)
            try:
                again = apply_workflow(project, path)
            except WorkflowRefused:
                event("refused on apply")
                assert list(project.states) == jobs and project.history == history
                return
            event("rebuilt")
            assert shape(project, again) == shape(project, made)
