"""Job parameters: set, refused, cleared, undone, saved in v5 ``spec.params``, read from v4."""

from __future__ import annotations

import json
import math

import pytest
from cryosparc.models.job import Job as CryosparcJob

from cryoweave import Project
from cryoweave.graph import JobError, ParameterError
from cryoweave.graph.commands import SetParam
from cryoweave.graph.documents import read_job


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "P") as p:
        yield p


def test_set_and_clear_are_undoable_edits_and_params_say_what_differs(project):
    classify = project.create_job("class_2D_new")
    assert classify.params["class2D_K"].value == 50 and not classify.params["class2D_K"].changed
    classify.set_param("class2D_K", 100)
    classify.set_param("class2D_max_res", 6)  # set, but equal to the default
    k, res = classify.params["class2D_K"], classify.params["class2D_max_res"]
    assert (k.value, k.default, k.is_set, k.changed) == (100, 50, True, True)
    assert (res.is_set, res.changed) == (True, False)
    assert project.history[-2:] == ["set J1.class2D_K to 100", "set J1.class2D_max_res to 6"]
    classify.clear_param("class2D_K")
    assert classify.params["class2D_K"].value == 50 and not classify.params["class2D_K"].is_set
    project.undo()
    assert classify.params["class2D_K"].value == 100
    project.undo()
    project.undo()
    assert classify.state.params == {}
    project.redo()
    assert classify.state.params == {"class2D_K": 100}


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("class2D_K", "many", "class2D_K (.*) is a number, not 'many'"),
        ("class2D_K", 2.5, "is a whole number, not 2.5"),
        ("class2D_K", True, "is a number, not True"),
        ("class2D_K", 0, "must be at least 1, not 0"),
        ("class2D_K", None, "needs a value"),
        ("class2D_window", 1, "is true or false, not 1"),
        ("class2D_K_count", 3, "has no parameter 'class2D_K_count'; did you mean class2D_K"),
        ("number_of_classes", 3, "did you mean .*class2D_K"),
    ],
)
def test_a_wrong_value_is_refused_with_the_reason_and_changes_nothing(project, key, value, reason):
    classify = project.create_job("class_2D_new")
    classify.set_param("class2D_K", 20)
    before, history = classify.state.clone(), project.history
    with pytest.raises(ParameterError, match=reason):
        classify.set_param(key, value)
    assert classify.state == before and project.history == history


def test_an_unknown_choice_is_refused_naming_the_choices(project):
    refine = project.create_job("homo_refine_new")
    with pytest.raises(ParameterError, match="is one of 'none', 'maximization'"):
        refine.set_param("refine_relax_symmetry", "sometimes")
    refine.set_param("refine_relax_symmetry", "marginalization")
    refine.set_param("refine_symmetry", "D7")
    assert refine.params["refine_symmetry"].value == "D7"


def test_only_a_building_job_takes_parameters(project):
    from cryoweave.demo import particles

    imported = project.import_dataset(particles(10, ("blob",), seed=0), "particle", "particles")
    with pytest.raises(JobError, match="J1 is completed; only a building job's parameters"):
        project.apply(SetParam("J1", "x", 1))
    assert imported.state.params == {}


def test_parameters_are_saved_as_v5_spec_params_and_read_back(project, tmp_path):
    extract = project.create_job("extract_micrographs_multi")
    extract.set_param("box_size_pix", 440)
    extract.set_param("bin_size_pix", 64)
    data = (project.root / extract.uid / "job.json").read_bytes()
    doc = CryosparcJob.model_validate_json(data)
    assert doc.spec.params.model_dump() == {"box_size_pix": 440, "bin_size_pix": 64}
    project.close()
    with Project.open(tmp_path / "P", read_only=True) as again:
        assert again.job(extract.uid).params["box_size_pix"].value == 440


def test_v4_params_spec_is_read(project):
    abinit = project.create_job("homo_abinit")
    doc = json.loads((project.root / abinit.uid / "job.json").read_text())
    v4 = {
        "uid": abinit.uid,
        "type": "homo_abinit",
        "title": "Ab-initio",
        "status": "building",
        "params_spec": {"abinit_K": {"value": 3}},
        "params_base": {"abinit_K": {"value": 1, "title": "Number of Ab-Initio classes"}},
        "input_slot_groups": [],
        "output_result_groups": [],
        "output_results": [],
    }
    state, shape = read_job(json.dumps(v4).encode(), abinit.uid)
    assert shape == "v4" and state.params == {"abinit_K": 3}
    assert "spec" in doc  # what cryoweave writes is v5


# -- numbers no parameter can hold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("class2D_K", 10**400, "class2D_K .* within 64 bits, not an integer of 401 digits"),
        ("class2D_K", -(10**400), "within 64 bits, not an integer of 401 digits"),
        pytest.param(
            "class2D_K", 10**5000, "within 64 bits, not an integer of more than 4,300", id="5000"
        ),
        ("class2D_K", 2**63, "within 64 bits, not 9223372036854775808"),
        ("class2D_K", 1e300, "within 64 bits, not 1e\\+300"),
        ("class2D_window_inner_A", 10**400, "class2D_window_inner_A .* not an integer of 401"),
        ("class2D_window_inner_A", math.nan, "must be a finite number within 64 bits, not nan"),
        ("class2D_window_inner_A", math.inf, "must be a finite number within 64 bits, not inf"),
        ("class2D_window_inner_A", -math.inf, "not -inf"),
        ("class2D_K", math.nan, "not nan"),
    ],
)
def test_a_number_no_parameter_can_hold_is_refused_naming_it(project, key, value, reason):
    classify = project.create_job("class_2D_new")
    before, history = classify.state.clone(), project.history
    with pytest.raises(ParameterError, match=reason):
        classify.set_param(key, value)
    assert classify.state == before and project.history == history


def test_the_largest_numbers_that_fit_are_taken(project):
    classify = project.create_job("class_2D_new")
    classify.set_param("class2D_K", 2**63 - 1)
    classify.set_param("class2D_window_inner_A", 1e300)
    assert classify.params["class2D_window_inner_A"].value == 1e300


# -- parameters the catalog does not know, read from a document ---------------------------------


def test_a_parameter_from_a_document_the_catalog_does_not_know_is_kept_and_marked(
    project, tmp_path
):
    refine = project.create_job("homo_refine_new")
    refine.set_param("refine_symmetry", "D7")
    path = project.root / refine.uid / "job.json"
    doc = json.loads(path.read_text())
    doc["spec"]["params"]["crg_do_anisomag"] = True  # as a newer CryoSPARC writes it
    path.write_text(json.dumps(doc))
    project.close()
    with Project.open(tmp_path / "P") as again:
        job = again.job(refine.uid)
        kept = job.params["crg_do_anisomag"]
        assert (kept.value, kept.known, kept.is_set) == (True, False, True)
        assert repr(kept) == "<crg_do_anisomag = True (not in cryoweave's catalog, kept as read)>"
        assert job.params["refine_symmetry"].known
        job.set_param("refine_symmetry", "C2")  # another edit keeps it in the document
        saved = CryosparcJob.model_validate_json(path.read_bytes()).spec.params.model_dump()
        assert saved == {"refine_symmetry": "C2", "crg_do_anisomag": True}
        # a user's set_param with that name is refused, as any unknown name
        with pytest.raises(ParameterError, match="has no parameter 'crg_do_anisomag'"):
            job.set_param("crg_do_anisomag", False)
        assert job.params["crg_do_anisomag"].value is True
