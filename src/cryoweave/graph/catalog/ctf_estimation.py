"""Guide section "CTF Estimation": defocus and astigmatism of each micrograph."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, exposures_out, particles_in, particles_out

SECTION = "CTF Estimation"

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "patch_ctf_estimation_multi",
        "Patch CTF Estimation",
        SECTION,
        "Fit a spatially varying CTF to each micrograph, patch by patch, on the GPU.",
        inputs=(
            # not on the guide page: the slots; the fit needs the image and the optics.
            exposures_in(("micrograph_blob", "mscope_params"), title="Micrographs"),
        ),
        outputs=(
            exposures_out(
                "ctf",
                "ctf_stats",
                name="exposures",
                title="Micrographs with CTF",
                passthrough="exposures",
            ),
        ),
    ),
    JobSpec(
        "patch_ctf_extract",
        "Patch CTF Extraction",
        SECTION,
        "Give picked particles their local defocus from micrographs that went through Patch CTF.",
        inputs=(
            particles_in(("location",), title="Particle picks"),
            # not on the guide page: the slot; the defocus landscape travels with the CTF.
            exposures_in(("ctf",), title="Micrographs with patch CTF"),
        ),
        outputs=(particles_out("location", "ctf", title="Particle picks with CTF"),),
    ),
)
