"""Parameters of the guide section "Post-processing"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import flag, integer, number

_SHARPEN = "Sharpening"
_MASK = "FSC mask"

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # No key of these job types was found in public material that drives CryoSPARC; the
    # guide's common parameters (Annealing Factor; B-factor and maximum resolution for
    # sharpening) are listed as unconfirmed.
    "local_resolution": (),
    "local_filter": (),
    # Keys and defaults in the Scipion CryoSPARC plugin's sharpening protocol.
    "sharpen": (
        number(
            "sharp_bfactor",
            "B-factor",
            0.0,
            "B-factor applied to the map; negative values sharpen.",
            section=_SHARPEN,
        ),
        flag(
            "sharp_use_FSC_full",
            "Use the full-map FSC",
            False,
            "Filter with the full FSC instead of the half-map FSC.",
            section=_SHARPEN,
        ),
        integer(
            "sharp_falloff_order",
            "Lowpass filter order",
            8,
            "Order of the lowpass filter; higher falls off faster.",
            section=_SHARPEN,
            advanced=True,
        ),
        integer(
            "sharp_falloff_offset",
            "Lowpass filter offset",
            0,
            "Shift of the filter corner from the FSC resolution shell.",
            section=_SHARPEN,
            advanced=True,
        ),
        flag(
            "sharp_generate_new_mask",
            "Generate a new FSC mask",
            True,
            "Make a new mask instead of reusing the refinement's FSC mask.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "sharp_mask_thresh",
            "Mask threshold",
            0.5,
            "Density level used to make the new mask.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "sharp_mask_near_A",
            "Mask near (A)",
            6.0,
            "Dilation distance within which the new mask is 1.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "sharp_mask_far_A",
            "Mask far (A)",
            12.0,
            "Dilation distance beyond which the new mask is 0.",
            section=_MASK,
            advanced=True,
        ),
        flag(
            "sharp_do_spherical_mask",
            "Spherical mask on the output",
            True,
            "Mask the box corners of the final map, where sharpening leaves noise.",
            section=_SHARPEN,
        ),
        flag(
            "sharp_do_expand_mask",
            "Wide mask on the output",
            False,
            "Also apply a wide mask to the final map to make it compress better.",
            section=_SHARPEN,
        ),
    ),
}
