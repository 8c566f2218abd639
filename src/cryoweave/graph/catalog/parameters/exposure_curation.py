"""Parameters of the guide section "Exposure Curation"."""

from __future__ import annotations

from ...specs import ParamSpec

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # An interactive job: thresholds are set while it waits, not as build parameters. No
    # key of this job type was found in public material that drives CryoSPARC.
    "curate_exposures_v2": (),
}
