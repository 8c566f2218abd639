"""Guide section "Particle Picking": find particle locations on micrographs."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, exposures_out, group_in, particles_in, particles_out

SECTION = "Particle Picking"

# not on the guide page: the slots; pickers read the summed image, and the CTF when present
# (the template picker filters its templates with it).
_MICROGRAPHS = exposures_in(("micrograph_blob",), ("ctf",), name="micrographs", title="Micrographs")
_MICROGRAPHS_OUT = exposures_out(
    "micrograph_blob", name="micrographs", title="Micrographs", passthrough="micrographs"
)
_PICKS_OUT = particles_out("location", "pick_stats", title="Particle picks", passthrough=None)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "manual_picker",
        "Manual Picker",
        SECTION,
        "Click particles on micrographs by hand, usually to seed template or deep picking.",
        inputs=(_MICROGRAPHS,),
        outputs=(
            _MICROGRAPHS_OUT,
            # not on the guide page: the results; hand picks have no picking score.
            particles_out("location", title="Particle picks", passthrough=None),
        ),
        tags=("interactive",),
    ),
    JobSpec(
        "blob_picker_gpu",
        "Blob Picker",
        SECTION,
        "Pick round or elliptical blobs between a minimum and maximum diameter.",
        inputs=(_MICROGRAPHS,),
        outputs=(_MICROGRAPHS_OUT, _PICKS_OUT),
    ),
    JobSpec(
        "template_picker_gpu",
        "Template Picker",
        SECTION,
        "Pick by cross-correlating micrographs with 2D templates such as selected class averages.",
        inputs=(
            _MICROGRAPHS,
            group_in("template", "templates", "Templates", ("blob",)),
        ),
        outputs=(_MICROGRAPHS_OUT, _PICKS_OUT),
    ),
    JobSpec(
        "inspect_picks_v2",
        "Inspect Particle Picks",
        SECTION,
        "Threshold picks interactively on their correlation score and local power.",
        inputs=(
            _MICROGRAPHS,
            particles_in(("location", "pick_stats"), title="Particle picks"),
        ),
        outputs=(
            _MICROGRAPHS_OUT,
            particles_out("location", "pick_stats", title="Kept particle picks"),
        ),
        tags=("interactive",),
    ),
)
