"""Random sequences of edits keep the project's invariants (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cryoweave.demo import particles
from cryoweave.graph import (
    ConnectionRefused,
    InputSpec,
    JobError,
    JobSpec,
    OutputSpec,
    Project,
    ResultSpec,
    SlotSpec,
)
from cryoweave.graph.rules import depends_on

PARTICLES_IN = InputSpec(
    "particles",
    "particle",
    "Particles",
    (
        SlotSpec("blob", "particle.blob"),
        SlotSpec("ctf", "particle.ctf", required=False),
        SlotSpec("alignments3D", "particle.alignments3D", required=False),
    ),
    count_min=1,
    count_max=2,
)
SPECS = [
    JobSpec("consumer", "Consumer", "Test", "Reads particles", inputs=(PARTICLES_IN,)),
    JobSpec(
        "pair",
        "Pair",
        "Test",
        "Reads two groups, repeats allowed",
        inputs=(
            InputSpec("a", "particle", "A", (SlotSpec("ctf", "particle.ctf"),), 2, None, True),
        ),
        outputs=(OutputSpec("out", "particle", "Out", (ResultSpec("x", "particle.ctf"),)),),
    ),
]
RESULTS = [("blob", "ctf"), ("blob", "ctf", "alignments3D"), ("ctf",)]

index = st.integers(0, 50)
# Each operation names its jobs, inputs, slots and results by index into what
# exists, so that most edits are ones a user could make (and some are refused).
operations = st.one_of(
    st.tuples(st.just("create"), index),
    st.tuples(st.just("connect"), index, index, index),
    st.tuples(st.just("override"), index, index, index, index, index, index),
    st.tuples(st.just("clear"), index, index, index, index),
    st.tuples(st.just("disconnect"), index, index, st.integers(-1, 2)),
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("title"), index, st.text(max_size=5)),
    st.just(("undo",)),
    st.just(("redo",)),
)


def snapshot(project: Project) -> dict[str, dict]:
    return {job.uid: job.state.clone() for job in project.jobs}


def brute_force_status(job) -> bool:
    for group in job.state.inputs:
        spec = group.spec
        if len(group.connections) < spec.count_min:
            return False
        for connection in group.connections:
            filled = {e.slot_name for e in connection.slots}
            if any(slot.required and slot.name not in filled for slot in spec.slots):
                return False
    return True


def pick(items: list, i: int):
    return items[i % len(items)] if items else None


def connection(group, i: int) -> int:
    """Mostly an existing connection; now and then one past the end."""
    return i % (len(group.connections) + 1) if i % 5 == 0 else i % max(len(group.connections), 1)


def apply(project: Project, op: tuple) -> None:
    jobs = project.jobs
    building = [j for j in jobs if j.status == "building"] or jobs
    completed = [j for j in jobs if j.status == "completed"]
    kind = op[0]
    if kind == "create":
        project.add_job(pick(SPECS, op[1]))
        return
    if kind == "title":
        pick(jobs, op[1]).set_title(op[2])
        return
    if kind == "delete":
        project.delete_job(pick(building if op[1] % 4 else jobs, op[1]).uid)
        return
    target = pick(building, op[1])
    group = pick(target.state.inputs, op[2])
    if group is None:
        raise JobError("no input to edit")
    name = group.spec.name
    if kind == "connect":
        target.connect(name, pick(completed, op[3]).uid, "particles")
    elif kind == "override":
        slot = pick(list(group.spec.slots), op[4]).name
        source = pick(completed, op[5])
        results = [r.name for r in source.state.output("particles").results]
        result = slot if op[6] % 4 and slot in results else pick(results, op[6])
        target.connect_result(name, connection(group, op[3]), slot, source.uid, "particles", result)
    elif kind == "clear":
        slot = pick(list(group.spec.slots), op[4]).name
        target.clear_slot(name, connection(group, op[3]), slot)
    elif kind == "disconnect":
        target.disconnect(name, None if op[3] < 0 else op[3])


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.lists(operations, min_size=5, max_size=30))
def test_random_edits_keep_the_invariants(ops):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "P"
        with Project.create(root) as project:
            for i, results in enumerate(RESULTS):
                data = particles(12, list(results), seed=i)
                project.import_dataset(data, "particle", "particles")
            for spec in SPECS:
                project.add_job(spec)
            for op in ops:
                before = snapshot(project)
                if op[0] == "undo":
                    project.undo()
                    continue
                if op[0] == "redo":
                    project.redo()
                    continue
                try:
                    apply(project, op)
                except (ConnectionRefused, JobError, KeyError):
                    assert snapshot(project) == before, f"refused {op} changed the project"
                    continue
                after = snapshot(project)
                # Undo returns exactly the previous state; redo the next one.
                project.undo()
                assert snapshot(project) == before, f"undo of {op}"
                project.redo()
                assert snapshot(project) == after, f"redo of {op}"

                for job in project.jobs:
                    assert not any(
                        depends_on(project.states, up, job.uid) for up in job.state.upstream()
                    ), f"cycle through {job.uid}"
                    statuses = [job.input_status(g.spec.name).met for g in job.state.inputs]
                    assert all(statuses) == brute_force_status(job)
            saved = snapshot(project)
        with Project.open(root, read_only=True) as again:
            assert snapshot(again) == saved
