"""Guide section "Post-processing": local resolution, local filtering and sharpening."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, volume_in, volume_out

SECTION = "Post-processing"

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "local_resolution",
        "Local Resolution Estimation",
        SECTION,
        "Map the resolution of each voxel from the FSC of the two half maps in a moving window.",
        inputs=(
            volume_in(("map_half_A", "map_half_B"), title="Half maps"),
            mask_in(),
        ),
        outputs=(
            # The half maps pass through, so Local Filtering can take this one group.
            volume_out("map_locres", title="Local resolution", passthrough="volume"),
        ),
    ),
    JobSpec(
        "local_filter",
        "Local Filtering",
        SECTION,
        "Low-pass filter a map voxel by voxel to its local resolution, optionally sharpening it.",
        inputs=(
            volume_in(
                ("map_half_A", "map_half_B", "map_locres"),
                ("mask_refine",),
                title="Half maps and local resolution",
            ),
        ),
        outputs=(volume_out("map_filtered", title="Locally filtered map", passthrough="volume"),),
    ),
    JobSpec(
        "sharpen",
        "Sharpening Tools",
        # not on the guide page: the section; older CryoSPARC releases listed this job
        # under Utilities.
        SECTION,
        "Apply a B-factor to a map to restore high-resolution contrast.",
        # not on the guide page: the slots; the job sharpens a map, inside a mask if given.
        inputs=(volume_in(("map",)), mask_in()),
        outputs=(volume_out("map_sharp", title="Sharpened map", passthrough="volume"),),
    ),
)
