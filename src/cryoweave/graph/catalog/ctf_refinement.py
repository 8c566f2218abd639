"""Guide section "CTF Refinement": per-particle defocus and per-group aberrations."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, particles_in, particles_out, volume_in

SECTION = "CTF Refinement"

# Both jobs compare aligned particles with a reference, so poses are required.
_PARTICLES = particles_in(("blob", "ctf", "alignments3D"))
_OUT = (particles_out("blob", "ctf", "alignments3D", title="Particles with refined CTF"),)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "ctf_refine_global",
        "Global CTF Refinement",
        SECTION,
        "Fit beam tilt, trefoil, spherical aberration, tetrafoil and anisomag per exposure group.",
        inputs=(
            _PARTICLES,
            volume_in(("map",), ("mask_refine",)),
            mask_in(),
        ),
        outputs=_OUT,
    ),
    JobSpec(
        "ctf_refine_local",
        "Local CTF Refinement",
        SECTION,
        "Refine each particle's defocus against the half map of its own half set.",
        inputs=(
            _PARTICLES,
            volume_in(("map_half_A", "map_half_B"), ("map", "mask_refine")),
            mask_in(),
        ),
        outputs=_OUT,
    ),
)
