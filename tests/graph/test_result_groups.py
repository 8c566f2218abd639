"""Result groups (.csg): export, import, round trips and bad files."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from cryoweave.demo import particles
from cryoweave.graph import JobError, Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "P1") as p:
        yield p


def test_an_exported_output_has_cryosparcs_layout(project, tmp_path):
    job = project.import_dataset(particles(500, ["blob", "ctf"]), "particle", "particles")
    csg = job.export_output("particles", tmp_path / "exports")
    assert csg.name == "J1_particles.csg"
    doc = yaml.safe_load(csg.read_text())
    assert set(doc) == {"created", "group", "results", "version"}
    assert doc["group"] == {
        "description": "",
        "name": "particles",
        "title": "particles",
        "type": "particle",
    }
    assert doc["results"]["ctf"] == {
        "metafile": ">J1_particles_exported.cs",
        "num_items": 500,
        "type": "particle.ctf",
    }
    assert (csg.parent / "J1_particles_exported.cs").is_file()
    # The .cs is in the numpy layout CryoSPARC reads.
    assert (csg.parent / "J1_particles_exported.cs").read_bytes()[:6] == b"\x93NUMPY"


def test_export_then_import_round_trips(project, tmp_path):
    job = project.import_dataset(
        particles(300, ["blob", "ctf", "location"]), "particle", "particles"
    )
    csg = job.export_output("particles", tmp_path / "out")
    with Project.create(tmp_path / "P2") as other:
        imported = other.import_result_group(csg)
        assert imported.status == "completed"
        assert [r.name for r in imported.state.output("particles").results] == [
            "blob",
            "ctf",
            "location",
        ]
        before = job.load_output("particles")
        after = imported.load_output("particles")
        assert after.fields() == before.fields()
        for name in before.fields():
            np.testing.assert_array_equal(after[name], before[name])
        # The files were copied in: the project does not depend on the export folder.
        assert all(
            m.startswith(f"{imported.uid}/")
            for r in imported.state.output("particles").results
            for m in r.metafiles
        )


def test_a_resolved_input_with_an_override_exports_as_one_group(project, tmp_path):
    full = project.import_dataset(particles(100, ["blob", "ctf"], seed=1), "particle", "particles")
    refine = project.create_job("homo_refine_new")
    refine.connect("particles", full.uid, "particles")
    csg = refine.export_input("particles", tmp_path / "out")
    doc = yaml.safe_load(csg.read_text())
    assert doc["results"]["blob"]["type"] == "particle.blob"
    assert doc["results"]["blob"]["num_items"] == 100


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("results"), "needs 'group' and 'results'"),
        (lambda d: d["results"]["ctf"].update(num_items=7), "holds 200 items, the file says 7"),
        (lambda d: d["results"]["ctf"].update(type="volume.blob"), "not a particle type"),
        (lambda d: d["results"]["ctf"].update(metafile=">nope.cs"), "does not exist"),
        (lambda d: d["results"]["ctf"].update(metafile="/etc/passwd"),
         "is not read: the path is absolute"),
        (lambda d: d["results"]["ctf"].update(metafile=">../out/P_particles_exported.cs"),
         "is not read: the path leaves the .csg file's folder"),
        (lambda d: d["results"].update(pose=dict(d["results"]["ctf"], type="particle.pose")),
         "holds no pose/ fields"),
    ],
)  # fmt: skip
def test_bad_result_group_files_are_refused_and_nothing_is_imported(
    project, tmp_path, edit, message
):
    job = project.import_dataset(particles(200, ["blob", "ctf"]), "particle", "particles")
    csg = job.export_output("particles", tmp_path / "out")
    doc = yaml.safe_load(csg.read_text())
    edit(doc)
    csg.write_text(yaml.safe_dump(doc))
    jobs_before = [j.uid for j in project.jobs]
    with pytest.raises(JobError, match=message) as err:
        project.import_result_group(csg)
    assert str(csg) in str(err.value)
    assert [j.uid for j in project.jobs] == jobs_before
