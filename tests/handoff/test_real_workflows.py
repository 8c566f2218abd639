"""Workflow files exported by real CryoSPARC installations (v4.4.1 and v4.7.1, from public
repositories; provenance in /work/shared/data/real_documents/README.md) apply, and the
parameters cryoweave's catalog does not know are kept: reported as notices, marked unknown
in ``job.params``, saved in the job's document, exported again and passed to CryoSPARC."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryoweave import Project
from cryoweave.graph import ParameterError
from cryoweave.handoff import apply_workflow, export_workflow, plan

REAL = Path("/work/shared/data/real_documents")
FILES = {
    "v4.4.1": REAL / "structpilot" / "2d_classification.json",
    "v4.7.1": REAL / "cryosparc-agent-remote" / "empiar-10025-workflow.json",
}
# What the two files hold that cryoweave's catalog does not list.
UNKNOWN = {
    "v4.4.1": {
        "J8": {"update_location": True, "update_alignments2D": True, "recenter_key": "alignments2D"}
    },
    "v4.7.1": {
        "J3": {"n_templates": 20},
        **{uid: {"crg_do_anisomag": True} for uid in ("J10", "J11", "J12", "J13")},
    },
}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "P") as p:
        yield p


def connections(project: Project, uid: str) -> list[list[str]]:
    """A job's group connections as a workflow file lists them: ``[source, input]``."""
    return [
        [f"{c.job_uid}.{c.group_name}", group.spec.name]
        for group in project.state(uid).inputs
        for c in group.connections
    ]


@pytest.mark.parametrize("version", list(FILES))
def test_a_real_cryosparc_workflow_applies_as_the_file_describes(
    project: Project, version: str
) -> None:
    doc = json.loads(FILES[version].read_text())
    assert doc["csVersion"] == version and doc["parents"] == {}
    made = apply_workflow(project, FILES[version])
    assert len(made) == len(doc["jobs"]) and project.history == [f"apply workflow {doc['title']}"]
    name = dict(zip(doc["jobs"], made, strict=True))
    for uid, job in doc["jobs"].items():
        state = project.state(name[uid])
        assert state.type == job["jobType"] and state.status == "building"
        assert state.params == {k: p["value"] for k, p in job["parameters"].items()}
        expected = sorted(
            [f"{name[source.split('.')[0]]}.{source.split('.')[1]}", input_name]
            for source, input_name in job["groups"]
        )
        assert sorted(connections(project, name[uid])) == expected
        if job["title"]:
            assert state.title == job["title"]
    # Spot checks against the files as read by eye.
    if version == "v4.7.1":
        assert sorted(connections(project, name["J10"])) == [
            [f"{name['J1']}.imported_volume_1", "volume"],
            [f"{name['J9']}.particles_selected", "particles"],
        ]
        assert project.state(name["J3"]).title == "J350 Imported volumes"
        assert project.job(name["J10"]).params["refine_symmetry"].value == "D7"
    else:
        assert project.job(name["J6"]).params["class2D_K"].value == 100
        assert [c[0] for c in connections(project, name["J8"])] == [
            f"{name['J3']}.exposures_accepted",
            f"{name['J7']}.particles_selected",
        ]


@pytest.mark.parametrize("version", list(FILES))
def test_unknown_parameters_are_kept_reported_saved_exported_and_handed_to_cryosparc(
    project: Project, tmp_path: Path, version: str
) -> None:
    doc = json.loads(FILES[version].read_text())
    made = apply_workflow(project, FILES[version])
    name = dict(zip(doc["jobs"], made, strict=True))
    expected_notices = [
        f"{name[uid]} (the file's {uid}, {doc['jobs'][uid]['jobType']}): parameter {key!r} = "
        f"{value!r} is not in cryoweave's catalog; kept and passed to CryoSPARC unchanged"
        for uid, params in UNKNOWN[version].items()
        for key, value in params.items()
    ]
    assert made.notices == expected_notices
    for uid, params in UNKNOWN[version].items():
        job = project.job(name[uid])
        for key, value in params.items():
            param = job.params[key]
            assert (param.value, param.known, param.is_set) == (value, False, True)
            assert "not in cryoweave's catalog, kept as read" in repr(param)
            saved = json.loads((project.root / name[uid] / "job.json").read_text())
            assert saved["spec"]["params"][key] == value
        # A user's set_param with such a name is still refused, with the closest names.
        with pytest.raises(ParameterError, match="has no parameter"):
            job.set_param(next(iter(params)), next(iter(params.values())))
    # Exported again, and applied again: still there.
    path = export_workflow(project, made, tmp_path / "again.json")
    again_doc = json.loads(path.read_text())
    for uid, params in UNKNOWN[version].items():
        exported = again_doc["jobs"][name[uid]]["parameters"]
        assert {k: exported[k]["value"] for k in params} == params
    again = apply_workflow(project, path)
    assert len(again.notices) == len(expected_notices)
    # The hand-off passes them to CryoSPARC unchanged: in create_job's params, or by a
    # set_param call on the job it made.
    sent: dict[str, dict[str, object]] = {}
    for step in plan(project, made, workspace="W1").steps:
        for call in step.calls:
            if call.method == "create_job":
                assert call.args == ("W1", project.state(step.uid).type)
                sent.setdefault(step.uid, {}).update(call.kwargs.get("params", {}))
            elif call.method == "set_param":
                key, value = call.args
                sent.setdefault(step.uid, {})[key] = value
    for uid, params in UNKNOWN[version].items():
        assert {k: sent[name[uid]][k] for k in params} == params


def test_unknown_parameters_survive_reopening(project: Project, tmp_path: Path) -> None:
    made = apply_workflow(project, FILES["v4.7.1"])
    project.close()
    with Project.open(tmp_path / "P", read_only=True) as reopened:
        param = reopened.job(made[2]).params["n_templates"]
        assert (param.value, param.known) == (20, False)
