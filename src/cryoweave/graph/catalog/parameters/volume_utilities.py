"""Parameters of the guide section "Utilities" (volume tools)."""

from __future__ import annotations

from ...specs import ParamSpec

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # No key of these job types was found in public material that drives CryoSPARC.
    "volume_tools": (),
    "volume_alignment_tools": (),
    "align_3D_new": (),
}
