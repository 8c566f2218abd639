"""Guide section "Utilities", volume tools: masks, resampling and alignment of maps.
Split from ``utilities`` only to keep each module short."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, mask_out, particles_in, particles_out, volume_in, volume_out

SECTION = "Utilities"

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "volume_tools",
        "Volume Tools",
        SECTION,
        "Crop, pad, resample, threshold, dilate or soften a volume, writing a map or a mask.",
        # not on the guide page: the groups. The job takes a volume or a mask and writes
        # one of the two, as its output type parameter says.
        inputs=(
            volume_in(("map",), count_min=0),
            mask_in(),
        ),
        outputs=(
            volume_out("map", title="Volume"),
            mask_out(title="Mask"),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "volume_alignment_tools",
        "Volume Alignment Tools",
        SECTION,
        "Move a volume's center or symmetry axis and carry its particles' poses along with it.",
        # not on the guide page: the groups' names and slots.
        inputs=(
            volume_in(("map",)),
            particles_in(("alignments3D",), count_min=0),
        ),
        outputs=(
            volume_out("map", title="Aligned volume", passthrough="volume"),
            particles_out("alignments3D", title="Particles with moved poses"),
        ),
    ),
    JobSpec(
        "align_3D_new",
        "Align 3D Maps",
        SECTION,
        "Align any number of maps, and optionally their particles, to a reference map.",
        # not on the guide page: the groups' names; the guide calls them Reference Map,
        # Reference Mask, Maps to align and particles.
        inputs=(
            volume_in(("map",), name="reference", title="Reference map"),
            mask_in(name="reference_mask", title="Reference mask"),
            volume_in(("map",), name="volumes", title="Maps to align", count_max=None),
            particles_in(("alignments3D",), count_min=0),
        ),
        # One volume group per map to align; the catalog lists the first.
        outputs=(
            volume_out("map", name="volume_0", title="Aligned map 0", passthrough="volumes"),
            particles_out("alignments3D", title="Aligned particles"),
        ),
        tags=("outputs-depend-on-params",),
    ),
)
