"""Guide section "Motion Correction": from raw movies to aligned, dose-weighted micrographs."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, exposures_out

SECTION = "Motion Correction"

# not on the guide page: the slots, which are what Import Movies makes. The gain reference
# is optional because not every detector needs one.
_MOVIES = exposures_in(
    ("movie_blob", "mscope_params"), ("gain_ref_blob",), name="movies", title="Movies"
)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "patch_motion_correction_multi",
        "Patch Motion Correction",
        SECTION,
        "Fit smooth per-patch motion in each movie, then write dose-weighted micrographs.",
        inputs=(_MOVIES,),
        outputs=(
            exposures_out(
                "micrograph_blob",
                "micrograph_blob_non_dw",
                "background_blob",
                "rigid_motion",
                "spline_motion",
                name="micrographs",
                title="Motion-corrected micrographs",
                passthrough="movies",
            ),
        ),
    ),
    JobSpec(
        "rigid_motion_correction_multi",
        "Full-frame Motion Correction (multi-GPU)",
        SECTION,
        "Align whole movie frames to each other, one shift per frame, on several GPUs.",
        inputs=(_MOVIES,),
        outputs=(
            # not on the guide page: the results; full-frame alignment has no spline model.
            exposures_out(
                "micrograph_blob",
                "rigid_motion",
                name="micrographs",
                title="Motion-corrected micrographs",
                passthrough="movies",
            ),
        ),
    ),
)
