"""The job-type catalog: well-formed specs, the issue's keys, and groups that connect."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from types import ModuleType

import pytest

from cryoweave.graph import catalog
from cryoweave.graph.catalog import CATALOG, _common, job_spec
from cryoweave.graph.result_types import RESULT_TYPES
from cryoweave.graph.specs import InputSpec, JobSpec, OutputSpec, ResultSpec, SlotSpec

ISSUE_KEYS = (
    "import_particles",
    "import_volumes",
    "extract_micrographs_multi",
    "downsample_particles",
    "restack_particles",
    "class_2D_new",
    "select_2D",
    "homo_abinit",
    "homo_refine_new",
    "nonuniform_refine_new",
    "hetero_refine",
    "homo_reconstruct",
    "local_resolution",
    "new_local_refine",
    "particle_sets",
    "remove_duplicate_particles",
    "sym_expand",
    "volume_tools",
)
ALSO_EXPECTED = (
    "import_movies",
    "patch_motion_correction_multi",
    "patch_ctf_estimation_multi",
    "curate_exposures_v2",
    "blob_picker_gpu",
    "template_picker_gpu",
    "inspect_picks_v2",
    "sharpen",
    "local_filter",
    "ctf_refine_global",
    "ctf_refine_local",
    "var_3D",
    "var_3D_disp",
    "class_3D",
    "orientation_diagnostics",
    "exposure_sets",
    "create_templates",
    "align_3D_new",
    "volume_alignment_tools",
)
REFINEMENTS = ("homo_refine_new", "nonuniform_refine_new", "new_local_refine", "homo_reconstruct")
REFINED_VOLUME = {
    "map": "volume.blob",
    "map_sharp": "volume.blob",
    "map_half_A": "volume.blob",
    "map_half_B": "volume.blob",
    "mask_refine": "volume.blob",
    "mask_fsc": "volume.blob",
    "mask_fsc_auto": "volume.blob",
    "precision": "volume.blob",
}


def _duplicates(names: list[str]) -> set[str]:
    return {n for n in names if names.count(n) > 1}


def problems(spec: JobSpec) -> list[str]:
    """Everything wrong with one spec; empty when it is well formed."""
    found: list[str] = []
    for field, text in (("title", spec.title), ("section", spec.section)):
        if not text.strip():
            found.append(f"no {field}")
    description = spec.description
    if not description.strip() or "\n" in description or len(description) > 120:
        found.append(f"description is not one line under 120 characters: {description!r}")
    found += [f"input {n!r} twice" for n in _duplicates([i.name for i in spec.inputs])]
    found += [f"output {n!r} twice" for n in _duplicates([o.name for o in spec.outputs])]
    for group in spec.inputs:
        found += [
            f"slot {group.name}.{n} twice" for n in _duplicates([s.name for s in group.slots])
        ]
        if group.count_min < 0:
            found.append(f"input {group.name!r} has count_min {group.count_min}")
        if group.count_max is not None and group.count_min > group.count_max:
            found.append(f"input {group.name!r} has count_min above count_max")
        found += _type_problems(f"slot {group.name}", group.type, group.slots)
    inputs = {i.name: i for i in spec.inputs}
    for out in spec.outputs:
        found += [
            f"result {out.name}.{n} twice" for n in _duplicates([r.name for r in out.results])
        ]
        found += _type_problems(f"result {out.name}", out.type, out.results)
        if out.passthrough is not None:
            source = inputs.get(out.passthrough)
            if source is None:
                found.append(f"output {out.name!r} passes through no input {out.passthrough!r}")
            elif source.type != out.type:
                found.append(f"output {out.name!r} passes through {source.type} items")
    return found


def _type_problems(
    what: str, item_type: str, members: tuple[SlotSpec, ...] | tuple[ResultSpec, ...]
) -> list[str]:
    found = []
    for member in members:
        if member.type not in RESULT_TYPES:
            found.append(f"{what}.{member.name}: unknown result type {member.type!r}")
        elif RESULT_TYPES[member.type].item_type != item_type:
            found.append(f"{what}.{member.name}: {member.type} in a group of {item_type}")
    return found


def _section_modules() -> list[ModuleType]:
    # Every module of the catalog package is one guide section, but for the parameters and
    # the outputs that follow them.
    names = [
        m.name
        for m in pkgutil.iter_modules(catalog.__path__)
        if not m.name.startswith("_") and m.name not in ("parameters", "outputs")
    ]
    return [importlib.import_module(f"cryoweave.graph.catalog.{name}") for name in names]


def _slots(group: InputSpec) -> dict[str, tuple[str, bool]]:
    return {s.name: (s.type, s.required) for s in group.slots}


def _results(group: OutputSpec) -> dict[str, str]:
    return {r.name: r.type for r in group.results}


# --- the catalog as a whole -----------------------------------------------------------


def test_catalog_is_large_enough_and_keyed_by_type() -> None:
    assert len(CATALOG) >= 35
    assert all(key == spec.type for key, spec in CATALOG.items())


def test_every_section_module_is_indexed_once() -> None:
    modules = _section_modules()
    specs = [spec for module in modules for spec in module.JOBS]
    assert len(modules) >= 12
    assert sorted(s.type for s in specs) == sorted(CATALOG)
    for module in modules:
        # One module per guide section: its jobs share the module's section.
        sections = {spec.section for spec in module.JOBS}
        assert sections == {module.SECTION}, module


def test_a_key_defined_twice_is_refused() -> None:
    spec = CATALOG["sym_expand"]
    with pytest.raises(ValueError, match="sym_expand"):
        catalog._index(((spec,), (spec,)))


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_spec_is_well_formed(key: str) -> None:
    assert problems(CATALOG[key]) == []


def test_the_checks_catch_broken_specs() -> None:
    good = CATALOG["homo_refine_new"]
    particles, volume = good.input("particles"), good.input("volume")
    bad_slot = replace(particles, slots=(*particles.slots, SlotSpec("map", "volume.blob")))
    bad_count = replace(volume, count_min=2, count_max=1)
    bad = replace(
        good,
        description="two\nlines",
        inputs=(bad_slot, bad_count, bad_count),
        outputs=(
            OutputSpec("volume", "volume", "V", (ResultSpec("map", "volume.nope"),)),
            OutputSpec("particles", "particle", "P", (), passthrough="volume"),
            OutputSpec("extra", "particle", "E", (), passthrough="missing"),
        ),
    )
    found = "\n".join(problems(bad))
    for expected in (
        "description",
        "input 'volume' twice",
        "slot particles.map: volume.blob in a group of particle",
        "count_min above count_max",
        "unknown result type 'volume.nope'",
        "passes through volume items",
        "passes through no input 'missing'",
    ):
        assert expected in found


@pytest.mark.parametrize("key", ISSUE_KEYS + ALSO_EXPECTED)
def test_named_job_types_are_present(key: str) -> None:
    assert job_spec(key).type == key


def test_unknown_key_names_close_matches() -> None:
    with pytest.raises(KeyError, match="homo_refine_new"):
        job_spec("homo_refine")
    with pytest.raises(KeyError, match="unknown job type 'no_such_job'") as raised:
        job_spec("no_such_job")
    assert "did you mean" not in str(raised.value)


# --- the issue's hard requirements ----------------------------------------------------


def test_local_resolution_reads_two_half_maps_and_an_optional_mask() -> None:
    spec = job_spec("local_resolution")
    volume = spec.input("volume")
    assert volume.type == "volume"
    assert _slots(volume) == {
        "map_half_A": ("volume.blob", True),
        "map_half_B": ("volume.blob", True),
    }
    mask = spec.input("mask")
    assert (mask.type, mask.count_min, mask.count_max) == ("mask", 0, 1)
    assert _slots(mask) == {"mask": ("mask.blob", True)}


def test_homogeneous_refinement_inputs() -> None:
    spec = job_spec("homo_refine_new")
    particles, volume = spec.input("particles"), spec.input("volume")
    assert particles.type == "particle" and volume.type == "volume"
    assert _slots(particles) == {
        "blob": ("particle.blob", True),
        "ctf": ("particle.ctf", True),
        "alignments3D": ("particle.alignments3D", False),
    }
    assert _slots(volume) == {"map": ("volume.blob", True)}
    assert (volume.count_min, volume.count_max) == (1, 1)


@pytest.mark.parametrize("key", REFINEMENTS)
def test_refinements_output_a_volume_and_their_particles(key: str) -> None:
    spec = job_spec(key)
    volume = spec.output("volume")
    assert volume.type == "volume" and volume.passthrough is None
    assert _results(volume) == REFINED_VOLUME
    particles = spec.output("particles")
    assert particles.type == "particle" and particles.passthrough == "particles"
    assert _results(particles)["alignments3D"] == "particle.alignments3D"


# --- groups connect by result name ----------------------------------------------------


def _carried(spec: JobSpec, output: OutputSpec) -> dict[str, str]:
    """The results an output holds once its job has run: its own, and the results its
    passthrough input read (the input's other results ride along too, unknown here)."""
    carried = {}
    if output.passthrough is not None:
        carried = {s.name: s.type for s in spec.input(output.passthrough).slots}
    return carried | _results(output)


def _fills(source: str, output: str, target: str, input_name: str) -> list[str]:
    """The required slots of the target input that a group connection leaves empty."""
    out, group = job_spec(source).output(output), job_spec(target).input(input_name)
    results = _carried(job_spec(source), out)
    return [s.name for s in group.slots if s.required and results.get(s.name) != s.type] + (
        [f"item type {out.type}"] if out.type != group.type else []
    )


@pytest.mark.parametrize(
    ("source", "output", "target", "input_name"),
    [
        ("import_movies", "imported_movies", "patch_motion_correction_multi", "movies"),
        ("patch_motion_correction_multi", "micrographs", "patch_ctf_estimation_multi", "exposures"),
        ("patch_ctf_estimation_multi", "exposures", "curate_exposures_v2", "exposures"),
        ("curate_exposures_v2", "exposures_accepted", "blob_picker_gpu", "micrographs"),
        ("blob_picker_gpu", "particles", "extract_micrographs_multi", "particles"),
        ("extract_micrographs_multi", "particles", "class_2D_new", "particles"),
        ("class_2D_new", "class_averages", "select_2D", "templates"),
        ("select_2D", "templates_selected", "template_picker_gpu", "templates"),
        ("homo_abinit", "volume_class_0", "homo_refine_new", "volume"),
        ("homo_refine_new", "particles", "new_local_refine", "particles"),
        ("homo_refine_new", "volume", "local_resolution", "volume"),
        ("nonuniform_refine_new", "volume", "ctf_refine_local", "volume"),
        ("new_local_refine", "volume", "local_resolution", "volume"),
        ("volume_tools", "mask", "local_resolution", "mask"),
        ("import_volumes", "imported_mask_1", "new_local_refine", "mask"),
        ("homo_refine_new", "particles", "sym_expand", "particles"),
        ("var_3D", "particles", "var_3D_disp", "particles"),
        ("var_3D", "volume", "var_3D_disp", "volume"),
    ],
)
def test_a_group_connection_fills_the_required_slots(
    source: str, output: str, target: str, input_name: str
) -> None:
    assert _fills(source, output, target, input_name) == []


def test_local_filter_reads_local_resolution_with_its_half_maps_passed_through() -> None:
    assert job_spec("local_resolution").output("volume").passthrough == "volume"
    assert _fills("local_resolution", "volume", "local_filter", "volume") == []


def test_every_required_slot_can_be_fed_from_the_catalog() -> None:
    made = {
        (out.type, r.name, r.type)
        for spec in CATALOG.values()
        for out in spec.outputs
        for r in out.results
    }
    unfed = [
        f"{spec.type}.{group.name}.{slot.name}"
        for spec in CATALOG.values()
        for group in spec.inputs
        for slot in group.slots
        if slot.required and (group.type, slot.name, slot.type) not in made
    ]
    assert unfed == []


def test_factories_derive_types_from_the_name() -> None:
    assert _common.result_type("particle", "ctf") == "particle.ctf"
    assert _common.result_type("volume", "map_half_A") == "volume.blob"
    assert _common.result_type("mask", "mask") == "mask.blob"
    assert _common.result_type("particle", "components_mode_2") == "particle.components"
    assert _common.result_type("particle", "alignments_class_1") == "particle.alignments_class_3D"
    assert _common.mask_in(count_min=1).count_min == 1
