"""A cryoweave project reports, as a CryoSPARC folder does, each result whose file is
missing or lies outside the project (by its path, or through a symbolic link)."""

from __future__ import annotations

import json

import pytest

from cryoweave.demo import particles
from cryoweave.graph import JobError, Project


@pytest.fixture
def root(tmp_path):
    with Project.create(tmp_path / "P1") as project:
        for seed in (1, 2, 3):
            data = particles(5, ("blob", "ctf"), seed=seed)
            project.import_dataset(data, "particle", "particles")
    return tmp_path / "P1"


def test_results_missing_or_outside_are_problems_and_the_rest_opens(root, tmp_path):
    outside = tmp_path / "secret.cs"
    outside.write_bytes((root / "J1" / "J1_particles.cs").read_bytes())
    (root / "J1" / "J1_particles.cs").unlink()
    (root / "J1" / "J1_particles.cs").symlink_to(outside)  # a link that leaves the project
    (root / "J2" / "J2_particles.cs").unlink()  # gone
    doc = json.loads((root / "J3" / "job.json").read_text())
    for output in doc["spec"]["outputs"].values():
        for result in output["results"]:
            result["metafiles"] = ["../../secret.cs"]  # outside by its text
    (root / "J3" / "job.json").write_text(json.dumps(doc))
    with Project.open(root, read_only=True) as project:
        assert len(project.states) == 3
        problems = "\n".join(project.problems)
        assert (
            "J1/job.json: output J1.particles.blob names 'J1/J1_particles.cs': it is a symbolic"
            in (problems)
        )
        assert f"{outside}, outside the project folder" in problems
        assert f"{root / 'J2' / 'J2_particles.cs'}: missing; output J2.particles.blob" in problems
        assert "J3/job.json: output J3.particles.blob names '../../secret.cs'" in problems
        with pytest.raises(JobError, match="a symbolic link leads it to .*outside the project"):
            project.job("J1").load_output("particles")


def test_a_project_whose_files_are_all_there_has_no_problems(root):
    with Project.open(root, read_only=True) as project:
        assert project.problems == []
