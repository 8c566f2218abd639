"""The CryoSPARC project the hand-off tests build on: the tutorial chain in CryoSPARC's own
layout, opened with a cryoweave workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cryoweave import open_cryosparc_project
from cryoweave.demo import cryosparc_tutorial_project
from cryoweave.graph import Project


@pytest.fixture(scope="module")
def cryosparc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cryosparc_tutorial_project(tmp_path_factory.mktemp("cs") / "CS-t20s", 1_000)


@pytest.fixture
def workspace(cryosparc_folder: Path, tmp_path: Path) -> Iterator[Project]:
    with open_cryosparc_project(cryosparc_folder, tmp_path / "work") as project:
        yield project
