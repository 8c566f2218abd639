"""Guide section "Particle Curation": 2D classification and selection to remove junk."""

from __future__ import annotations

from ..specs import JobSpec
from ._common import group_in, group_out, particles_in, particles_out, volume_in

SECTION = "Particle Curation"

_TEMPLATES = group_in(
    "template",
    "templates",
    "Class averages",
    ("blob",),
    # not on the guide page: one group, since class indices refer to one set of averages.
    count_max=1,
)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "class_2D_new",
        "2D Classification",
        SECTION,
        "Sort particles into 2D classes to spot junk and see the views present in the data.",
        inputs=(
            # Locations are read when present, to drop duplicate picks after classifying.
            particles_in(("blob", "ctf"), ("location",)),
        ),
        outputs=(
            particles_out("blob", "ctf", "alignments2D", title="Classified particles"),
            group_out("template", "class_averages", "2D class averages", ("blob",)),
        ),
    ),
    JobSpec(
        "select_2D",
        "Select 2D Classes",
        SECTION,
        "Pick the good 2D classes by eye; particles and averages split into selected and excluded.",
        inputs=(
            # not on the guide page: one group, for the same reason as the class averages.
            particles_in(("alignments2D",), count_max=1),
            _TEMPLATES,
        ),
        outputs=(
            particles_out("alignments2D", name="particles_selected", title="Selected particles"),
            particles_out("alignments2D", name="particles_excluded", title="Excluded particles"),
            group_out(
                "template", "templates_selected", "Selected templates", ("blob",), "templates"
            ),
            group_out(
                "template", "templates_excluded", "Excluded templates", ("blob",), "templates"
            ),
        ),
        tags=("interactive",),
    ),
    JobSpec(
        "create_templates",
        "Create Templates",
        # not on the guide page: the section; CryoSPARC's own job register files this job
        # with the 2D curation jobs.
        SECTION,
        "Project a 3D volume into evenly spread 2D views to use as picking templates.",
        inputs=(volume_in(("map",)),),
        outputs=(group_out("template", "templates", "Templates", ("blob",)),),
    ),
)
