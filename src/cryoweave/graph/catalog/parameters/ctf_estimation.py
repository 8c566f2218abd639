"""Parameters of the guide section "CTF Estimation"."""

from __future__ import annotations

import math

from ...specs import ParamSpec
from ._fields import flag, gpus, integer, number

_GENERAL = "CTF estimation"
_SEARCH = "Search"

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreatePatchCtfEstimation,
    # GUI title to key) and in the Scipion CryoSPARC plugin's patch CTF estimation
    # protocol; compute_num_gpus also in cryosparc-tools' custom-workflow.ipynb.
    "patch_ctf_estimation_multi": (
        integer(
            "num_plots",
            "Micrographs to plot",
            10,
            "Plot the fit of only the first this many micrographs.",
            section=_GENERAL,
            minimum=0,
        ),
        integer(
            "random_num",
            "Process only this many micrographs",
            None,
            "Estimate a random subset of this size, to try settings before the full run.",
            section=_GENERAL,
        ),
        flag(
            "classic_mode",
            "Classic mode",
            False,
            "Use the patch CTF algorithm of cryoSPARC 2.15 and earlier.",
            section=_GENERAL,
            advanced=True,
        ),
        number(
            "amp_contrast",
            "Amplitude contrast",
            0.1,
            "Fraction of amplitude contrast; about 0.07 to 0.1 for cryo-EM.",
            section=_SEARCH,
            minimum=0.0,
            maximum=1.0,
        ),
        number(
            "res_min_align",
            "Minimum resolution (A)",
            25.0,
            "Coarsest resolution of the power spectrum that the fit uses.",
            section=_SEARCH,
        ),
        number(
            "res_max_align",
            "Maximum resolution (A)",
            4.0,
            "Finest resolution of the power spectrum that the fit uses.",
            section=_SEARCH,
        ),
        number(
            "df_search_min",
            "Minimum defocus searched (A)",
            1000.0,
            "Lower end of the defocus grid search.",
            section=_SEARCH,
        ),
        number(
            "df_search_max",
            "Maximum defocus searched (A)",
            40000.0,
            "Upper end of the defocus grid search.",
            section=_SEARCH,
        ),
        number(
            "phase_shift_min",
            "Minimum phase shift searched (rad)",
            0.0,
            "Lower end of the phase-shift grid search, for phase plate data.",
            section=_SEARCH,
            advanced=True,
        ),
        number(
            "phase_shift_max",
            "Maximum phase shift searched (rad)",
            math.pi,
            "Upper end of the phase-shift grid search, for phase plate data.",
            section=_SEARCH,
            advanced=True,
        ),
        flag(
            "do_phase_shift_refine_only",
            "Refine phase shift only",
            False,
            "Refine the phase shift without a grid search over it.",
            section=_SEARCH,
            advanced=True,
        ),
        integer(
            "override_K_Y",
            "Spline knots in Y (override)",
            None,
            "Fit the defocus landscape with this many knots down, not the automatic number.",
            section=_SEARCH,
            advanced=True,
        ),
        integer(
            "override_K_X",
            "Spline knots in X (override)",
            None,
            "Fit the defocus landscape with this many knots across, not the automatic number.",
            section=_SEARCH,
            advanced=True,
        ),
        gpus(),
    ),
    # No key of this job type was found in public material that drives CryoSPARC.
    "patch_ctf_extract": (),
}
