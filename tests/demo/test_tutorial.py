"""The built-in T20S demo project: complete, typed as CryoSPARC types it, and usable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cryosparc.dataset import Dataset as ToolsDataset

from cryoweave import Dataset
from cryoweave.demo import tutorial_project
from cryoweave.demo.tutorial import EXTRACT_BOX, JOBS, SMALL_BOX
from cryoweave.graph import Project
from cryoweave.graph.result_types import RESULT_TYPES


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "t20s"
    tutorial_project(root, n_particles=3_000).close()
    return root


def test_every_job_of_the_chain_is_completed_in_order(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        assert {job.uid: job.type for job in project.jobs} == JOBS
        assert {job.status for job in project.jobs} == {"completed"}


def test_fields_have_the_dtypes_of_their_result_types(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        for state in project.states.values():
            for group in state.outputs:
                data = project.job(state.uid).load_output(group.spec.name)
                for result in group.results:
                    kind = RESULT_TYPES[result.type]
                    for field in kind.fields:
                        name = f"{result.name}/{field[0]}"
                        column = data.array[name]
                        expected = "S" if field[1] == "S" else np.dtype(field[1]).str
                        actual = column.dtype.kind if field[1] == "S" else column.dtype.str
                        assert actual == expected, (state.uid, name)
                        assert column.shape[1:] == (field[2] if len(field) == 3 else ())


def test_files_read_the_same_in_cryosparc_tools(demo: Path) -> None:
    files = sorted(demo.glob("J*/*.cs"))
    assert len(files) > 15
    for path in files:
        theirs = ToolsDataset.load(path)
        mine = Dataset.load(path)
        assert set(theirs.fields()) == set(mine.fields()), path
        for name in mine.fields():
            if mine[name].dtype.kind == "S":
                assert list(theirs[name]) == [v.decode() for v in mine[name]], (path, name)
            else:
                np.testing.assert_array_equal(theirs[name], mine[name], err_msg=f"{path} {name}")


def test_values_are_those_of_the_tutorial(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        movies = project.job("J1").load_output("imported_movies")
        assert np.all(movies["mscope_params/accel_kv"] == 300)
        extracted = project.job("J5").load_output("particles")
        small = project.job("J6").load_output("particles")
        assert len(extracted) == 3_000 and np.all(extracted["blob/shape"] == EXTRACT_BOX)
        assert np.all(small["blob/shape"] == SMALL_BOX)
        assert np.array_equal(small["uid"], extracted["uid"])
        # every particle sits on one of the imported exposures, with that exposure's defocus
        assert np.isin(extracted["location/micrograph_uid"], movies["uid"]).all()
        assert 8_000 < extracted["ctf/df1_A"].min() < extracted["ctf/df1_A"].max() < 27_000
        # blob/idx counts particles within each micrograph's stack
        first = np.flatnonzero(np.r_[True, np.diff(extracted["location/micrograph_uid"]) != 0])
        assert np.all(extracted["blob/idx"][first] == 0)


def test_2d_classification_keeps_one_version_per_iteration(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        job = project.job("J7")
        blob = job.state.output("particles").result("alignments2D")
        assert blob.versions == [0, 1, 2, 3]
        first = job.load_output("particles", 0)["alignments2D/class"]
        final = job.load_output("particles")["alignments2D/class"]
        assert not np.array_equal(first, final)


def test_passthroughs_carry_unread_results(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        results = {r.name: r.passthrough for r in project.state("J6").outputs[0].results}
        assert results == {"blob": False, "ctf": True, "location": True, "pick_stats": True}


def test_downsampled_particles_use_case(demo: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(demo, tmp_path / "p", ignore=shutil.ignore_patterns(".cryoweave.lock"))
    with Project.open(tmp_path / "p") as project:
        refine = project.create_job("homo_refine_new")
        refine.connect("particles", "J9", "particles_class_0")
        refine.connect("volume", "J9", "volume_class_0")
        assert np.all(refine.resolve_input("particles")["blob/shape"] == SMALL_BOX)
        refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
        particles = refine.resolve_input("particles")
        assert np.all(particles["blob/shape"] == EXTRACT_BOX)
        assert len(particles) == project.state("J9").output("particles_class_0").num_items
        assert refine.input_status("particles").state == "ready"


def test_half_maps_for_local_resolution(demo: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(demo, tmp_path / "p", ignore=shutil.ignore_patterns(".cryoweave.lock"))
    with Project.open(tmp_path / "p") as project:
        locres = project.create_job("local_resolution")
        locres.connect("volume", "J10", "volume")
        locres.connect_result("volume", 0, "map_half_B", "J12", "volume", "map_half_B")
        resolution = locres.resolve("volume")
        volume = resolution.dataset
        assert volume.strings("map_half_A/path")[0] == "J10/J10_008_volume_map_half_A.mrc"
        assert volume.strings("map_half_B/path")[0] == "J12/J12_010_volume_map_half_B.mrc"
        assert resolution.provenance["map_half_B/path"][0].job_uid == "J12"


def test_too_few_particles_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 100"):
        tutorial_project(tmp_path / "tiny", n_particles=10)
    assert not (tmp_path / "tiny").exists()


def test_the_cryosparc_layout_opens_as_a_cryosparc_project(tmp_path: Path) -> None:
    import json

    from cryoweave import open_cryosparc_project
    from cryoweave.demo import cryosparc_tutorial_project

    root = cryosparc_tutorial_project(tmp_path / "CS-demo", n_particles=1_000)
    assert not (root / "cryoweave_project.json").exists()
    from cryosparc.models.job import Job as CryosparcJob

    data = (root / "J7" / "job.json").read_bytes()
    doc = CryosparcJob.model_validate_json(data)  # CryoSPARC 5's own document
    assert doc.spec.type == "class_2D_new" and doc.project_uid == "P1"
    assert "type_title" not in json.loads(data)
    project = open_cryosparc_project(root)
    assert project.problems == []
    assert [job.uid for job in project.jobs] == list(JOBS)
    assert project.state("J7").type_title == "2D Classification"
    assert len(project.job("J10").resolve_input("particles")) > 500
