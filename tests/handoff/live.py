"""What the hand-off tests share: a project with the guide's two cases, the local
CryoSPARC stand-in with cryosparc-tools' real client connected to it, and the check that
CryoSPARC now holds the graph cryoweave built."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from cryosparc.models.job import Job
from cryosparc.tools import CryoSPARC

from cryoweave import Project

from .cryosparc_server import State, TestServer

EMAIL, PASSWORD = "tester@example.com", "not-a-secret"


def guide_cases(project: Project) -> tuple[str, str]:
    """The guide's two cases as building jobs: a refinement of the 2D-selected, downsampled
    particles with the full-size blob of the extraction swapped in, and local resolution
    on its half map A with J12's half map B (reading the refinement, which has not run)."""
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


@contextmanager
def connected(folder: Path, **options: object) -> Iterator[tuple[TestServer, CryoSPARC]]:
    """A fresh server on ``folder``'s CryoSPARC project, and the real client logged in."""
    server = TestServer(folder, **options)  # type: ignore[arg-type]
    with server.running():
        yield server, CryoSPARC(server.url, email=EMAIL, password=PASSWORD, timeout=20)


def assert_rebuilt(project: Project, sent: dict[str, str], state: State) -> None:
    """CryoSPARC holds each sent job as cryoweave has it: type, title, parameters, every
    connection, every slot override (job, output, result, version) and every cleared slot;
    a completed job as ``assert_held`` says. ``sent`` maps cryoweave uids (``J15.particles``
    for an output sent on its own) to CryoSPARC's."""
    ours = {theirs: uid.split(".")[0] for uid, theirs in sent.items()}

    def name(uid: str) -> str:
        return ours.get(uid, uid)

    for uid, theirs in sent.items():
        if "." in uid:
            continue
        original, made = project.state(uid), state.jobs[theirs]
        if original.status == "completed":
            assert_held(project, uid, made, state, name)
            continue
        assert (made.spec.type, made.title) == (original.type, original.title)
        assert made.spec.params.model_dump() == original.params
        for group in original.inputs:
            copies = made.spec.inputs.root[group.spec.name].connections
            assert [(name(c.job_uid), c.output) for c in copies] == [
                (c.job_uid, c.group_name) for c in group.connections
            ]
            for connection, copy in zip(group.connections, copies, strict=True):
                assert {
                    (r.name, name(r.job_uid), r.output, r.result, r.version) for r in copy.results
                } == {
                    (e.slot_name, e.job_uid, e.group_name, e.result_name, e.version)
                    for e in connection.slots
                    if e.slot_name is not None
                }


def assert_held(
    project: Project, uid: str, made: Job, state: State, name: Callable[[str], str]
) -> None:
    """External job ``made`` holds cryoweave's completed job ``uid``: its title, every
    output under the same name with the uids and values of the rows cryoweave holds for its
    own results (uploaded), and, where an input is connected, that input connected to the
    same parent output (``name`` maps CryoSPARC's uids back to cryoweave's) with the
    output's other results passed through from it."""
    original = project.state(uid)
    assert (made.spec.type, made.status, made.title) == ("snowflake", "completed", original.title)
    assert set(made.spec.outputs.root) == {group.spec.name for group in original.outputs}
    for group in original.outputs:
        output = made.spec.outputs.root[group.spec.name]
        through = made.spec.inputs.root.get(group.spec.passthrough or "")
        if through is not None:
            source = original.input(group.spec.passthrough or "")
            assert source is not None
            assert [(name(c.job_uid), c.output) for c in through.connections] == [
                (c.job_uid, c.group_name) for c in source.connections
            ]
            assert output.passthrough == group.spec.passthrough
            expected = {(r.name, r.passthrough) for r in group.results}
        else:
            expected = {(r.name, False) for r in group.results}
        assert {(r.name, r.passthrough) for r in output.results} == expected
        own = [r for r, passed in expected if not passed]
        ours = project.job(uid).load_output(group.spec.name, slots=own)
        uploaded = state.datasets[(made.uid, group.spec.name)]
        assert sorted(uploaded.fields()) == sorted(ours.fields())
        for field in ours.fields():
            column = ours.strings(field) if ours[field].dtype.kind == "S" else ours[field]
            assert np.array_equal(uploaded[field], column), (group.spec.name, field)
