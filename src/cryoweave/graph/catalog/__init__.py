"""The job-type catalog: what each CryoSPARC job type takes and makes, as data.

One module per section of the CryoSPARC guide's "All Job Types" list, each with a
tuple ``JOBS``; ``CATALOG`` maps CryoSPARC's job-type key (``homo_refine_new``) to
its :class:`~cryoweave.graph.specs.JobSpec`, in the guide's order.

Where a guide page is silent (a group's name, a count, the key itself), the entry
says so in a ``# not on the guide page`` comment. Job types whose output groups
depend on parameters (one group per class, per batch, ...) list a representative
set and carry the tag ``outputs-depend-on-params``; ``outputs.declared_outputs`` derives
the groups from the parameters where the rule is known (ab-initio's classes).

Parameters (``parameters.PARAMETERS``) are CryoSPARC's, by its own keys, each confirmed
in public material that drives CryoSPARC.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from ..specs import JobSpec
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
from .outputs import declared_outputs
from .parameters import PARAMETERS

__all__ = ["CATALOG", "declared_outputs", "job_spec"]

# The guide's order, so a front end can list sections as the guide does.
_SECTIONS: tuple[tuple[JobSpec, ...], ...] = (
    imports.JOBS,
    motion_correction.JOBS,
    ctf_estimation.JOBS,
    exposure_curation.JOBS,
    particle_picking.JOBS,
    extraction.JOBS,
    particle_curation.JOBS,
    reconstruction_3d.JOBS,
    refinement_3d.JOBS,
    ctf_refinement.JOBS,
    variability.JOBS,
    local_refinement.JOBS,
    postprocessing.JOBS,
    utilities.JOBS,
    volume_utilities.JOBS,
)


def _index(sections: tuple[tuple[JobSpec, ...], ...]) -> dict[str, JobSpec]:
    catalog: dict[str, JobSpec] = {}
    for jobs in sections:
        for spec in jobs:
            # A key defined twice would silently shadow one of the two specs.
            if spec.type in catalog:
                raise ValueError(f"job type {spec.type!r} is defined twice in the catalog")
            catalog[spec.type] = replace(spec, params=PARAMETERS.get(spec.type, ()))
    return catalog


CATALOG: dict[str, JobSpec] = _index(_SECTIONS)


def job_spec(type_key: str) -> JobSpec:
    """The spec of CryoSPARC job type ``type_key``; a ``KeyError`` names close matches."""
    try:
        return CATALOG[type_key]
    except KeyError:
        close = difflib.get_close_matches(type_key, list(CATALOG), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown job type {type_key!r}{hint}") from None
