"""Every job gets a place of its own: jobs made without a position land on a free spot beside
their parents (or the job made last), jobs made together keep their arrangement, a job's
first connection brings it beside its parents in the same edit, and what a person placed
stays; checked on the project as saved, reopened."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave.demo import particles, tutorial_project
from cryoweave.graph import JobError, Project
from cryoweave.graph.commands import SetPositions
from cryoweave.graph.placement import CARD_WIDTH, GAP_X, Box, card_box, free_spot
from cryoweave.graph.project_document import check
from cryoweave.handoff import apply_workflow, export_workflow


def overlapping(project: Project) -> list[tuple[str, str]]:
    """Pairs of jobs whose cards (the canvas's card sizes) share some area."""
    boxes = {uid: card_box(state) for uid, state in project.states.items()}
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if boxes[a].overlaps(boxes[b])]


def saved(root: Path) -> dict[str, tuple[tuple[float, float], bool]]:
    """Where each job is drawn, and whether it was moved by hand, as the folder says."""
    with Project.open(root, read_only=True) as project:
        assert overlapping(project) == []
        return {uid: (s.position, s.moved_by_hand) for uid, s in project.states.items()}


def drawn(project: Project) -> dict[str, tuple[tuple[float, float], bool]]:
    return {uid: (s.position, s.moved_by_hand) for uid, s in project.states.items()}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "P")
    project.import_dataset(particles(30, ("blob", "ctf")), "particle", "particles")
    return project


def test_a_new_job_stands_right_of_the_job_made_last_then_beside_its_parents(
    project: Project,
) -> None:
    abinit = project.create_job("homo_abinit")
    refine = project.create_job("homo_refine_new")
    j1, j2, j3 = (card_box(project.state(uid)) for uid in ("J1", "J2", "J3"))
    assert (j2.x, j2.y) == (j1.right + GAP_X, j1.y)
    assert (j3.x, j3.y) == (j2.right + GAP_X, j2.y)

    # Its first connection brings J3 beside J1 (right of it, below J2, which is there).
    refine.connect("particles", "J1", "particles")
    moved = card_box(project.state("J3"))
    assert moved.x == j1.right + GAP_X and moved.y > j2.bottom
    assert overlapping(project) == []
    # One edit: one undo takes back the connection and the move.
    project.undo()
    assert project.state("J3").input("particles").connections == []
    assert card_box(project.state("J3")) == j3
    project.redo()
    assert card_box(project.state("J3")) == moved

    # J2's first connection leaves it where it is (its spot is free); a second connection
    # moves nothing.
    abinit.connect("particles", "J1", "particles")
    assert card_box(project.state("J2")) == j2
    refine.connect("volume", "J2", "volume_class_0")
    assert card_box(project.state("J3")) == moved
    assert saved(project.root) == drawn(project)


def test_a_position_given_or_a_move_by_hand_is_kept_and_reopens(project: Project) -> None:
    given_at = project.create_job("class_2D_new", position=(-800.0, 600.0))
    moved = project.create_job("homo_abinit")
    moved.set_position(-400.0, 900.0)
    given_at.connect("particles", "J1", "particles")
    moved.connect("particles", "J1", "particles")
    assert project.state(given_at.uid).position == (-800.0, 600.0)
    assert project.state(moved.uid).position == (-400.0, 900.0)
    root = project.root
    project.close()
    with Project.open(root) as reopened:
        assert reopened.state("J2").moved_by_hand and reopened.state("J3").moved_by_hand
        assert not reopened.state("J1").moved_by_hand
        reopened.job("J3").disconnect("particles")
        reopened.job("J3").connect("particles", "J1", "particles")
        assert reopened.state("J3").position == (-400.0, 900.0)
    doc = json.loads((root / "cryoweave_project.json").read_text())
    assert doc["moved_by_hand"] == ["J2", "J3"]


def test_a_move_undone_is_no_longer_by_hand(project: Project) -> None:
    job = project.create_job("class_2D_new")
    job.set_position(-400.0, 900.0)
    assert project.state(job.uid).moved_by_hand
    project.undo()
    assert not project.state(job.uid).moved_by_hand
    job.connect("particles", "J1", "particles")
    assert project.state(job.uid).position == (CARD_WIDTH + GAP_X, 0.0)
    assert saved(project.root) == drawn(project)


def test_a_card_grown_over_another_moves_in_the_same_edit(project: Project) -> None:
    abinit = project.create_job("homo_abinit")
    abinit.connect("particles", "J1", "particles")
    classify = project.create_job("class_2D_new")
    classify.connect("particles", "J1", "particles")  # below J2, beside J1
    before = card_box(project.state("J2"))
    abinit.set_param("abinit_K", 4)  # six more output groups: taller than the gap below
    assert overlapping(project) == []
    assert card_box(project.state("J2")).y > card_box(project.state("J3")).bottom
    project.undo()
    assert card_box(project.state("J2")) == before
    assert saved(project.root) == drawn(project)


def test_jobs_of_a_workflow_keep_their_arrangement_beside_their_parent(
    project: Project, tmp_path: Path
) -> None:
    chain = [project.create_job(kind) for kind in ("class_2D_new", "select_2D", "homo_abinit")]
    chain[0].connect("particles", "J1", "particles")
    chain[1].connect("particles", "J2", "particles")
    chain[1].connect("templates", "J2", "class_averages")
    chain[2].connect("particles", "J3", "particles_selected")
    before = {uid: card_box(state) for uid, state in project.states.items()}
    path = export_workflow(project, ["J2", "J3", "J4"], tmp_path / "branch.json")

    made = apply_workflow(project, path, {"J1": "J1"})
    boxes = [card_box(project.state(uid)) for uid in made]
    # As the branch it copies: a row, a column apart each, beside J1, below the branch.
    branch = [before[uid] for uid in ("J2", "J3", "J4")]
    assert [box.x for box in boxes] == [box.x for box in branch]
    assert {box.y for box in boxes} == {boxes[0].y}
    assert boxes[0].y > max(box.bottom for box in branch)
    assert overlapping(project) == []
    project.undo()
    assert set(project.states) == set(before)
    assert saved(project.root) == drawn(project)


def tour_edits(project: Project) -> None:
    """The tour notebook's edits from its cells: J13 to J19."""
    refine = project.create_job("homo_refine_new", title="Tour: refine")
    refine.connect("particles", "J9", "particles_class_0")
    refine.connect("volume", "J9", "volume_class_0")
    classify = project.create_job("class_2D_new", title="Tour: classify everything again")
    classify.connect("particles", "J8", "particles_selected")
    classify.connect("particles", "J8", "particles_excluded")
    locres = project.create_job("local_resolution", title="Tour: local resolution")
    locres.connect("volume", "J10", "volume")
    made = [project.create_job(k) for k in ("class_2D_new", "select_2D", "homo_abinit")]
    made[0].connect("particles", "J6", "particles")
    made[1].connect("particles", made[0].uid, "particles")
    made[2].connect("particles", made[1].uid, "particles_selected")
    made[2].set_param("abinit_K", 3)
    refine2 = project.create_job("homo_refine_new", title="Branch: refine class 2")
    refine2.connect("particles", made[2].uid, "particles_class_2")
    assert [job.uid for job in project.jobs][-7:] == [f"J{n}" for n in range(13, 20)]


def canvas_layout(project: Project, uids: list[str]) -> SetPositions:
    """What the canvas's first layout sends: rows of four, spaced wider than any card."""
    return SetPositions(
        tuple((uid, 410.0 * (i % 4), 400.0 * (i // 4)) for i, uid in enumerate(uids))
    )


def test_the_demo_awaits_the_canvas_layout_then_the_tours_jobs_each_have_a_place(
    tmp_path: Path,
) -> None:
    with tutorial_project(tmp_path / "t20s", n_particles=200) as project:
        # Left at the origin: the canvas lays out a project whose jobs all are.
        assert {state.position for state in project.states.values()} == {(0.0, 0.0)}
        project.apply(canvas_layout(project, list(project.states)))
        tour_edits(project)
        positions = [state.position for state in project.states.values()]
        assert len(set(positions)) == len(positions) == 19
        assert overlapping(project) == []
        # Each beside its parents: right of the rightmost one.
        for uid in ("J13", "J14", "J15", "J16", "J17", "J18", "J19"):
            state = project.state(uid)
            parents = [card_box(project.state(p)) for p in state.upstream()]
            assert state.position[0] == max(box.right for box in parents) + GAP_X, uid
        assert saved(project.root) == drawn(project)


def test_jobs_made_while_the_canvas_lays_out_the_demo_are_placed_with_its_layout(
    tmp_path: Path,
) -> None:
    """The tour run at once: its cells' jobs are made before the canvas's first layout
    arrives, which knows only some of them."""
    with tutorial_project(tmp_path / "t20s", n_particles=200) as project:
        tour_edits(project)
        assert {state.position for state in project.states.values()} == {(0.0, 0.0)}
        project.apply(canvas_layout(project, [f"J{n}" for n in range(1, 15)]))
        assert overlapping(project) == []
        assert all(project.state(f"J{n}").position != (0.0, 0.0) for n in range(15, 20))
        assert saved(project.root) == drawn(project)
        project.undo()  # the layout, and the places of the jobs it did not know
        assert {state.position for state in project.states.values()} == {(0.0, 0.0)}


def test_the_free_spot_is_the_first_one_down_the_column() -> None:
    taken = [Box(0, 0, 320, 100), Box(0, 150, 320, 100), Box(0, 450, 320, 100)]
    # Between 250 and 450: room for 100 with 40 on either side, not for 150.
    assert free_spot(taken, Box(0, 0, 320, 100)) == (0.0, 290.0)
    assert free_spot(taken, Box(0, 0, 320, 150)) == (0.0, 590.0)
    assert free_spot(taken, Box(500, 0, 320, 100)) == (500.0, 0.0)  # another column
    assert free_spot(taken, Box(400, 0, 320, 100)) == (400.0, 290.0)  # within the gap


def test_the_document_check_takes_a_list_of_job_uids_only() -> None:
    assert check({"moved_by_hand": ["J1", "J20"]}) is None
    assert check({"moved_by_hand": "J1"}) == "'moved_by_hand' is a str, not a list of job uids"
    assert check({"moved_by_hand": ["J1", 3]}) == "'moved_by_hand' lists 3, not a job uid"
    assert check({"moved_by_hand": ["P1"]}) == "'moved_by_hand' lists 'P1', not a job uid"
    assert check({"awaits_layout": True}) is None
    assert check({"awaits_layout": 1}) == "'awaits_layout' is a int, not true or false"


def test_a_document_with_a_wrong_list_is_refused_naming_it(project: Project) -> None:
    root = project.root
    project.close()
    path = root / "cryoweave_project.json"
    doc = json.loads(path.read_text())
    path.write_text(json.dumps({**doc, "moved_by_hand": {"J1": True}}))
    with pytest.raises(JobError, match="'moved_by_hand' is a dict, not a list of job uids"):
        Project.open(root, read_only=True)


# -- random edits ------------------------------------------------------------------------

KINDS = ("class_2D_new", "select_2D", "homo_abinit", "homo_refine_new")


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A branch of three jobs on J1's particles (2D classes, a selection, an ab-initio)."""
    folder = tmp_path_factory.mktemp("workflow")
    with Project.create(folder / "P") as project:
        project.import_dataset(particles(30, ("blob", "ctf")), "particle", "particles")
        classify, select, abinit = (project.create_job(kind) for kind in KINDS[:3])
        classify.connect("particles", "J1", "particles")
        select.connect("particles", classify.uid, "particles")
        abinit.connect("particles", select.uid, "particles_selected")
        return export_workflow(project, ["J2", "J3", "J4"], folder / "branch.json")


EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["create", "place", "connect", "classes", "workflow", "delete", "undo", "redo"]
        ),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=14,
)


def _connect(project: Project, a: int, b: int) -> None:
    """One connection that the project takes, chosen by ``a`` and ``b``, if there is one."""
    states = project.states
    options = [
        (target.uid, group.spec.name, source.uid, output.spec.name)
        for target in states.values()
        if target.status == "building"
        for group in target.inputs
        for source in states.values()
        for output in source.outputs
        if project.can_connect(target.uid, group.spec.name, source.uid, output.spec.name)[0]
    ]
    if options:
        target, name, source, output = options[(a * 7919 + b) % len(options)]
        project.job(target).connect(name, source, output)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_random_edits_never_put_a_card_on_another(
    tmp_path_factory: pytest.TempPathFactory, workflow: Path, edits: list[tuple[str, int, int]]
) -> None:
    root = tmp_path_factory.mktemp("random") / "P"
    with Project.create(root) as project:  # J1, which no undo takes away
        project.import_dataset(particles(30, ("blob", "ctf")), "particle", "particles")
    with Project.open(root) as project:
        given_at: dict[str, tuple[float, float]] = {}
        for index, (edit, a, b) in enumerate(edits):
            building = [s.uid for s in project.states.values() if s.status == "building"]
            if edit == "create":
                project.create_job(KINDS[a % len(KINDS)])
            elif edit == "place":  # far left, where no free spot is ever looked for
                at = (-2000.0 - 1000.0 * index, float(b % 500))
                given_at[project.create_job(KINDS[a % len(KINDS)], position=at).uid] = at
            elif edit == "connect":
                _connect(project, a, b)
            elif edit == "classes":  # ab-initio's class groups: its card grows or shrinks
                abinits = [uid for uid in building if project.state(uid).type == "homo_abinit"]
                if abinits:
                    project.job(abinits[a % len(abinits)]).set_param("abinit_K", 1 + b % 5)
            elif edit == "workflow":
                apply_workflow(project, workflow, {"J1": "J1"})
            elif edit == "delete" and building:
                project.delete_job(building[a % len(building)], cascade=True)
            elif edit == "undo":
                project.undo()
            elif edit == "redo":
                project.redo()
            assert saved(root) == drawn(project)  # no overlap, as saved
            for uid, at in given_at.items():
                if uid in project.states:
                    assert project.state(uid).position == at
