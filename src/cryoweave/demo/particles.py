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

    Values are random within realistic ranges (300 kV, 1.06 A/px, defocus 0.8 to
    2.5 um per micrograph, random poses) and typed and laid out as CryoSPARC
    writes them; ``uids`` (default: new random ones) lets several stacks describe
    the same particles.
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
    values = _realistic_values(rng, n, mic, n_mics)
    for name in array.dtype.names or ():
        column = array[name]
        if name == "uid":
            continue
        if name == "blob/path":
            column[...] = blob_paths[mic]
        elif name == "location/micrograph_path":
            column[...] = mic_paths[mic]
        elif name in values:
            column[...] = values[name]
        elif column.dtype.kind == "f":  # fit statistics: small positive numbers
            column[...] = rng.gamma(2.0, 0.5, column.shape).astype(np.float32)
        else:
            column[...] = 0
    return Dataset(array)


def _realistic_values(rng: np.random.Generator, n: int, mic: Any, n_mics: int) -> dict[str, Any]:
    """Values in the ranges a 300 kV dataset at 1.06 A/px shows; per-micrograph
    quantities (defocus, micrograph uid) shared by the particles of a micrograph."""
    defocus = rng.uniform(8_000, 25_000, n_mics).astype(np.float32)[mic]
    astigmatism = rng.uniform(0, 400, n).astype(np.float32)
    # Uniformly random rotations as axis-angle vectors, as alignments3D/pose holds them.
    axis = rng.standard_normal((n, 3))
    axis /= np.linalg.norm(axis, axis=1, keepdims=True)
    angle = rng.uniform(0, np.pi, (n, 1))
    return {
        "blob/idx": rng.integers(0, 200, n),
        "blob/shape": 256,
        "blob/psize_A": 1.06,
        "blob/sign": -1.0,
        "blob/import_sig": 7_340_132_983_455_192_115,
        "ctf/type": b"spline",
        "ctf/accel_kv": 300.0,
        "ctf/cs_mm": 2.7,
        "ctf/amp_contrast": 0.1,
        "ctf/df1_A": defocus + astigmatism / 2,
        "ctf/df2_A": defocus - astigmatism / 2,
        "ctf/df_angle_rad": rng.uniform(0, np.pi, n),
        "ctf/scale": 1.0,
        "ctf/anisomag": [1.0, 0.0, 0.0, 1.0],
        "alignments3D/split": rng.integers(0, 2, n),
        "alignments3D/shift": rng.normal(0, 2.0, (n, 2)),
        "alignments3D/pose": axis * angle,
        "alignments3D/psize_A": 1.06,
        "alignments3D/class_posterior": 1.0,
        "location/micrograph_uid": new_uids(n_mics, 99)[mic],
        "location/micrograph_shape": [5760, 4092],
        "location/center_x_frac": rng.uniform(0.02, 0.98, n),
        "location/center_y_frac": rng.uniform(0.02, 0.98, n),
        "location/min_dist_A": 100.0,
        "location/micrograph_psize_A": 1.06,
    }
