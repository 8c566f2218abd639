"""Edited datasets go back into a project as cryosparc-tools users do it: an external
job's ``save_output`` inside ``with job.run():`` takes any dataset the verbs make, and
what it saved reads back equal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from cryoweave import Dataset
from cryoweave.demo import particles
from cryoweave.graph import Project

LONGER = "J99/imported/full_size/" + "a_much_longer_folder_name/" * 4


def _longer_paths(ds: Dataset) -> Dataset:
    ds.add_fields([("blob/note", "O"), ("blob/score", "f4")])
    ds["blob/path"] = np.strings.add(LONGER, ds["blob/path"])
    ds["blob/note"] = "full size"
    ds["blob/score"] = np.arange(len(ds), dtype=np.float32)
    return ds


MADE: dict[str, Callable[[Dataset], Dataset]] = {
    "copy": lambda ds: ds.copy(),
    "query": lambda ds: ds.query({"ctf/exp_group_id": [1, 2]}),
    "union": lambda ds: ds.slice(0, 300).union(ds.slice(200)),
    "add_fields and longer text": _longer_paths,
    "a write into the text": lambda ds: (ds["blob/path"].__setitem__(3, LONGER + "é.mrc"), ds)[1],
    "split_by part": lambda ds: next(iter(ds.split_by("location/micrograph_path").values())),
    "renamed fields": lambda ds: ds.rename_prefix("blob", "raw", copy=True).rename_prefix(
        "raw", "blob"
    ),
    "take": lambda ds: ds.take(np.arange(len(ds))[::-3]),
    "innerjoin": lambda ds: ds.filter_prefixes(["blob"]).innerjoin(ds.slice(100)),
    "append": lambda ds: ds.slice(0, 100).append(ds.slice(400)),
}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "P1") as p:
        p.import_dataset(
            particles(500, ["blob", "ctf", "location"], seed=3), "particle", "particles"
        )
        yield p


@pytest.mark.parametrize("made_by", sorted(MADE))
def test_save_output_takes_what_the_verbs_make(project: Project, made_by: str) -> None:
    job = project.create_external_job("Edit particles")
    job.add_input("particle", "particles", min=1, slots=["blob", "ctf", "location"])
    job.connect("particles", "J1", "particles")
    job.add_output("particle", "particles", slots=["blob"], passthrough="particles")
    with job.run():
        edited = MADE[made_by](job.resolve_input("particles"))
        version = job.save_output("particles", edited)
    saved = job.load_output("particles", version, slots=["blob"])
    assert saved == edited.filter_prefixes(["blob"])
    assert len(job.load_output("particles")) == len(edited)  # passthroughs joined on uid
