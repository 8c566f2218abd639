"""Parameters of the guide section "CTF Refinement"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import CACHE_ON_SSD, EWS_SIGNS, choice, flag, integer, number

_GLOBAL = "Global CTF refinement"
_LOCAL = "Local CTF refinement"
_RESET = "Reset before refining"


def _reset(key: str, what: str) -> ParamSpec:
    return flag(
        key,
        f"Reset {what}",
        False,
        f"Set the input {what} parameters to zero before refining them.",
        section=_RESET,
        advanced=True,
    )


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Scipion CryoSPARC plugin's global CTF refinement protocol;
    # spherical aberration and tetrafoil are off by default, as the guide's page says for
    # v4.0+ (the plugin turns them on); the EWS sign is left unset.
    "ctf_refine_global": (
        integer(
            "crg_num_iters",
            "Iterations",
            1,
            "Rounds of refinement; use 2 or more when fitting anisotropic magnification.",
            section=_GLOBAL,
            minimum=1,
        ),
        integer(
            "crg_num_plots",
            "Exposure groups to plot",
            50,
            "Plot the fit of only this many exposure groups.",
            section=_GLOBAL,
        ),
        integer(
            "crg_plot_binfactor",
            "Plot binning",
            1,
            "Binning applied to the plots to show the aberrations better; results are unchanged.",
            section=_GLOBAL,
            advanced=True,
        ),
        number(
            "crg_min_res_A",
            "Minimum fit resolution (A)",
            10.0,
            "Coarsest resolution used to fit the aberrations.",
            section=_GLOBAL,
        ),
        flag("crg_do_tilt", "Fit beam tilt", True, "Fit beam tilt.", section=_GLOBAL),
        flag("crg_do_trefoil", "Fit trefoil", True, "Fit trefoil.", section=_GLOBAL),
        flag(
            "crg_do_spherical",
            "Fit spherical aberration",
            False,
            "Fit spherical aberration, a fourth-order term.",
            section=_GLOBAL,
        ),
        flag(
            "crg_do_tetrafoil",
            "Fit tetrafoil",
            False,
            "Fit tetrafoil, a fourth-order term.",
            section=_GLOBAL,
        ),
        flag(
            "crg_do_anisomag",
            "Fit anisotropic magnification",
            False,
            "Fit anisotropic magnification per exposure group.",
            section=_GLOBAL,
        ),
        flag(
            "crg_do_ews_correct",
            "Account for Ewald sphere curvature",
            False,
            "Correct for the curvature of the Ewald sphere while fitting.",
            section=_GLOBAL,
            advanced=True,
        ),
        choice(
            "crg_ews_zsign",
            "Ewald sphere curvature sign",
            None,
            EWS_SIGNS,
            "Sign of the curvature used in Ewald sphere correction.",
            section=_GLOBAL,
            advanced=True,
        ),
        _reset("ctf_reset_tilt", "beam tilt"),
        _reset("ctf_reset_trefoil", "trefoil"),
        _reset("ctf_reset_tetra", "tetrafoil"),
        _reset("ctf_reset_anisomag", "anisotropic magnification"),
        CACHE_ON_SSD,
    ),
    # Keys and defaults in the Scipion CryoSPARC plugin's local CTF refinement protocol.
    "ctf_refine_local": (
        integer(
            "crl_N",
            "Refinement box size (voxels)",
            None,
            "Box used for refinement; unset uses the particle box.",
            section=_LOCAL,
            advanced=True,
        ),
        integer(
            "crl_num_plots",
            "Particles to plot",
            50,
            "Plot the defocus fit of only this many particles.",
            section=_LOCAL,
        ),
        number(
            "crl_min_res_A",
            "Minimum fit resolution (A)",
            20.0,
            "Coarsest resolution used to fit defocus; finer for small particles.",
            section=_LOCAL,
        ),
        number(
            "crl_max_res_A",
            "Maximum fit resolution (A)",
            None,
            "Finest resolution used to fit defocus; unset takes it from the half-map FSC.",
            section=_LOCAL,
        ),
        number(
            "crl_df_range",
            "Defocus search range (A, +/-)",
            2000.0,
            "How far above and below the current defocus to search.",
            section=_LOCAL,
        ),
        CACHE_ON_SSD,
    ),
}
