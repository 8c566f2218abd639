"""Guide section "Local Refinement": refine a masked region, and subtract the rest."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, mask_out, particles_in, particles_out, volume_in, volume_out

SECTION = "Local Refinement"

# Local searches start from the poses and half-set split of an earlier refinement.
_ALIGNED = particles_in(("blob", "ctf", "alignments3D"))
_REGION_MASK = mask_in(title="Mask", count_min=1)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        # not on the guide page: the key. The guide's Local Refinement is CryoSPARC's
        # new_local_refine (the Scipion plugin and public cryosparc-tools scripts create it
        # by that key); local_refine is the older "Local Refinement (Legacy)".
        "new_local_refine",
        "Local Refinement",
        SECTION,
        "Refine poses near their current values to sharpen a masked part of the structure.",
        inputs=(
            _ALIGNED,
            # The half maps seed each half set's reference independently when given.
            volume_in(("map",), ("map_half_A", "map_half_B")),
            _REGION_MASK,
        ),
        outputs=(
            volume_out(title="Refined volume"),
            particles_out("blob", "ctf", "alignments3D", title="Refined particles"),
            mask_out(),
        ),
    ),
    JobSpec(
        "particle_subtract",
        "Particle Subtraction",
        SECTION,
        "Subtract projections of the masked part of a volume from each aligned particle image.",
        inputs=(
            _ALIGNED,
            # The guide asks for the map or both half maps, so each alone is optional.
            volume_in((), ("map", "map_half_A", "map_half_B")),
            _REGION_MASK,
        ),
        outputs=(particles_out("blob", title="Subtracted particles"),),
    ),
)
