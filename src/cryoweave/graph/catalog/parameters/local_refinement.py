"""Parameters of the guide section "Local Refinement"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import CACHE_ON_SSD, choice, flag, number, symmetry

_LOCAL = "Local refinement"
_PRIOR = "Pose and shift prior"
_MASK = "Masking"
_SUBTRACT = "Particle subtraction"

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Scipion CryoSPARC plugin's local refinement protocol, which
    # creates CryoSPARC's "new_local_refine" job (the current Local Refinement).
    "new_local_refine": (
        symmetry("refine_symmetry", section=_LOCAL),
        flag(
            "use_alignment_prior",
            "Gaussian prior over poses and shifts",
            False,
            "Softly penalize poses and shifts far from the input ones.",
            section=_PRIOR,
        ),
        number(
            "sigma_prior_r",
            "Rotation prior width (deg)",
            15.0,
            "Standard deviation of the Gaussian prior over rotations.",
            section=_PRIOR,
        ),
        number(
            "sigma_prior_s",
            "Shift prior width (A)",
            7.0,
            "Standard deviation of the Gaussian prior over shifts.",
            section=_PRIOR,
        ),
        number(
            "init_r_extent",
            "Rotation search extent (deg)",
            20.0,
            "How far particles may rotate from their input poses.",
            section=_LOCAL,
        ),
        number(
            "init_s_extent",
            "Shift search extent (A)",
            10.0,
            "How far particles may shift from their input positions.",
            section=_LOCAL,
        ),
        choice(
            "fulcrum",
            "Default fulcrum",
            "mask_center",
            ("mask_center", "box_center"),
            "Rotate about the mask's centre of mass or the box centre.",
            section=_LOCAL,
        ),
        flag(
            "reinitialize_rs",
            "Re-center rotations each iteration",
            False,
            "Search around the latest poses rather than the input ones; use with the prior.",
            section=_PRIOR,
            advanced=True,
        ),
        flag(
            "reinitialize_ss",
            "Re-center shifts each iteration",
            False,
            "Search around the latest shifts rather than the input ones; use with the prior.",
            section=_PRIOR,
            advanced=True,
        ),
        number(
            "refine_res_align_max",
            "Maximum alignment resolution (A)",
            None,
            "Cap on the resolution used for alignment; unset follows the GSFSC resolution.",
            section=_LOCAL,
        ),
        number(
            "refine_res_init",
            "Initial lowpass resolution (A)",
            12.0,
            "Lowpass filter applied to the input volume at the start.",
            section=_LOCAL,
        ),
        flag(
            "refine_gs_resplit",
            "Force new half-set split",
            False,
            "Split the particles into new random half sets instead of keeping the input split.",
            section=_LOCAL,
            advanced=True,
        ),
        flag(
            "refine_do_marg",
            "Marginalization",
            True,
            "Marginalize over poses and shifts; helps small proteins.",
            section=_LOCAL,
        ),
        flag(
            "refine_nu_enable",
            "Non-uniform regularization",
            True,
            "Regularize the map with the cross-validated non-uniform filter.",
            section=_LOCAL,
        ),
        flag(
            "refine_clip",
            "Enforce non-negativity",
            False,
            "Raise negative density to zero before aligning; usually left off.",
            section=_LOCAL,
            advanced=True,
        ),
        choice(
            "refine_mask",
            "Mask type",
            "dynamic",
            ("dynamic", "static", "null"),
            "Dynamic masks follow the map; static uses the mask input; null masks nothing.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "refine_dynamic_mask_near_ang",
            "Dynamic mask near (A)",
            3.0,
            "Distance from the density within which the mask is 1.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "refine_dynamic_mask_far_ang",
            "Dynamic mask far (A)",
            12.0,
            "Distance from the density beyond which the mask is 0.",
            section=_MASK,
            advanced=True,
        ),
        number(
            "refine_dynamic_mask_start_res",
            "Dynamic mask start resolution (A)",
            12.0,
            "Map resolution at which dynamic masking begins.",
            section=_MASK,
            advanced=True,
        ),
        flag(
            "refine_dynamic_mask_use_abs",
            "Dynamic mask uses absolute value",
            False,
            "Also enclose negative density stronger than the threshold.",
            section=_MASK,
            advanced=True,
        ),
        CACHE_ON_SSD,
    ),
    # Keys and defaults in the Scipion CryoSPARC plugin's particle subtraction protocol.
    "particle_subtract": (
        number(
            "inner_radius",
            "Reference window inner radius",
            0.85,
            "Inner radius of the window applied when the input volume was made.",
            section=_SUBTRACT,
        ),
        number(
            "outer_radius",
            "Reference window outer radius",
            0.99,
            "Outer radius of the window applied when the input volume was made.",
            section=_SUBTRACT,
        ),
        flag(
            "use_premult",
            "Use premultiplier for scaling",
            True,
            "Scale the projections with a premultiplier.",
            section=_SUBTRACT,
            advanced=True,
        ),
        flag(
            "use_halfmaps",
            "Gold-standard subtraction",
            True,
            "Subtract each half map from its own half set of particles.",
            section=_SUBTRACT,
            advanced=True,
        ),
        number(
            "lpf_volume",
            "Lowpass the input volume (A)",
            None,
            "Lowpass the volume to this resolution before subtracting; unset does not.",
            section=_SUBTRACT,
            advanced=True,
        ),
        number(
            "mask_threshold",
            "Mask threshold",
            None,
            "Binarize the mask at this level before use; unset leaves the mask as it is.",
            section=_SUBTRACT,
            advanced=True,
        ),
        flag(
            "mask_fill_holes",
            "Fill holes in the mask",
            False,
            "Fill holes of the binarized mask.",
            section=_SUBTRACT,
        ),
        CACHE_ON_SSD,
    ),
}
