"""Particles as a RELION 3.1+ STAR file (an optics table and a particles table).

Conventions, stated once:

- Images: ``rlnImageName`` is ``index@path`` with RELION's 1-based index
  (``blob/idx`` + 1, six digits) and ``blob/path`` with CryoSPARC's ``>`` prefix
  resolved against the project folder when one is given (stripped otherwise).
- CTF: ``rlnDefocusU``/``V`` are ``ctf/df1_A``/``df2_A`` (Angstrom);
  ``rlnDefocusAngle`` and ``rlnPhaseShift`` are the radians converted to degrees.
- Pose: ``alignments3D/pose`` is an axis-angle vector (direction = axis, length =
  angle in radians) of a rotation matrix R (Rodrigues' formula). RELION's
  (rot, tilt, psi) are the intrinsic Z-Y-Z Euler angles of that same R,
  R = Rz(rot) Ry(tilt) Rz(psi); RELION's own matrix (``Euler_angles2matrix``) is
  its transpose, which is how csparc2star-style converters relate the two.
  In gimbal lock (tilt 0 or 180) psi is set to 0, as scipy does.
- Shifts: ``alignments3D/shift`` (pixels) times ``alignments3D/psize_A`` (or
  ``blob/psize_A``) gives ``rlnOriginXAngst``/``YAngst``, with the same sign.
- Optics groups: one per distinct (``ctf/exp_group_id``, voltage, Cs, amplitude
  contrast, pixel size, box size).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..data import Dataset, DatasetError, resolve_exported_paths
from ..data.atomic import atomic_write
from ..graph import Job

Array = np.ndarray[Any, np.dtype[Any]]
_EPS = 1e-6
# STAR's reserved words: a value starting with one is quoted.
_RESERVED = ("data_", "loop_", "save_", "global_", "stop_")
_CONTROL = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}


def pose_to_relion_euler(pose: Array) -> Array:
    """(n, 3) axis-angle vectors -> (n, 3) RELION (rot, tilt, psi) in degrees."""
    pose = np.asarray(pose, dtype=np.float64).reshape(-1, 3)
    matrices = _rodrigues(pose)
    return np.degrees(_zyz_euler(matrices))


def _rodrigues(rotvec: Array) -> Array:
    angle = np.linalg.norm(rotvec, axis=1)
    axis = np.divide(rotvec, angle[:, None], out=np.zeros_like(rotvec), where=angle[:, None] > 0)
    x, y, z = axis.T
    zero = np.zeros_like(x)
    k = np.stack(
        [np.stack([zero, -z, y], 1), np.stack([z, zero, -x], 1), np.stack([-y, x, zero], 1)], 1
    )
    sin, cos = np.sin(angle)[:, None, None], np.cos(angle)[:, None, None]
    matrices: Array = np.eye(3) + sin * k + (1 - cos) * (k @ k)
    return matrices


def _zyz_euler(r: Array) -> Array:
    """Intrinsic Z-Y-Z angles (radians) of rotation matrices R = Rz(a) Ry(b) Rz(c)."""
    b = np.arccos(np.clip(r[:, 2, 2], -1.0, 1.0))
    a = np.arctan2(r[:, 1, 2], r[:, 0, 2])
    c = np.arctan2(r[:, 2, 1], -r[:, 2, 0])
    flat = np.abs(np.sin(b)) < _EPS  # gimbal lock: only a +/- c is defined; c = 0
    up = flat & (r[:, 2, 2] > 0)
    down = flat & (r[:, 2, 2] < 0)
    a[up] = np.arctan2(r[up, 1, 0], r[up, 0, 0])
    a[down] = np.arctan2(-r[down, 0, 1], -r[down, 0, 0])
    c[flat] = 0.0
    return np.stack([a, b, c], axis=1)


def write_relion_star(
    particles: Dataset,
    path: str | os.PathLike[str],
    project_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write particles (``blob`` and ``ctf`` required; ``alignments3D`` and ``location``
    used when present) as a RELION 3.1+ STAR file with optics and particles tables.

    The file is written beside ``path`` and renamed into place, so a failure leaves any
    previous file whole. Text with spaces, ``#`` or quotes is written quoted (a ``"``
    inside doubled), as STAR readers such as ``starfile`` read it back.

    Raises
    ------
    DatasetError
        When a result is missing, or a path holds a line break, a tab or another control
        character, which no STAR file can hold (the row and the field are named).
    CsFormatError
        When a path is not UTF-8 text.
    """
    missing = [r for r in ("blob", "ctf") if r not in particles.prefixes()]
    if missing:
        raise DatasetError(
            f"a RELION particle file needs results {missing} (has {particles.prefixes()})"
        )
    optics, group_of = _optics(particles)
    table: dict[str, Any] = {
        "rlnImageName": _image_names(particles, project_dir),
        "rlnDefocusU": particles["ctf/df1_A"].astype(np.float64),
        "rlnDefocusV": particles["ctf/df2_A"].astype(np.float64),
        "rlnDefocusAngle": np.degrees(particles["ctf/df_angle_rad"].astype(np.float64)),
        "rlnPhaseShift": np.degrees(particles["ctf/phase_shift_rad"].astype(np.float64)),
        "rlnOpticsGroup": group_of,
    }
    if "location" in particles.prefixes():
        shape = particles["location/micrograph_shape"]  # (ny, nx)
        table["rlnMicrographName"] = _paths(particles, "location/micrograph_path", project_dir)
        table["rlnCoordinateX"] = particles["location/center_x_frac"] * shape[:, 1]
        table["rlnCoordinateY"] = particles["location/center_y_frac"] * shape[:, 0]
    if "alignments3D" in particles.prefixes():
        euler = pose_to_relion_euler(particles["alignments3D/pose"])
        table["rlnAngleRot"], table["rlnAngleTilt"], table["rlnAnglePsi"] = euler.T
        psize = particles["alignments3D/psize_A"].astype(np.float64)
        psize = np.where(psize > 0, psize, particles["blob/psize_A"])
        shift = particles["alignments3D/shift"].astype(np.float64)
        table["rlnOriginXAngst"] = shift[:, 0] * psize
        table["rlnOriginYAngst"] = shift[:, 1] * psize
        table["rlnClassNumber"] = particles["alignments3D/class"].astype(np.int64) + 1
        table["rlnRandomSubset"] = particles["alignments3D/split"].astype(np.int64) + 1
    text = "".join(
        [
            "# written by cryoweave\n\n",
            _loop("optics", optics),
            _loop("particles", table),
        ]
    )
    target = Path(path)
    atomic_write(os.fspath(target), lambda f: f.write(text.encode("utf-8")))
    return target


def _loop(name: str, columns: dict[str, Any]) -> str:
    """One STAR data block holding a loop: ``data_<name>``, the labels, a row per line."""
    import pandas as pd  # only when writing STAR files

    frame = pd.DataFrame(
        {key: _quoted(v) if _is_text(v) else v for key, v in columns.items()}, copy=False
    )
    labels = "".join(f"_{key} #{i}\n" for i, key in enumerate(columns, 1))
    rows = frame.to_csv(
        sep="\t", header=False, index=False, float_format="%.6f", quoting=csv.QUOTE_NONE
    )
    return f"data_{name}\n\nloop_\n{labels}{rows}\n\n"


def _is_text(values: Any) -> bool:
    return isinstance(values, np.ndarray) and values.dtype.kind == "U"


def _quoted(text: Array) -> Array:
    """STAR values: those a reader would split, take for a comment, a quote or a keyword
    are put in double quotes, a ``"`` inside doubled; the rest as they are."""
    distinct, inverse = np.unique(text, return_inverse=True)
    written = np.array(
        [f'"{v.replace(chr(34), chr(34) * 2)}"' if _needs_quotes(v) else v for v in distinct],
        dtype=str,
    )
    quoted: Array = written[inverse.reshape(-1)]
    return quoted


def _needs_quotes(value: str) -> bool:
    return (
        not value
        or value[0] in "_$;[]"
        or any(c in value for c in " #\"'")
        or value.lower().startswith(_RESERVED)
    )


def _optics(particles: Dataset) -> tuple[dict[str, Any], Array]:
    keys = np.stack(
        [
            particles["ctf/exp_group_id"].astype(np.float64),
            particles["ctf/accel_kv"].astype(np.float64),
            particles["ctf/cs_mm"].astype(np.float64),
            particles["ctf/amp_contrast"].astype(np.float64),
            particles["blob/psize_A"].astype(np.float64),
            particles["blob/shape"][:, 0].astype(np.float64),
        ],
        axis=1,
    )
    distinct, group = np.unique(keys, axis=0, return_inverse=True)
    count = len(distinct)
    optics = {
        "rlnOpticsGroupName": np.array([f"opticsGroup{i + 1}" for i in range(count)], dtype=str),
        "rlnOpticsGroup": np.arange(1, count + 1),
        "rlnVoltage": distinct[:, 1],
        "rlnSphericalAberration": distinct[:, 2],
        "rlnAmplitudeContrast": distinct[:, 3],
        "rlnImagePixelSize": distinct[:, 4],
        "rlnImageSize": distinct[:, 5].astype(np.int64),
        "rlnImageDimensionality": np.full(count, 2),
    }
    return optics, group.reshape(-1) + 1


def _paths(particles: Dataset, field: str, project_dir: str | os.PathLike[str] | None) -> Array:
    """The decoded paths of ``field``, checked for what a STAR file cannot hold."""
    text = particles.strings(field)
    distinct, first = np.unique(text, return_index=True)
    for value, row in zip(distinct, first, strict=True):
        bad = next((c for c in str(value) if ord(c) < 32 or ord(c) == 127), None)
        if bad is not None:
            uid = int(particles["uid"][row])
            raise DatasetError(
                f"row {row} (uid {uid}): field {field!r} holds {_CONTROL.get(bad, repr(bad))}, "
                f"which a STAR file cannot hold: {str(value)!r}"
            )
    if project_dir is not None:
        return resolve_exported_paths(text, project_dir)
    return np.strings.lstrip(text, ">")


def _image_names(particles: Dataset, project_dir: str | os.PathLike[str] | None) -> Array:
    index = np.strings.zfill((particles["blob/idx"].astype(np.int64) + 1).astype(str), 6)
    return np.strings.add(np.strings.add(index, "@"), _paths(particles, "blob/path", project_dir))


def export_star(job: Job, input_name: str, path: str | os.PathLike[str]) -> Path:
    """Write a job's resolved particle input as a RELION 3.1+ STAR file; paths that
    CryoSPARC writes relative to the project (``>J12/...``) are made absolute.

    Examples
    --------
    >>> export_star(project.job("J13"), "particles", "particles.star")   # doctest: +SKIP
    """
    return write_relion_star(job.resolve_input(input_name), path, job.project.data_root)
