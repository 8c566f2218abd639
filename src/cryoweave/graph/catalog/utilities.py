"""Guide section "Utilities", particle and exposure tools: sets, duplicates, symmetry, and
orientation diagnostics. The volume tools of the same section are in ``volume_utilities``."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_in, group_in, particles_in, particles_out, set_outputs, volume_in

SECTION = "Utilities"


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "particle_sets",
        "Particle Sets Tool",
        SECTION,
        "Split particles into batches, or intersect and subtract two particle groups.",
        # not on the guide page: the counts and the slot; intersecting by path reads the
        # blob, by uid reads nothing.
        inputs=(
            particles_in((), ("blob",), name="particles_A", title="Particles A"),
            particles_in((), ("blob",), name="particles_B", title="Particles B", count_min=0),
        ),
        outputs=(
            *set_outputs("particle", "particles_A", "particles_B"),
            # The guide lists B's copy of the intersection too.
            particles_out(
                name="intersect_B", title="Intersection, from B", passthrough="particles_B"
            ),
        ),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "exposure_sets",
        "Exposure Sets Tool",
        SECTION,
        "Split exposures into batches, or intersect and subtract two exposure groups.",
        # not on the guide page: the counts and the slots, as for the particle sets tool.
        inputs=(
            exposures_in(
                (), ("micrograph_blob", "movie_blob"), name="exposures_A", title="Exposures A"
            ),
            exposures_in(
                (),
                ("micrograph_blob", "movie_blob"),
                name="exposures_B",
                title="Exposures B",
                count_min=0,
            ),
        ),
        outputs=set_outputs("exposure", "exposures_A", "exposures_B"),
        tags=("outputs-depend-on-params",),
    ),
    JobSpec(
        "remove_duplicate_particles",
        "Remove Duplicate Particles",
        SECTION,
        "Drop picks closer than a minimum distance, keeping the better-scored one of each pair.",
        inputs=(
            particles_in(("location",), ("blob", "pick_stats", "alignments2D", "alignments3D")),
            group_in(
                "exposure",
                "micrographs",
                "Micrographs",
                optional=("micrograph_blob",),
                count_min=0,
                # not on the guide page: the count; the micrographs only supply pixel size
                # and example plots.
                count_max=1,
            ),
        ),
        outputs=(
            particles_out("location", name="particles_kept", title="Kept particles"),
            particles_out("location", name="particles_rejected", title="Rejected duplicates"),
        ),
    ),
    JobSpec(
        "sym_expand",
        "Symmetry Expansion",
        SECTION,
        "Copy each aligned particle once per symmetry-related pose, for local refinement or 3DVA.",
        inputs=(particles_in(("alignments3D",)),),
        outputs=(particles_out("alignments3D", "sym_expansion", title="Expanded particles"),),
    ),
    JobSpec(
        "orientation_diagnostics",
        "Orientation Diagnostics",
        SECTION,
        "Measure preferred orientation (cFAR from half maps; SCF* when particles are given).",
        inputs=(
            # not on the guide page: the slots; the conical FSCs compare the two half maps.
            volume_in(("map_half_A", "map_half_B"), ("mask_fsc",), title="Volume"),
            particles_in(("alignments3D",), count_min=0),
        ),
        # The job reports plots and numbers; it outputs no group.
    ),
)
