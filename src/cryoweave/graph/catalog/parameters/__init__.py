"""CryoSPARC's own parameter keys for the job types of the catalog, as data.

``PARAMETERS`` maps a catalog job-type key (``class_2D_new``) to its
:class:`~cryoweave.graph.specs.ParamSpec` tuple, one module per guide section as in the
catalog. Every key was found in public material that drives CryoSPARC: cryosparc-tools'
docs and examples (``print_param_spec()`` output, ``create_job(params=...)``, the Live
session models), the Scipion CryoSPARC plugin's protocols, and public cryosparc-tools
scripts; a comment above each job type says where. A job type whose keys could not be
confirmed maps to an empty tuple rather than to guessed keys.

Defaults come from the guide or from the source that states them; a parameter whose
default is not confirmed (or CryoSPARC leaves unset) has default None and is optional.
Titles and help lines are written for cryoweave and only paraphrase the sources.
"""

from __future__ import annotations

from ...specs import ParamSpec
from . import (
    ctf_estimation,
    ctf_refinement,
    exposure_curation,
    extraction,
    imports,
    local_refinement,
    motion_correction,
    particle_curation,
    particle_picking,
    postprocessing,
    reconstruction_3d,
    refinement_3d,
    utilities,
    variability,
    volume_utilities,
)

__all__ = ["OUTPUT_COUNT_KEYS", "PARAMETERS"]

_SECTIONS: tuple[dict[str, tuple[ParamSpec, ...]], ...] = (
    imports.PARAMETERS,
    motion_correction.PARAMETERS,
    ctf_estimation.PARAMETERS,
    exposure_curation.PARAMETERS,
    particle_picking.PARAMETERS,
    extraction.PARAMETERS,
    particle_curation.PARAMETERS,
    reconstruction_3d.PARAMETERS,
    refinement_3d.PARAMETERS,
    ctf_refinement.PARAMETERS,
    variability.PARAMETERS,
    local_refinement.PARAMETERS,
    postprocessing.PARAMETERS,
    utilities.PARAMETERS,
    volume_utilities.PARAMETERS,
)


def _merge(
    sections: tuple[dict[str, tuple[ParamSpec, ...]], ...],
) -> dict[str, tuple[ParamSpec, ...]]:
    merged: dict[str, tuple[ParamSpec, ...]] = {}
    for section in sections:
        for job_type, params in section.items():
            if job_type in merged:
                raise ValueError(f"parameters of {job_type!r} are defined twice")
            merged[job_type] = params
    return merged


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = _merge(_SECTIONS)

# The parameters that set how many output groups a job has (see catalog/outputs.py):
# job type -> key. hetero_refine has none: it makes one class per connected volume.
OUTPUT_COUNT_KEYS: dict[str, str] = {
    "homo_abinit": "abinit_K",  # particles_class_k and volume_class_k, k < abinit_K
    "class_3D": "class3D_N_K",  # one particles and one volume group per class
    "var_3D_disp": "var_num_frames",  # clusters in cluster mode (with var_output_mode)
    "particle_sets": "set_split_num",  # split_0.. when set_operation is "split"
}
