"""Parameters of the guide section "Utilities" (particle and exposure tools)."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import CACHE_ON_SSD, flag, integer, number, symmetry, text

_SETS = "Set operation"
_SYMMETRY = "Symmetry expansion"
_DIAGNOSTICS = "Orientation diagnostics"

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateParticleSetsTool, GUI
    # title to key). Only "split" was seen as an operation, so it stays free text.
    "particle_sets": (
        text(
            "set_operation",
            "Action",
            "split",
            "Set operation to perform, such as split.",
            section=_SETS,
        ),
        integer(
            "set_split_num",
            "Number of batches",
            2,
            "When splitting: how many batches to split the particles into.",
            section=_SETS,
            minimum=1,
        ),
        integer(
            "set_split_size",
            "Batch size",
            None,
            "When splitting: particles per batch; the rest goes to the remainder.",
            section=_SETS,
        ),
        flag(
            "set_split_random",
            "Randomize the split",
            False,
            "When splitting: draw the batches at random.",
            section=_SETS,
        ),
        text(
            "set_intersection_field",
            "Field to intersect on",
            "uid",
            "Which field decides that two particles are the same.",
            section=_SETS,
            advanced=True,
        ),
        flag(
            "remove_leading_uid",
            "Ignore leading UID",
            False,
            "Compare paths without the UID prefix CryoSPARC adds to file names.",
            section=_SETS,
            advanced=True,
        ),
    ),
    # Keys in the Scipion CryoSPARC plugin's symmetry expansion protocol.
    "sym_expand": (
        symmetry("sym_symmetry", section=_SYMMETRY),
        number(
            "sym_twist_deg",
            "Helical twist (deg)",
            None,
            "Helical twist to expand by, as the helical refinement reported it.",
            section=_SYMMETRY,
        ),
        number(
            "sym_rise_A",
            "Helical rise (A)",
            None,
            "Helical rise to expand by, as the helical refinement reported it.",
            section=_SYMMETRY,
        ),
        integer(
            "sym_num_rises",
            "Helical symmetry order",
            None,
            "Number of helical copies to expand to.",
            section=_SYMMETRY,
        ),
        CACHE_ON_SSD,
    ),
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateOrientationDiagnostics,
    # GUI title to key); the thread count is left unset.
    "orientation_diagnostics": (
        number(
            "od_cone_angle",
            "Cone half-angle (deg)",
            20.0,
            "Half-angle of the cones over which the conical FSCs are computed.",
            section=_DIAGNOSTICS,
        ),
        integer(
            "od_num_dirs",
            "Number of directions",
            3072,
            "How many directions conical FSCs are computed along.",
            section=_DIAGNOSTICS,
        ),
        integer(
            "od_scf_radwn",
            "SCF Fourier radius",
            23,
            "Fourier radius at which the sampling compensation factor is evaluated.",
            section=_DIAGNOSTICS,
            advanced=True,
        ),
        symmetry("od_scf_sym", section=_DIAGNOSTICS),
        integer(
            "od_scf_num_part",
            "Particles for SCF",
            10000,
            "How many particles the sampling compensation factor is computed from.",
            section=_DIAGNOSTICS,
            advanced=True,
        ),
        integer(
            "od_nthds",
            "Threads",
            None,
            "How many CPU threads the job uses.",
            section=_DIAGNOSTICS,
            advanced=True,
        ),
    ),
    # No key of these job types was found in public material that drives CryoSPARC.
    "exposure_sets": (),
    "remove_duplicate_particles": (),
}
