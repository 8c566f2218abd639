"""Synthetic particle stacks shaped like CryoSPARC's, for demos and benchmarks.

Fields and dtypes follow real extracted, refined particles (DOMAIN.md): blob,
ctf, alignments3D and location, 49 fields plus ``uid``, with string paths that
repeat once per micrograph as in real data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..data import Dataset, new_uids

BLOB = [
    ("blob/path", "S"),
    ("blob/idx", "<u4"),
    ("blob/shape", "<u4", (2,)),
    ("blob/psize_A", "<f4"),
    ("blob/sign", "<f4"),
    ("blob/import_sig", "<u8"),
]
CTF = [
    ("ctf/type", "S"),
    ("ctf/exp_group_id", "<u4"),
    *[
        (f"ctf/{n}", "<f4")
        for n in [
            "accel_kv",
            "cs_mm",
            "amp_contrast",
            "df1_A",
            "df2_A",
            "df_angle_rad",
            "phase_shift_rad",
            "scale",
            "scale_const",
        ]
    ],
    ("ctf/shift_A", "<f4", (2,)),
    ("ctf/tilt_A", "<f4", (2,)),
    ("ctf/trefoil_A", "<f4", (2,)),
    ("ctf/tetra_A", "<f4", (4,)),
    ("ctf/anisomag", "<f4", (4,)),
    ("ctf/bfactor", "<f4"),
]
ALIGNMENTS3D = [
    ("alignments3D/split", "<u4"),
    ("alignments3D/shift", "<f4", (2,)),
    ("alignments3D/pose", "<f4", (3,)),
    *[
        (f"alignments3D/{n}", "<f4")
        for n in [
            "psize_A",
            "error",
            "error_min",
            "resid_pow",
            "slice_pow",
            "image_pow",
            "cross_cor",
            "alpha",
            "alpha_min",
            "weight",
            "pose_ess",
            "shift_ess",
            "class_posterior",
        ]
    ],
    ("alignments3D/class", "<u4"),
    ("alignments3D/class_ess", "<f4"),
]
LOCATION = [
    ("location/micrograph_uid", "<u8"),
    ("location/exp_group_id", "<u4"),
    ("location/micrograph_path", "S"),
    ("location/micrograph_shape", "<u4", (2,)),
    ("location/center_x_frac", "<f4"),
    ("location/center_y_frac", "<f4"),
    ("location/min_dist_A", "<f4"),
    ("location/micrograph_psize_A", "<f4"),
]
RESULTS = {"blob": BLOB, "ctf": CTF, "alignments3D": ALIGNMENTS3D, "location": LOCATION}


def particles(
    n: int,
    results: Sequence[str] = ("blob", "ctf", "alignments3D", "location"),
    *,
    seed: int = 0,
    uids: Any = None,
) -> Dataset:
    """``n`` particles with the given results, about 200 per micrograph.

    Values are random but typed and laid out as CryoSPARC writes them; ``uids``
    (default: new random ones) lets several stacks describe the same particles.
    """
    rng = np.random.default_rng(seed)
    n_mics = max(n // 200, 1)
    mic = np.sort(rng.integers(0, n_mics, n))
    names = np.array(
        [
            f"FoilHole_{31000000 + i}_Data_{28000000 + i * 7}_{i % 97}_20231012_"
            f"{100000 + i:06d}_fractions_patch_aligned_doseweighted"
            for i in range(n_mics)
        ],
        dtype="S",
    )
    blob_paths = np.char.add(np.char.add(b"J12/extract/", names), b"_particles.mrc")
    mic_paths = np.char.add(np.char.add(b"J9/motioncorrected/", names), b".mrc")
    descr: list[tuple[Any, ...]] = [("uid", "<u8")]
    for result in results:
        for field in RESULTS[result]:
            name, code = field[0], field[1]
            if code == "S":
                width = {"blob/path": blob_paths, "location/micrograph_path": mic_paths}
                code = width[name].dtype.str if name in width else "S7"
            descr.append((name, code, *field[2:]))
    array = np.zeros(n, np.dtype(descr))
    array["uid"] = new_uids(n, seed) if uids is None else uids
    for name in array.dtype.names or ():
        if name == "uid":
            continue
        column = array[name]
        if name == "blob/path":
            column[...] = blob_paths[mic]
        elif name == "location/micrograph_path":
            column[...] = mic_paths[mic]
        elif name == "ctf/type":
            column[...] = b"spline"
        elif column.dtype.kind == "f":
            column[...] = rng.standard_normal(column.shape, dtype=np.float32)
        else:
            column[...] = rng.integers(0, 1000, column.shape, dtype=column.dtype)
    return Dataset(array)
