"""Guide section "Extraction": cut particle images out of micrographs, and re-write stacks."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, exposures_out, particles_in, particles_out

SECTION = "Extraction"

_MICROGRAPHS = exposures_in(("micrograph_blob",), ("ctf",), name="micrographs", title="Micrographs")
# Picks may carry 2D or 3D shifts: extraction can recentre on them.
_PICKS = particles_in(("location",), ("alignments2D", "alignments3D"), title="Particle locations")
_EXTRACTED = (
    exposures_out(
        "micrograph_blob", name="micrographs", title="Micrographs", passthrough="micrographs"
    ),
    # Extraction gives each particle the CTF of its micrograph at its location.
    particles_out("blob", "ctf", "location", title="Extracted particles"),
)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "extract_micrographs_multi",
        "Extract From Micrographs (GPU)",
        SECTION,
        "Cut a box around every pick, optionally Fourier-cropping it, on one or more GPUs.",
        inputs=(_MICROGRAPHS, _PICKS),
        outputs=_EXTRACTED,
    ),
    JobSpec(
        "extract_micrographs_cpu_parallel",
        "Extract From Micrographs (CPU)",
        SECTION,
        "Cut a box around every pick on CPU cores; can also write a smaller, downsampled copy.",
        inputs=(_MICROGRAPHS, _PICKS),
        outputs=(
            *_EXTRACTED,
            # not on the guide page: the group name of the guide's "Particles small" output,
            # made only when the second box size is set.
            particles_out(
                "blob", "ctf", "location", name="particles_small", title="Particles small"
            ),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "downsample_particles",
        "Downsample Particles",
        SECTION,
        "Crop, pad or Fourier-crop particle images to a smaller box, optionally recentring them.",
        inputs=(particles_in(("blob",), ("alignments2D", "alignments3D")),),
        outputs=(
            # not on the guide page: the results. Only the images are new; the alignments it
            # may read for recentring are optional, so they travel as passthrough.
            particles_out("blob", title="Downsampled particles"),
        ),
    ),
    JobSpec(
        "restack_particles",
        "Restack Particles",
        SECTION,
        "Rewrite the images in use into fewer, larger stack files, dropping unused ones.",
        inputs=(particles_in(("blob",)),),
        outputs=(particles_out("blob", title="Restacked particles"),),
    ),
)
