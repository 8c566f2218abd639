"""Factories for the groups that many job types share, so each catalog entry reads like
the guide page it comes from: ``particles_in(("blob", "ctf"), ("alignments3D",))``.

Slots and results are named; their types follow from the item type and the name
(``particle`` + ``ctf`` is ``particle.ctf``, every volume result is a ``volume.blob``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..result_types import result_type_for
from ..specs import InputSpec, OutputSpec, ResultSpec, SlotSpec

# A refinement's volume group, in the order CryoSPARC lists it (DOMAIN.md).
REFINED_VOLUME = (
    "map",
    "map_sharp",
    "map_half_A",
    "map_half_B",
    "mask_refine",
    "mask_fsc",
    "mask_fsc_auto",
    "precision",
)

# Numbered results share one type: alignments_class_0, alignments_class_1, ...
_NUMBERED = {
    ("particle", "alignments_class_"): "particle.alignments_class_3D",
    ("particle", "components_mode_"): "particle.components",
}


def result_type(item: str, name: str) -> str:
    """The type of a result or slot called ``name`` on an ``item``."""
    for (numbered_item, prefix), type_name in _NUMBERED.items():
        if item == numbered_item and name.startswith(prefix):
            return type_name
    return result_type_for(item, name)


def group_in(
    item: str,
    name: str,
    title: str,
    required: Sequence[str] = (),
    optional: Sequence[str] = (),
    *,
    count_min: int = 1,
    count_max: int | None = None,
    repeat_allowed: bool = False,
) -> InputSpec:
    """An input group of ``item``s reading the ``required`` and ``optional`` results."""
    slots = tuple(SlotSpec(n, result_type(item, n)) for n in required) + tuple(
        SlotSpec(n, result_type(item, n), required=False) for n in optional
    )
    return InputSpec(name, item, title, slots, count_min, count_max, repeat_allowed)


def particles_in(
    required: Sequence[str] = ("blob", "ctf"),
    optional: Sequence[str] = (),
    *,
    name: str = "particles",
    title: str = "Particle stacks",
    count_min: int = 1,
    count_max: int | None = None,
) -> InputSpec:
    """Particles, by default any number of stacks appended together."""
    return group_in(
        "particle", name, title, required, optional, count_min=count_min, count_max=count_max
    )


def exposures_in(
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    name: str = "exposures",
    title: str = "Exposures",
    count_min: int = 1,
    count_max: int | None = None,
) -> InputSpec:
    """Exposures (movies or micrographs), by default any number of groups."""
    return group_in(
        "exposure", name, title, required, optional, count_min=count_min, count_max=count_max
    )


def volume_in(
    required: Sequence[str] = ("map",),
    optional: Sequence[str] = (),
    *,
    name: str = "volume",
    title: str = "Volume",
    count_min: int = 1,
    count_max: int | None = 1,
    repeat_allowed: bool = False,
) -> InputSpec:
    """A volume: one item, so by default exactly one group."""
    return group_in(
        "volume",
        name,
        title,
        required,
        optional,
        count_min=count_min,
        count_max=count_max,
        repeat_allowed=repeat_allowed,
    )


def mask_in(*, name: str = "mask", title: str = "Mask", count_min: int = 0) -> InputSpec:
    """A mask group with its one ``mask`` slot; optional unless ``count_min`` is 1."""
    return group_in("mask", name, title, ("mask",), count_min=count_min, count_max=1)


def group_out(
    item: str, name: str, title: str, results: Sequence[str], passthrough: str | None = None
) -> OutputSpec:
    """An output group of ``item``s holding ``results``."""
    specs = tuple(ResultSpec(n, result_type(item, n)) for n in results)
    return OutputSpec(name, item, title, specs, passthrough)


def particles_out(
    *results: str,
    name: str = "particles",
    title: str = "Particles",
    passthrough: str | None = "particles",
) -> OutputSpec:
    """Particles, by default passing the ``particles`` input through."""
    return group_out("particle", name, title, results, passthrough)


def exposures_out(
    *results: str, name: str, title: str, passthrough: str | None = None
) -> OutputSpec:
    """Exposures (movies or micrographs) holding ``results``."""
    return group_out("exposure", name, title, results, passthrough)


def volume_out(
    *results: str,
    name: str = "volume",
    title: str = "Volume",
    passthrough: str | None = None,
) -> OutputSpec:
    """A volume group; with no ``results`` named, a refinement's full set."""
    return group_out("volume", name, title, results or REFINED_VOLUME, passthrough)


def mask_out(
    *, name: str = "mask", title: str = "Mask", passthrough: str | None = None
) -> OutputSpec:
    """A mask group with its one ``mask`` result."""
    return group_out("mask", name, title, ("mask",), passthrough)


def set_outputs(item: str, a: str, b: str) -> tuple[OutputSpec, ...]:
    """The sets tools' outputs: split batches and the remainder come from input ``a``;
    each set operation passes through the input its items are taken from."""
    # not on the guide page: the split outputs are numbered from 0, one per batch; the
    # catalog lists two batches.
    named = (
        ("split_0", "Split 0", a),
        ("split_1", "Split 1", a),
        ("remainder", "Remainder", a),
        ("intersect", "Intersection", a),
        ("A_minus_B", "A minus B", a),
        ("B_minus_A", "B minus A", b),
    )
    return tuple(group_out(item, name, title, (), source) for name, title, source in named)
