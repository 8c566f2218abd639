"""Guide section "Import": jobs that bring data from disk into a project."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import exposures_out, group_in, mask_out, particles_out, volume_out

SECTION = "Import"

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "import_movies",
        "Import Movies",
        SECTION,
        "Link raw movie files with their microscope parameters and optional gain reference.",
        outputs=(
            exposures_out(
                "movie_blob",
                "mscope_params",
                "gain_ref_blob",
                name="imported_movies",
                title="Imported movies",
            ),
        ),
    ),
    JobSpec(
        "import_micrographs",
        "Import Micrographs",
        SECTION,
        "Link already motion-corrected micrographs with their microscope parameters.",
        outputs=(
            exposures_out(
                "micrograph_blob",
                "mscope_params",
                name="imported_micrographs",
                title="Imported micrographs",
            ),
        ),
    ),
    JobSpec(
        "import_particles",
        "Import Particle Stack",
        SECTION,
        "Link an extracted particle stack and its metadata file (e.g. a RELION .star).",
        inputs=(
            # not on the guide page: the group's name and slot; the guide calls it
            # "Source Exposures (optional)" and matches particles to them by file name.
            group_in(
                "exposure",
                "micrographs",
                "Source exposures",
                optional=("micrograph_blob",),
                count_min=0,
                count_max=1,
            ),
        ),
        outputs=(
            # not on the guide page: which results; poses appear only when the
            # metadata holds them.
            particles_out(
                "blob",
                "ctf",
                "location",
                "alignments2D",
                "alignments3D",
                name="imported_particles",
                title="Imported particles",
                passthrough=None,
            ),
        ),
    ),
    JobSpec(
        "import_volumes",
        "Import 3D Volumes",
        SECTION,
        "Link a map or a mask from an .mrc file; the volume type parameter picks the output.",
        # not on the guide page: the group names, as CryoSPARC v3.3+ names them; one of
        # the two is filled, depending on the type of volume imported.
        outputs=(
            volume_out("map", name="imported_volume_1", title="Imported volume"),
            mask_out(name="imported_mask_1", title="Imported mask"),
        ),
        tags=("outputs-depend-on-params",),
    ),
)
