"""Workflow files of any shape: applied, or refused with ``WorkflowRefused`` and nothing
changed, never another exception. Random mutations of the two real CryoSPARC exports and
of a file ``export_workflow`` writes (parents, overrides, a cleared slot and a v5 spec)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cryoweave import Project, open_cryosparc_project
from cryoweave.demo import cryosparc_tutorial_project
from cryoweave.handoff import WorkflowRefused, apply_workflow, workflow_document

REAL = Path("/work/shared/data/real_documents")


@pytest.fixture(scope="module")
def cryosparc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cryosparc_tutorial_project(tmp_path_factory.mktemp("cs") / "CS-t20s", 500)


@pytest.fixture(scope="module")
def documents(cryosparc_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The real v4.4.1 and v4.7.1 exports, and a branch exported from a workspace on the
    tutorial project (ab-initio, a refinement with a full-size blob and a cleared slot,
    local resolution with another refinement's half map)."""
    with open_cryosparc_project(cryosparc_folder, tmp_path_factory.mktemp("w") / "w") as p:
        abinit = p.create_job("homo_abinit")
        abinit.connect("particles", "J8", "particles_selected")
        abinit.set_param("abinit_K", 2)
        refine = p.create_job("homo_refine_new")
        refine.connect("particles", abinit.uid, "particles_class_1")
        refine.connect("volume", abinit.uid, "volume_class_1")
        refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
        refine.clear_slot("particles", 0, "alignments3D")
        local = p.create_job("local_resolution")
        local.connect("volume", refine.uid, "volume")
        local.connect_result("volume", 0, "map_half_B", "J10", "volume", "map_half_B")
        exported = workflow_document(p, [abinit.uid, refine.uid, local.uid])
    real = [
        json.loads((REAL / "structpilot" / "2d_classification.json").read_text()),
        json.loads((REAL / "cryosparc-agent-remote" / "empiar-10025-workflow.json").read_text()),
    ]
    return [*real, exported]


def paths(doc: Any) -> list[tuple[Any, ...]]:
    """Every key path in ``doc``, the root first (iteratively: documents may be deep)."""
    found: list[tuple[Any, ...]] = []
    todo: list[tuple[tuple[Any, ...], Any]] = [((), doc)]
    while todo:
        path, value = todo.pop()
        found.append(path)
        if isinstance(value, dict):
            todo += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            todo += [((*path, i), v) for i, v in enumerate(value)]
    return found


TRICKY = [
    "J1.particles.blob",
    "J9.particles.0.blob",
    "J1.particles.x.blob",
    "J9.particles.blob",
    "J1.particles",
    "J99.particles",
    "J1..blob",
    "J2.particles.-1.blob",
    "J2.particles.99.blob",
    "J2.particles.0.alignments3D",
    "J5.particles.blob",
    "J8.particles_selected",
    ".",
    "",
    "J1",
    "J2",
    "particles",
    "exposures",
    "J1.imported_micrographs",
    "J6.class_averages",
]
UIDS = ["J1", "J2", "J3", "J5", "J7", "J8", "J9", "J10", "J13", "J14", "J15", "J99"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.sampled_from(TRICKY)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(TRICKY), inner, max_size=3)
    ),
    max_leaves=8,
)
mutation = st.tuples(
    st.sampled_from(["replace", "delete", "duplicate", "rename", "swap"]),
    st.integers(0, 10_000),
    json_values,
    st.sampled_from(TRICKY),
    st.sampled_from(TRICKY),
)


def mutate(doc: Any, kind: str, pick: int, value: Any, name: str, other: str) -> Any:
    """One change at the ``pick``-th path of ``doc`` (in place where it can be)."""
    if kind == "swap":  # one job uid for another, everywhere: cycles, self-reads, clashes
        old, new = UIDS[pick % len(UIDS)], UIDS[(pick // len(UIDS)) % len(UIDS)]
        text = json.dumps(doc).replace(f'"{old}.', f'"{new}.').replace(f'"{old}"', f'"{new}"')
        return json.loads(text)
    found = paths(doc)
    path = found[pick % len(found)]
    if not path:
        return value if kind == "replace" else doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if kind == "replace":
        parent[key] = value
    elif kind == "delete":
        del parent[key]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    elif kind == "rename" and isinstance(parent, dict):
        parent[name] = parent.pop(key)
    return doc


def on_disk(project: Project) -> dict[str, bytes]:
    return {
        str(p.relative_to(project.root)): p.read_bytes() for p in project.root.glob("J*/job.json")
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, 2), changes=st.lists(mutation, min_size=1, max_size=4))
def test_any_workflow_file_is_applied_or_refused_and_a_refusal_changes_nothing(
    cryosparc_folder: Path, documents: list[Any], which: int, changes: list[tuple]
) -> None:
    doc = copy.deepcopy(documents[which])
    for change in changes:
        doc = mutate(doc, *change)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        path = work / "workflow.json"
        path.write_text(json.dumps(doc))
        with open_cryosparc_project(cryosparc_folder, work / "work") as project:
            states = {uid: state.clone() for uid, state in project.states.items()}
            history, disk = project.history, on_disk(project)
            try:
                made = apply_workflow(project, path)
            except WorkflowRefused as refused:
                reasons = refused.reasons
                event("refused")
                assert reasons and all(isinstance(r, str) for r in reasons)
                assert dict(project.states) == states
                assert project.history == history and on_disk(project) == disk
                return
            event("applied")
            assert project.history == [*history, project.history[-1]]
            assert all(project.state(uid).status == "building" for uid in made)
            project.undo()
            assert dict(project.states) == states


def test_every_document_the_mutations_start_from_applies(
    cryosparc_folder: Path, documents: list[Any], tmp_path: Path
) -> None:
    for i, doc in enumerate(documents):
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(doc))
        with open_cryosparc_project(cryosparc_folder, tmp_path / f"work{i}") as project:
            assert len(apply_workflow(project, path)) == len(doc["jobs"])
