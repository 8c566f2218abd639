"""Parameters of the guide section "Motion Correction"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import RANDOM_SEED, choice, flag, gpus, integer, number

_GENERAL = "Motion correction"
_ALIGN = "Alignment"


def _knots(axis: str, meaning: str) -> ParamSpec:
    return integer(
        f"override_K_{axis}",
        f"Spline knots in {axis} (override)",
        None,
        f"Use this many spline knots along {meaning} instead of the automatic choice.",
        section=_ALIGN,
        advanced=True,
    )


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreatePatchMotionCorrection,
    # GUI title to key); the same keys, titles and defaults in a Domino piece model for
    # patch_motion_correction_multi (the output_fcrop_factor values are its enum);
    # compute_num_gpus also in cryosparc-tools' custom-workflow.ipynb.
    "patch_motion_correction_multi": (
        flag(
            "do_plots",
            "Plot motion",
            True,
            "Plot the estimated motion trajectories of the first movies.",
            section=_GENERAL,
        ),
        integer(
            "num_plots",
            "Movies to plot",
            10,
            "Plot only the first this many movies.",
            section=_GENERAL,
            minimum=0,
        ),
        integer(
            "random_num",
            "Process only this many movies",
            None,
            "Correct a random subset of this size, to try settings before the full run.",
            section=_GENERAL,
        ),
        flag(
            "memoryfix2",
            "Low-memory mode",
            False,
            "Load the next movie only after the current one is done, for GPUs short of memory.",
            section=_GENERAL,
        ),
        flag(
            "output_f16",
            "Write 16-bit float micrographs",
            False,
            "Save the corrected micrographs at half precision to save disk space.",
            section=_GENERAL,
        ),
        number(
            "res_max_align",
            "Maximum alignment resolution (A)",
            5.0,
            "Finest resolution used to align the frames; 3 to 5 A usually works.",
            section=_ALIGN,
        ),
        number(
            "bfactor",
            "Alignment B-factor",
            500.0,
            "B-factor that blurs the frames before they are aligned; 100 to 500 is usual.",
            section=_ALIGN,
        ),
        integer(
            "frame_start",
            "First frame",
            0,
            "Index, from zero, of the first frame kept; earlier frames are dropped.",
            section=_ALIGN,
            minimum=0,
        ),
        integer(
            "frame_end",
            "End frame (excluded)",
            None,
            "Index, from zero, of the first frame dropped at the end of the movie.",
            section=_ALIGN,
        ),
        choice(
            "output_fcrop_factor",
            "Output Fourier crop factor",
            "1",
            ("1", "3/4", "1/2", "1/4"),
            "Fourier-crop the output micrographs by this factor; 1 keeps the full size.",
            section=_ALIGN,
        ),
        number(
            "override_total_exp",
            "Total dose (override, e/A^2)",
            None,
            "Use this total dose instead of the one given at import.",
            section=_ALIGN,
            advanced=True,
        ),
        flag(
            "variable_dose",
            "Variable dose per frame",
            False,
            "Handle movies whose frames received different doses.",
            section=_ALIGN,
            advanced=True,
        ),
        number(
            "smooth_lambda_cal",
            "Calibrated smoothing",
            0.5,
            "Smoothing applied to the fitted trajectories.",
            section=_ALIGN,
            advanced=True,
        ),
        _knots("Z", "time"),
        _knots("Y", "the vertical axis"),
        _knots("X", "the horizontal axis"),
        gpus(),
        RANDOM_SEED,
    ),
    # No key of this job type was found in public material that drives CryoSPARC.
    "rigid_motion_correction_multi": (),
}
