"""Guide section "Exposure Curation": keep the exposures worth processing."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, exposures_out, particles_in, particles_out

SECTION = "Exposure Curation"

# not on the guide page: the slots. Every slot is optional because the job takes movies or
# micrographs, with or without CTF; it filters by whatever statistics are connected.
_EXPOSURE_SLOTS = ("micrograph_blob", "movie_blob", "ctf", "ctf_stats", "rigid_motion")

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "curate_exposures_v2",
        "Manually Curate Exposures",
        SECTION,
        "Accept or reject exposures by hand or by thresholds on CTF fit, motion and pick counts.",
        inputs=(
            exposures_in((), _EXPOSURE_SLOTS),
            # not on the guide page: the slot; particles are counted per micrograph.
            particles_in(("location",), count_min=0),
        ),
        outputs=(
            exposures_out(
                name="exposures_accepted", title="Accepted exposures", passthrough="exposures"
            ),
            exposures_out(
                name="exposures_rejected", title="Rejected exposures", passthrough="exposures"
            ),
            # not on the guide page: the particle outputs follow their micrographs.
            particles_out("location", name="particles_accepted", title="Accepted particles"),
            particles_out("location", name="particles_rejected", title="Rejected particles"),
        ),
        tags=("interactive",),
    ),
)
