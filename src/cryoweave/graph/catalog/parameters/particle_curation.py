"""Parameters of the guide section "Particle Curation"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import CACHE_ON_SSD, RANDOM_SEED, flag, gpus, integer, number

_CLASSES = "2D classification"
_MASK = "Circular mask"
_DUPLICATES = "Duplicate removal"

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys on class_2D_new in cryosparc-tools' custom-workflow.ipynb (class2D_K), in a
    # public TT-SVD denoising pipeline's create_job(params=...) (class2D_K, _max_res,
    # _sigma_init_factor, _min_res_align, _window, _num_full_iter*, _estimate_in_plane_pose,
    # compute_*, random_seed), and in a crYOLO picking workflow listing class_2D_new keys as
    # checked against a live job (also _max_res_align, _window_inner_A/_outer_A, _recenter,
    # _remove_duplicate_particles, _min_dist_A, _force_max). Defaults: class2D_K,
    # class2D_max_res, class2D_window_inner_A and compute_use_ssd from cryosparc-tools'
    # LiveClass2DParams; the rest as the Scipion CryoSPARC plugin's 2D protocol states them
    # for the same keys; duplicate removal is on by default per the guide page.
    "class_2D_new": (
        integer(
            "class2D_K",
            "Number of 2D classes",
            50,
            "How many classes to sort the particles into; 50 to 200 is typical.",
            section=_CLASSES,
            minimum=1,
        ),
        integer(
            "class2D_max_res",
            "Maximum resolution (A)",
            6,
            "Finest resolution used to align and reconstruct the classes; sets the box used.",
            section=_CLASSES,
        ),
        number(
            "class2D_sigma_init_factor",
            "Initial classification uncertainty factor",
            2.0,
            "How uncertain early class assignments stay; larger keeps more diverse good classes.",
            section=_CLASSES,
        ),
        number(
            "class2D_max_res_align",
            "Maximum alignment resolution (A)",
            None,
            "Finest resolution used to align particles; unset uses the maximum resolution.",
            section=_CLASSES,
        ),
        number(
            "class2D_min_res_align",
            "Minimum alignment resolution (A)",
            None,
            "Coarsest resolution used to align particles, a high-pass; 40 to 60 A helps micelles.",
            section=_CLASSES,
        ),
        flag(
            "class2D_window",
            "Circular mask on classes",
            True,
            "Window each class average with a soft circular mask at every iteration.",
            section=_MASK,
        ),
        number(
            "class2D_window_inner_A",
            "Circular mask diameter (A)",
            None,
            "Inner diameter of the mask; unset masks only the box corners.",
            section=_MASK,
        ),
        number(
            "class2D_window_outer_A",
            "Circular mask outer diameter (A)",
            None,
            "Outer diameter where the soft mask reaches zero; unset is 20% beyond the inner.",
            section=_MASK,
        ),
        flag(
            "class2D_recenter",
            "Re-center classes",
            True,
            "Move each class back to the box centre at every iteration.",
            section=_MASK,
        ),
        flag(
            "class2D_force_max",
            "Force max over poses and shifts",
            True,
            "Take each particle's best pose and shift instead of marginalizing over them.",
            section=_CLASSES,
        ),
        integer(
            "class2D_num_full_iter",
            "Final full iterations",
            1,
            "Passes through the whole dataset after the online iterations.",
            section=_CLASSES,
            advanced=True,
            minimum=0,
        ),
        integer(
            "class2D_num_full_iter_batch",
            "Online-EM iterations",
            20,
            "Online expectation-maximization iterations; small or low-SNR particles may need 40.",
            section=_CLASSES,
            minimum=1,
        ),
        integer(
            "class2D_num_full_iter_batchsize_per_class",
            "Batch size per class",
            100,
            "Particles per class in each online iteration; 200 can help low-SNR particles.",
            section=_CLASSES,
            minimum=1,
        ),
        flag(
            "class2D_estimate_in_plane_pose",
            "Align filament classes vertically",
            False,
            "For filaments only: turn every class average upright near the end.",
            section=_CLASSES,
            advanced=True,
        ),
        flag(
            "class2D_remove_duplicate_particles",
            "Remove duplicate particles",
            True,
            "Drop picks closer than the minimum separation at the end; turn off for filaments.",
            section=_DUPLICATES,
        ),
        number(
            "class2D_min_dist_A",
            "Minimum separation distance (A)",
            None,
            "Picks closer than this are treated as duplicates.",
            section=_DUPLICATES,
        ),
        CACHE_ON_SSD,
        gpus(),
        RANDOM_SEED,
    ),
    # Interactive job; no key of this job type was found in public material that drives
    # CryoSPARC (classes are selected through interact() while it waits).
    "select_2D": (),
    # No key of this job type was found in public material that drives CryoSPARC.
    "create_templates": (),
}
