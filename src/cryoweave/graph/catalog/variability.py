"""Guide section "Variability": discrete and continuous heterogeneity of aligned particles."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import mask_in, particles_in, particles_out, volume_in, volume_out

SECTION = "Variability"

# These jobs keep poses fixed, so they need particles aligned by an upstream refinement.
_ALIGNED = particles_in(("blob", "ctf", "alignments3D"))
_POSED = ("blob", "ctf", "alignments3D")
# 3D Variability solves three modes by default; each adds one coordinate per particle
# and one component volume.
_MODES = ("components_mode_0", "components_mode_1", "components_mode_2")
_COMPONENTS = ("component_0", "component_1", "component_2")

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "var_3D",
        "3D Variability",
        SECTION,
        "Solve a few linear modes of variation around the consensus map and place each particle.",
        inputs=(
            _ALIGNED,
            # not on the guide page: whether the mask is required; the job can fall back to
            # a mask made from the consensus map.
            mask_in(),
        ),
        outputs=(
            particles_out(*_POSED, *_MODES, title="Particles with reaction coordinates"),
            volume_out("map", *_COMPONENTS, title="Mean and component volumes"),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "var_3D_disp",
        "3D Variability Display",
        SECTION,
        "Turn 3D Variability results into volume series, clusters or intermediate reconstructions.",
        inputs=(
            particles_in((*_POSED, _MODES[0]), _MODES[1:], title="Particles from 3D Variability"),
            volume_in(("map", _COMPONENTS[0]), _COMPONENTS[1:], title="Volume from 3D Variability"),
        ),
        # not on the guide page: the group names. The groups depend on the output mode;
        # the catalog lists the first cluster of cluster mode.
        outputs=(
            particles_out(*_POSED, name="particles_cluster_0", title="Particles cluster 0"),
            volume_out("map", name="volume_cluster_0", title="Volume cluster 0"),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "class_3D",
        "3D Classification",
        SECTION,
        "Classify particles into 3D classes without realigning them, optionally inside a mask.",
        inputs=(
            _ALIGNED,
            # Initial volumes are optional: the job can bootstrap them from the particles.
            volume_in(("map",), title="Initial volumes", count_min=0, count_max=None),
            mask_in(title="Focus mask"),
        ),
        # One particles and one volume group per class; the catalog lists two classes.
        outputs=(
            particles_out(*_POSED, name="particles_all_classes", title="All particles"),
            particles_out(*_POSED, name="particles_class_0", title="Particles class 0"),
            volume_out("map", name="volume_class_0", title="Volume class 0"),
            particles_out(*_POSED, name="particles_class_1", title="Particles class 1"),
            volume_out("map", name="volume_class_1", title="Volume class 1"),
        ),
        tags=("outputs-depend-on-params",),
    ),
)
