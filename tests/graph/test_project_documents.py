"""Project documents of any shape, and values of any kind given to the project: the project
opens or refuses with ``JobError`` naming the file, and what it saves always reopens."""

from __future__ import annotations

import contextlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave.demo import particles
from cryoweave.graph import JobError, Project

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = ["format", "title", "created_at", "next_job", "project_uid", "positions", "types", "x"]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "P1"
    with Project.create(root) as project:
        project.import_dataset(particles(20, ("blob", "ctf")), "particle", "particles")
        refine = project.create_job("homo_refine_new", position=(250, 10))
        refine.connect("particles", "J1", "particles")
        project.create_external_job("Mine")
    return root


def _reopens_after_an_edit(root: Path) -> None:
    with Project.open(root) as project:
        uid = project.create_job("homo_refine_new", position=(1, 2)).uid
        project.job(uid).set_position(-3, 4.5)
    with Project.open(root) as again:
        assert again.state(uid).position == (-3.0, 4.5)


@SETTINGS
@given(key=st.sampled_from(KEYS), value=JSON, inner=st.booleans())
def test_a_project_document_opens_or_is_refused_naming_it(
    seed: Path, tmp_path: Path, key: str, value: Any, inner: bool
) -> None:
    root = tmp_path / "copy"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(seed, root, ignore=shutil.ignore_patterns(".cryoweave.lock"))
    path = root / "cryoweave_project.json"
    doc = json.loads(path.read_text())
    if inner and isinstance(doc.get(key), dict) and doc[key]:
        doc[key][next(iter(doc[key]))] = value  # a value inside: a position, a type
    else:
        doc[key] = value
    path.write_text(json.dumps(doc))
    try:
        Project.open(root, read_only=True).close()
    except JobError as err:
        refusal = str(err)
    else:
        refusal = ""
        _reopens_after_an_edit(root)
    assert not refusal or "cryoweave_project.json: " in refusal


NUMBERS = (
    st.integers(-(10**400), 10**400)
    | st.floats()
    | st.text(max_size=3)
    | st.none()
    | st.booleans()
    | st.sampled_from([math.nan, 1e300, -1e12])
)


@SETTINGS
@given(x=NUMBERS, y=NUMBERS, title=st.text(max_size=6) | st.integers() | st.none())
def test_values_given_to_a_project_are_saved_so_it_reopens_or_refused(
    seed: Path, tmp_path: Path, x: Any, y: Any, title: Any
) -> None:
    root = tmp_path / "copy"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(seed, root, ignore=shutil.ignore_patterns(".cryoweave.lock"))
    with Project.open(root) as project:
        for edit in (
            lambda: project.job("J2").set_position(x, y),
            lambda: project.create_job("homo_refine_new", title, position=(x, y)),
            lambda: project.job("J3").set_title(title),
        ):
            with contextlib.suppress(JobError):
                edit()
        states = {uid: project.state(uid) for uid in project.states}
    with Project.open(root) as again:
        assert {uid: again.state(uid) for uid in again.states} == states
