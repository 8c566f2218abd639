"""Guide section "3D Reconstruction": initial 3D models straight from particle images."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import particles_in, particles_out, volume_out

SECTION = "3D Reconstruction"

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "homo_abinit",
        "Ab-Initio Reconstruction",
        SECTION,
        "Build one or more 3D models from scratch by stochastic gradient descent; no poses needed.",
        inputs=(particles_in(("blob", "ctf")),),
        # One particles group and one volume group per class; the catalog lists class 0,
        # the only one with the default single class.
        outputs=(
            particles_out(
                "blob", "ctf", "alignments3D", name="particles_class_0", title="Particles class 0"
            ),
            volume_out("map", name="volume_class_0", title="Volume class 0"),
            particles_out(
                "blob",
                "ctf",
                "alignments3D",
                name="particles_all_classes",
                title="All particles",
            ),
        ),
        tags=("outputs-depend-on-params",),
    ),
)
