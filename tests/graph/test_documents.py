"""Job documents: v5 written through cryosparc-tools' own model and read back equal, v4 read
tolerantly, and any damage to either a ``DocumentError`` naming the field, never another error.

``v4_document`` writes a job in CryoSPARC 4's shape (as tests/interop/cryosparc_fixture.py
shapes them); the interop tests import it to make mixed v4/v5 folders.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryosparc.models.job import Job as ToolsJob
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave import open_cryosparc_project
from cryoweave.demo import tutorial_project
from cryoweave.graph import Project
from cryoweave.graph.documents import STATUSES, DocumentError, read_job, to_v5, v5_bytes
from cryoweave.graph.model import JobState

sys.path.insert(0, str(Path(__file__).parents[1] / "interop"))
from cryosparc_fixture import write_cryosparc_project

# -- CryoSPARC 4's shape, written by hand ---------------------------------------------------------


def v4_document(
    state: JobState, project_uid: str = "P1", *, per_version_counts: bool = True
) -> dict[str, Any]:
    """``state`` as CryoSPARC 4 keeps a ``job.json``: slot groups, result groups and results
    in lists, parameters in ``params_spec``, the canvas tile in ``ui_layouts``. Result counts
    are per-version lists (as some v4 releases write them) or the final version's int."""
    results = [
        {
            "uid": f"{state.uid}-{r.group_name}-{r.name}",
            "type": r.type,
            "name": r.name,
            "group_name": r.group_name,
            "title": r.name,
            "description": "",
            "versions": list(r.versions),
            "metafiles": list(r.metafiles),
            "min_fields": [],
            "num_items": list(r.item_counts) if per_version_counts else r.num_items,
            "passthrough": r.passthrough,
        }
        for group in state.outputs
        for r in group.results
    ]
    groups = [
        {
            "uid": f"{state.uid}-G{i + 1}",
            "type": group.spec.type,
            "name": group.spec.name,
            "title": group.spec.title,
            "description": "",
            "contains": [
                {
                    "uid": f"{state.uid}-{r.group_name}-{r.name}",
                    "type": r.type,
                    "name": r.name,
                    "group_name": r.group_name,
                    "passthrough": r.passthrough,
                }
                for r in group.results
            ],
            "passthrough": group.spec.passthrough or False,
            "num_items": group.num_items,
            "summary": {},
        }
        for i, group in enumerate(state.outputs)
    ]
    inputs = [
        {
            "type": group.spec.type,
            "name": group.spec.name,
            "title": group.spec.title,
            "description": group.spec.description,
            "count_min": group.spec.count_min,
            "count_max": group.spec.count_max,
            "repeat_allowed": group.spec.repeat_allowed,
            "slots": [
                {
                    "type": slot.type,
                    "name": slot.name,
                    "title": slot.title,
                    "description": "",
                    "optional": not slot.required,
                }
                for slot in group.spec.slots
            ],
            "connections": [
                {
                    "job_uid": c.job_uid,
                    "group_name": c.group_name,
                    "slots": [
                        {
                            "slot_name": e.slot_name,
                            "job_uid": e.job_uid,
                            "group_name": e.group_name,
                            "result_name": e.result_name,
                            "result_type": e.result_type,
                            "version": e.version,
                        }
                        for e in c.slots
                    ],
                }
                for c in group.connections
            ],
        }
        for group in state.inputs
    ]
    return {
        "uid": state.uid,
        "project_uid": project_uid,
        "type": state.type,
        "title": state.title,
        "description": state.description,
        "status": state.status,
        "created_at": "2024-03-01T10:00:00Z",
        "input_slot_groups": inputs,
        "output_result_groups": groups,
        "output_results": results,
        "params_spec": {key: {"value": value} for key, value in state.params.items()},
        "params_base": {},
        "ui_layouts": {f"{project_uid}W1": {"show": True, "floater": False, "x": 1, "y": 2}},
    }


def v4_bytes(state: JobState, *, per_version_counts: bool = True) -> bytes:
    return json.dumps(v4_document(state, per_version_counts=per_version_counts)).encode()


# -- the jobs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, JobState]:
    """The demo chain (all completed: versions, passthroughs), with two refinements being
    built on it: J13 with a slot overridden by another job's result and parameters set,
    J14 reading an earlier version of 2D classification's particles."""
    with tutorial_project(tmp_path_factory.mktemp("docs") / "t20s", n_particles=1000) as project:
        refine = project.create_job("homo_refine_new", position=(300.0, 40.0))
        refine.connect("particles", "J8", "particles_selected")
        refine.connect_result("particles", 0, "blob", "J5", "particles", "blob")
        refine.connect("volume", "J9", "volume_class_0")
        refine.set_param("refine_symmetry", "D7")
        refine.set_param("refine_num_final_iterations", 2)
        earlier = project.create_job("homo_refine_new", "from 2D iteration 2")
        earlier.connect("particles", "J7", "particles")
        earlier.connect_result("particles", 0, "blob", "J7", "particles", "blob", 2)
        return {uid: state.clone() for uid, state in project.states.items()}


def building_chain(root: Path) -> Project:
    """A chain no job of which has run: every output without versions, every job building."""
    project = Project.create(root)
    movies = project.create_job("import_movies")
    motion = project.create_job("patch_motion_correction_multi")
    motion.connect("movies", movies.uid, "imported_movies")
    ctf = project.create_job("patch_ctf_estimation_multi")
    ctf.connect("exposures", motion.uid, "micrographs")
    picker = project.create_job("blob_picker_gpu")
    picker.connect("micrographs", ctf.uid, "exposures")
    extract = project.create_job("extract_micrographs_multi")
    extract.connect("micrographs", picker.uid, "micrographs")
    extract.connect("particles", picker.uid, "particles")
    extract.set_param("box_size_pix", 440)
    classify = project.create_job("class_2D_new", "2D, 50 classes")
    classify.connect("particles", extract.uid, "particles")
    mine = project.create_external_job("My tool")
    mine.add_input("particle", "particles", 1, 1, slots=["blob", "ctf"])
    mine.add_output("particle", "particles", slots=["alignments2D"], passthrough="particles")
    mine.connect("particles", classify.uid, "particles")
    return project


def same_job(read: JobState, state: JobState) -> bool:
    """Equal as documents keep jobs: where the canvas draws a job is kept elsewhere."""
    return replace(read, position=state.position, moved_by_hand=state.moved_by_hand) == state


def test_the_sample_holds_what_documents_must_carry(tutorial: dict[str, JobState]) -> None:
    states = list(tutorial.values())
    results = [r for s in states for g in s.outputs for r in g.results]
    entries = [(c, e) for s in states for g in s.inputs for c in g.connections for e in c.slots]
    assert any(len(r.versions) > 1 for r in results)
    assert any(r.passthrough for r in results)
    assert any(c.is_override(e) and e.job_uid != c.job_uid for c, e in entries)
    assert any(e.version != "F" for _, e in entries)
    assert any(e.slot_name is None for _, e in entries)  # passthrough entries
    assert any(s.params for s in states)
    assert {s.status for s in states} == {"completed", "building"}


def test_every_tutorial_job_in_every_status_is_a_valid_v5_document_read_back_equal(
    tutorial: dict[str, JobState],
) -> None:
    for state in tutorial.values():
        for status in STATUSES:
            job = replace(state.clone(), status=status)
            data = v5_bytes(job, "P1")
            tools = ToolsJob.model_validate_json(data)
            assert (tools.uid, tools.project_uid, tools.status) == (job.uid, "P1", status)
            assert tools.spec.type == job.type
            assert set(tools.spec.inputs.root) == {g.spec.name for g in job.inputs}
            assert set(tools.spec.outputs.root) == {g.spec.name for g in job.outputs}
            read, shape = read_job(data, job.uid)
            assert shape == "v5"
            assert same_job(read, job), job.uid


def test_v5_documents_keep_overrides_versions_and_counts(tutorial: dict[str, JobState]) -> None:
    tools = ToolsJob.model_validate_json(v5_bytes(tutorial["J13"], "P1"))
    (connection,) = tools.spec.inputs.root["particles"].connections
    blob = next(r for r in connection.results if r.name == "blob")
    assert (connection.job_uid, blob.job_uid, blob.output, blob.dtype) == (
        "J8",
        "J5",
        "particles",
        "blob",
    )
    assert tools.spec.params.refine_symmetry == "D7"
    assert tools.parents == ["J5", "J8", "J9"]
    j14 = ToolsJob.model_validate_json(v5_bytes(tutorial["J14"], "P1"))
    (connection,) = j14.spec.inputs.root["particles"].connections
    assert next(r for r in connection.results if r.name == "blob").version == 2
    j7 = ToolsJob.model_validate_json(v5_bytes(tutorial["J7"], "P1"))
    blob = next(r for r in j7.spec.outputs.root["particles"].results if r.name == "blob")
    assert blob.versions == [0, 1, 2, 3] and len(blob.metafiles) == len(blob.num_items) == 4


def test_a_fresh_building_chain_is_valid_v5_as_written_and_read_back(tmp_path: Path) -> None:
    with building_chain(tmp_path / "P") as project:
        states = project.states
        assert {s.status for s in states.values()} == {"building"}
        for uid, state in states.items():
            model = to_v5(state, project.project_uid)
            data = model.model_dump_json(by_alias=True).encode()
            assert ToolsJob.model_validate_json(data) == model
            on_disk = (project.root / uid / "job.json").read_bytes()  # what the project saved
            assert ToolsJob.model_validate_json(on_disk).uid == uid
            for document in (data, on_disk):
                read, shape = read_job(document, uid)
                assert shape == "v5" and same_job(read, state), uid
        mine = states["J7"]
        assert mine.type == "snowflake" and mine.type_title == "External job"


def test_what_cryoweave_cannot_say_in_v5_is_refused_by_name(tutorial: dict[str, JobState]) -> None:
    state = tutorial["J13"].clone()
    state.inputs[0].spec = replace(state.inputs[0].spec, type="sandwich")
    with pytest.raises(DocumentError, match=r"J13, input 'particles': item type 'sandwich'"):
        to_v5(state, "P1")


def test_a_v5_document_of_another_folder_or_without_spec_is_refused(
    tutorial: dict[str, JobState],
) -> None:
    data = v5_bytes(tutorial["J7"], "P1")
    with pytest.raises(DocumentError, match="its uid 'J7' is not its folder's name 'J8'"):
        read_job(data, "J8")
    doc = json.loads(data)
    del doc["spec"]
    with pytest.raises(DocumentError, match=r"not a CryoSPARC v5 job document \(spec: "):
        read_job(json.dumps(doc).encode(), "J7")


def test_a_v5_document_whose_text_names_v4_keys_is_still_v5(tutorial: dict[str, JobState]) -> None:
    """The shape is told by the document's keys, not by words in its titles."""
    state = replace(tutorial["J13"].clone(), title='"spec"', description="input_slot_groups")
    state.params["refine_symmetry"] = "output_results"
    read, shape = read_job(v5_bytes(state, "P1"), "J13")
    assert shape == "v5" and same_job(read, state)


def test_v5_counts_and_versions_out_of_range_are_refused(tutorial: dict[str, JobState]) -> None:
    doc = json.loads(v5_bytes(tutorial["J7"], "P1"))
    doc["spec"]["outputs"]["particles"]["results"][0]["versions"][1] = -1
    with pytest.raises(DocumentError, match=r"spec.outputs.particles.results\[0\].versions: -1"):
        read_job(json.dumps(doc).encode(), "J7")
    doc = json.loads(v5_bytes(tutorial["J7"], "P1"))
    doc["spec"]["outputs"]["particles"]["num_items"] = 10**30
    with pytest.raises(DocumentError, match="spec.outputs.particles.num_items: 1000000"):
        read_job(json.dumps(doc).encode(), "J7")


# -- v4 ------------------------------------------------------------------------------------------


def test_v4_per_version_num_items_list_is_read(tutorial: dict[str, JobState]) -> None:
    state = tutorial["J7"].clone()
    blob = state.output("particles").result("blob")
    blob.item_counts = [1000, 990, 975, 960]
    read, shape = read_job(v4_bytes(state), "J7")
    assert shape == "v4"
    assert read.output("particles").result("blob").item_counts == [1000, 990, 975, 960]
    assert read.output("particles").result("blob").num_items == 960
    # The int CryoSPARC 4 types: the final version's count, the only one known.
    read, _ = read_job(v4_bytes(state, per_version_counts=False), "J7")
    assert read.output("particles").result("blob").item_counts == [960] * 4


def test_v4_counts_that_do_not_match_the_versions_are_refused(
    tutorial: dict[str, JobState],
) -> None:
    doc = v4_document(tutorial["J7"])
    doc["output_results"][0]["num_items"] = [1, 2]
    with pytest.raises(DocumentError, match=r"output_results\[0\].num_items: 2 counts for 4"):
        read_job(json.dumps(doc).encode(), "J7")


def test_the_v4_reader_gives_what_the_v5_reader_gives(tutorial: dict[str, JobState]) -> None:
    for uid, state in tutorial.items():
        from_v4, shape4 = read_job(v4_bytes(state), uid)
        from_v5, shape5 = read_job(v5_bytes(state, "P1"), uid)
        assert (shape4, shape5) == ("v4", "v5")
        assert from_v4.position == (320.0, 480.0)  # CryoSPARC 4's tile (1, 2)
        assert same_job(from_v4, from_v5), uid
        assert same_job(from_v4, state), uid


OPTIONAL = {"description", "title", "repeat_allowed", "connections", "summary", "passthrough"}


def without(value: Any, keys: set[str]) -> Any:
    """``value`` with ``keys`` dropped from every object at any depth."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(v, keys) for v in value]
    return value


@pytest.mark.parametrize("key", sorted(OPTIONAL))
def test_v4_documents_without_optional_keys_are_read(
    tutorial: dict[str, JobState], key: str
) -> None:
    state = tutorial["J13"]
    read, shape = read_job(json.dumps(without(v4_document(state), {key})).encode(), "J13")
    assert shape == "v4" and [g.spec.name for g in read.inputs] == ["particles", "volume", "mask"]
    if key in ("description", "summary"):
        assert same_job(replace(read, description=state.description), state)


def test_v4_documents_without_any_optional_key_are_read(tutorial: dict[str, JobState]) -> None:
    for uid in ("J7", "J8", "J13"):
        doc = without(v4_document(tutorial[uid]), OPTIONAL)
        read, _ = read_job(json.dumps(doc).encode(), uid)
        assert (read.title, read.description) == ("", "")
        assert all(not g.connections and not g.spec.repeat_allowed for g in read.inputs)
        assert all(g.spec.title == g.spec.name for g in read.outputs)
        assert all(not r.passthrough for g in read.outputs for r in g.results)
        assert [r.versions for g in read.outputs for r in g.results] == [
            r.versions for g in tutorial[uid].outputs for r in g.results
        ]


# -- damage: a DocumentError, never another exception --------------------------------------------


@pytest.fixture(scope="module")
def seeds(
    tutorial: dict[str, JobState], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[str, Any]]]:
    """Real-shaped documents to damage, by shape: (uid, parsed JSON)."""
    picked = [tutorial[uid] for uid in ("J2", "J7", "J8", "J10", "J13", "J14")]
    folder = write_cryosparc_project(tmp_path_factory.mktemp("fixture") / "CS-P12")
    fixture = [
        (uid, json.loads((folder / uid / "job.json").read_text())) for uid in ("J24", "J25", "J26")
    ]
    return {
        "v4": [(s.uid, v4_document(s)) for s in picked] + fixture,
        "v5": [(s.uid, json.loads(v5_bytes(s, "P1"))) for s in picked],
    }


ODD_VALUES = st.one_of(
    st.sampled_from([10**30, -(10**30), -1, 2**63, 2**64, 10**400, 0.5, 1e308]),
    st.sampled_from([float("nan"), float("inf"), None, True, False, "", "F", "inf", "J1"]),
    st.sampled_from([[], {}, [None], {"value": None}, [[[]]], "\udcff", "\x00", "../x.cs"]),
    st.integers(),
    st.text(max_size=6),
).map(copy.deepcopy)  # a fresh copy each time: later changes must not reach the samples


def nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every value inside ``value`` (not ``value`` itself)."""
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield (*path, key)
            yield from nodes(child, (*path, key))


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def mutate(doc: Any, data: st.DataObject) -> Any:
    """One change to a parsed document, anywhere in it."""
    paths = list(nodes(doc))
    if not paths:
        return data.draw(ODD_VALUES)
    path = data.draw(st.sampled_from(paths), label="where")
    parent, key = at(doc, path[:-1]), path[-1]
    value = parent[key]
    how = data.draw(st.sampled_from(["drop", "retype", "wrap", "unwrap", "huge"]), label="how")
    if how == "drop":
        del parent[key]
    elif how == "retype":
        parent[key] = data.draw(ODD_VALUES.filter(lambda v: type(v) is not type(value)))
    elif how == "wrap":
        parent[key] = data.draw(st.sampled_from([[value], {"value": value}, {key: value}]))
    elif how == "unwrap" and isinstance(value, dict | list) and value:
        parent[key] = next(iter(value.values())) if isinstance(value, dict) else value[0]
    else:
        parent[key] = data.draw(st.sampled_from([10**30, -1, -(2**63), 2**63, 10**400]))
    return doc


def damaged(doc: Any, data: st.DataObject) -> bytes:
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        doc = mutate(doc, data)
    # As text, a lone surrogate is an escape; as raw bytes, it is not UTF-8.
    raw = json.dumps(doc, ensure_ascii=data.draw(st.booleans(), label="ascii")).encode(
        "utf-8", "surrogateescape"
    )
    how = data.draw(st.sampled_from(["whole", "truncated", "non-utf8"]), label="bytes")
    if how == "truncated":
        return raw[: data.draw(st.integers(0, max(0, len(raw) - 1)), label="cut")]
    if how == "non-utf8":
        cut = data.draw(st.integers(0, len(raw)), label="at")
        junk = data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"]))
        return raw[:cut] + junk + raw[cut:]
    return raw


DAMAGE = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("shape", ["v4", "v5"])
@DAMAGE
@given(data=st.data())
def test_damaged_documents_give_a_job_or_a_document_error(
    seeds: dict[str, list[tuple[str, Any]]], shape: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(seeds[shape]) - 1), label="seed")
    uid, doc = seeds[shape][index]
    raw = damaged(doc, data)
    try:
        state, read_shape = read_job(raw, uid)
    except DocumentError:
        return  # refused, naming the field: the one other outcome allowed
    assert isinstance(state, JobState) and state.uid == uid and read_shape in ("v4", "v5")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON .recursion limit"),
        (b'{"spec": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not valid JSON .recursion"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"title": "\xed\xa0\x80"}', "not UTF-8 text"),  # a surrogate, encoded
        (b'{"title": "\\ud800", "input_slot_groups": []}', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[]", "the document: expected an object, found a list"),
        (b'{"uid": "J1", "status": "building", "type": "x", "input_slot_groups": []', "JSON"),
    ],
)
def test_bytes_that_are_no_document_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_job(raw, "J1")


@pytest.mark.parametrize("x", [10**400, float("nan"), float("inf")])
def test_v4_positions_that_are_no_finite_number_are_refused(
    tutorial: dict[str, JobState], x: float
) -> None:
    doc = v4_document(tutorial["J7"])
    doc["ui_layouts"]["P1W1"]["x"] = x
    with pytest.raises(DocumentError, match=r"ui_layouts.P1W1.x: expected a finite number"):
        read_job(json.dumps(doc).encode(), "J7")


# -- older CryoSPARC and parameters the catalog does not know --------------------------------------

REAL_V4 = Path("/work/shared/data/real_documents/cryosparc-tools/v4_project")


def test_a_v4_document_with_job_type_but_no_type_opens(tmp_path: Path) -> None:
    """Older CryoSPARC names the type ``job_type`` alone (cryosparc-tools' v4.7.1 fixture of
    an External job, ``type`` removed)."""
    doc = json.loads((REAL_V4 / "J2" / "job.json").read_text())
    del doc["type"]
    state, shape = read_job(json.dumps(doc).encode(), "J2")
    assert (shape, state.type, state.title) == ("v4", "snowflake", "Recenter Particles")
    assert [r.name for g in state.outputs for r in g.results] == ["blob", "ctf"]
    # and the folder opens with it, its missing .cs file one problem line
    folder = tmp_path / "CS-old"
    (folder / "J2").mkdir(parents=True)
    (folder / "J2" / "job.json").write_text(json.dumps(doc))
    with open_cryosparc_project(folder) as project:
        assert project.state("J2").type == "snowflake"
        assert not any("J2/job.json" in p for p in project.problems)


def test_a_document_with_type_and_job_type_reads_type(tutorial: dict[str, JobState]) -> None:
    doc = v4_document(tutorial["J13"])
    doc["job_type"] = "something_else"
    assert read_job(json.dumps(doc).encode(), "J13")[0].type == "homo_refine_new"
    del doc["type"], doc["job_type"]
    with pytest.raises(DocumentError, match="the document: no 'type' key"):
        read_job(json.dumps(doc).encode(), "J13")


@pytest.mark.parametrize("shape", ["v4", "v5"])
def test_parameters_the_catalog_does_not_know_are_kept_from_documents(
    tutorial: dict[str, JobState], shape: str, tmp_path: Path
) -> None:
    state = replace(
        tutorial["J13"].clone(), params={"refine_symmetry": "D7", "crg_do_anisomag": True}
    )
    data = json.dumps(v4_document(state)).encode() if shape == "v4" else v5_bytes(state, "P1")
    read, read_shape = read_job(data, "J13")
    assert read_shape == shape
    assert read.params == {"refine_symmetry": "D7", "crg_do_anisomag": True}
    # written again as v5, they stay
    again, _ = read_job(v5_bytes(read, "P1"), "J13")
    assert again.params == read.params
