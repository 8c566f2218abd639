"""Parameters of the guide section "Extraction"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import COMPUTE, flag, gpus, integer, number

_EXTRACT = "Extraction"


def _extraction(*, small_box: bool) -> tuple[ParamSpec, ...]:
    return (
        integer(
            "box_size_pix",
            "Extraction box size (pix)",
            256,
            "Side of the square cut out around each pick, in micrograph pixels.",
            section=_EXTRACT,
            minimum=1,
        ),
        integer(
            "bin_size_pix",
            "Fourier-crop to box size (pix)",
            None,
            "Downsample each particle to this box by Fourier cropping; unset keeps the box.",
            section=_EXTRACT,
            minimum=1,
        ),
        *(
            (
                integer(
                    "bin_size_pix_small",
                    "Second, small Fourier-crop box (pix)",
                    None,
                    "Also output the particles Fourier-cropped to this smaller box.",
                    section=_EXTRACT,
                    minimum=1,
                ),
            )
            if small_box
            else ()
        ),
        flag(
            "output_f16",
            "Write 16-bit float particles",
            False,
            "Save the particle stacks at half precision to save disk space.",
            section=_EXTRACT,
        ),
        flag(
            "force_reextract_CTF",
            "Re-extract CTF from micrographs",
            False,
            "Take each particle's CTF from its micrograph again, even if it has one.",
            section=_EXTRACT,
            advanced=True,
        ),
        flag(
            "recenter_using_shifts",
            "Recenter with aligned shifts",
            True,
            "Move each box by the particle's 2D or 3D alignment shift before cutting.",
            section=_EXTRACT,
        ),
        integer(
            "num_extract",
            "Micrographs to extract from",
            None,
            "Extract from only this many micrographs; unset uses them all.",
            section=_EXTRACT,
        ),
        flag(
            "flip_x",
            "Flip micrographs in X",
            False,
            "Mirror each micrograph left to right before extracting.",
            section=_EXTRACT,
            advanced=True,
        ),
        flag(
            "flip_y",
            "Flip micrographs in Y",
            False,
            "Mirror each micrograph top to bottom before extracting.",
            section=_EXTRACT,
            advanced=True,
        ),
        number(
            "scale_const_override",
            "Scale constant (override)",
            None,
            "Multiply the particle images by this constant instead of the automatic scale.",
            section=_EXTRACT,
            advanced=True,
        ),
    )


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateExtractMicrographs, GUI
    # title to key); box_size_pix, bin_size_pix, output_f16 and compute_num_gpus also set on
    # this job type by public cryosparc-tools scripts (a TT-SVD denoising pipeline; a crYOLO
    # picking workflow that lists the keys as checked against a live job).
    "extract_micrographs_multi": (
        gpus(minimum=0),
        *_extraction(small_box=False),
    ),
    # Keys, types and defaults as CryoSPARC lists them in the print_param_spec() output of
    # cryosparc-tools' docs/guides/jobs.ipynb; box_size_pix also in custom-workflow.ipynb.
    "extract_micrographs_cpu_parallel": (
        integer(
            "compute_num_cores",
            "Number of CPU cores",
            4,
            "How many CPU cores extract in parallel.",
            section=COMPUTE,
            minimum=1,
        ),
        *_extraction(small_box=True),
    ),
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateRestackParticles).
    "restack_particles": (
        flag(
            "output_f16",
            "Write 16-bit float particles",
            False,
            "Save the new stacks at half precision to save disk space.",
            section=_EXTRACT,
        ),
        integer(
            "num_threads",
            "Threads",
            2,
            "How many threads write the new stacks.",
            section=COMPUTE,
            minimum=1,
        ),
        integer(
            "num_particles",
            "Particles to restack",
            None,
            "Restack only this many particles; unset restacks them all.",
            section=_EXTRACT,
        ),
        integer(
            "batch_size",
            "Particles per batch",
            10000,
            "How many particles are read and written at a time.",
            section=COMPUTE,
            minimum=1,
        ),
    ),
    # No key of this job type was found in public material that drives CryoSPARC.
    "downsample_particles": (),
}
