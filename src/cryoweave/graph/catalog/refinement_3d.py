"""Guide section "3D Refinement": gold-standard refinements and reconstruction."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, particles_in, particles_out, volume_in, volume_out

SECTION = "3D Refinement"

# Global refinements search poses from scratch, so input poses are optional.
_PARTICLES = particles_in(("blob", "ctf"), ("alignments3D",))
_INITIAL_VOLUME = volume_in(("map",), title="Initial volume")
# A given mask replaces the dynamic one during alignment.
_STATIC_MASK = mask_in(title="Static mask")
_REFINED = (
    volume_out(title="Refined volume"),
    # Poses are new and, with on-the-fly CTF refinement, so is the CTF.
    particles_out("blob", "ctf", "alignments3D", title="Refined particles"),
)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "homo_refine_new",
        "Homogeneous Refinement",
        SECTION,
        "Refine one structure against an initial volume with gold-standard half sets.",
        inputs=(_PARTICLES, _INITIAL_VOLUME, _STATIC_MASK),
        outputs=_REFINED,
    ),
    JobSpec(
        "nonuniform_refine_new",
        "Non-uniform Refinement",
        SECTION,
        "Homogeneous refinement with spatially adaptive regularisation; often better maps.",
        inputs=(_PARTICLES, _INITIAL_VOLUME, _STATIC_MASK),
        outputs=_REFINED,
    ),
    JobSpec(
        "hetero_refine",
        "Heterogeneous Refinement",
        SECTION,
        "Classify particles among several starting volumes while refining each class.",
        inputs=(
            particles_in(("blob", "ctf")),
            # not on the guide page: the counts; one group per class, and the same volume
            # may seed several classes.
            volume_in(("map",), title="Initial volumes", count_max=None, repeat_allowed=True),
        ),
        # One particles and one volume group per class; the catalog lists two classes.
        outputs=(
            particles_out(
                "blob",
                "ctf",
                "alignments3D",
                "alignments_class_0",
                "alignments_class_1",
                name="particles_all_classes",
                title="All particles",
            ),
            particles_out(
                "blob", "ctf", "alignments3D", name="particles_class_0", title="Particles class 0"
            ),
            volume_out(
                "map", "map_half_A", "map_half_B", name="volume_class_0", title="Volume class 0"
            ),
            particles_out(
                "blob", "ctf", "alignments3D", name="particles_class_1", title="Particles class 1"
            ),
            volume_out(
                "map", "map_half_A", "map_half_B", name="volume_class_1", title="Volume class 1"
            ),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "homo_reconstruct",
        "Homogeneous Reconstruction Only",
        # not on the guide page: the section; its heterogeneous analogue is filed here.
        SECTION,
        "Backproject half maps from the particles' existing poses, without aligning them.",
        inputs=(
            particles_in(("blob", "ctf", "alignments3D")),
            mask_in(title="Mask for FSC"),
        ),
        outputs=(
            volume_out(title="Reconstructed volume"),
            particles_out("blob", "ctf", "alignments3D", title="Particles"),
        ),
    ),
)
