"""The result types items carry, with the fields and dtypes CryoSPARC writes for each.

A result named ``R`` of type ``T`` stores its fields in a dataset as ``R/<field>``
(``blob/path``, ``map_half_A/path``), with the dtypes listed for ``T``. Field
lists follow real CryoSPARC files (DOMAIN.md); ``"S"`` is a string field.
"""

from __future__ import annotations

from dataclasses import dataclass

Fields = tuple[tuple[str, str] | tuple[str, str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class ResultType:
    """``particle.ctf``: the item type, the kind, and the fields a result of it has."""

    name: str
    fields: Fields
    title: str = ""

    @property
    def item_type(self) -> str:
        return self.name.split(".", 1)[0]

    def field_names(self, result: str) -> list[str]:
        """Dataset field names of a result of this type named ``result``."""
        return [f"{result}/{f[0]}" for f in self.fields]


def _f4(*names: str) -> Fields:
    return tuple((name, "<f4") for name in names)


_BLOB = (
    ("path", "S"),
    ("idx", "<u4"),
    ("shape", "<u4", (2,)),
    ("psize_A", "<f4"),
    ("sign", "<f4"),
    ("import_sig", "<u8"),
)
_CTF = (
    ("type", "S"),
    ("exp_group_id", "<u4"),
    *_f4("accel_kv", "cs_mm", "amp_contrast", "df1_A", "df2_A", "df_angle_rad"),
    *_f4("phase_shift_rad", "scale", "scale_const"),
    ("shift_A", "<f4", (2,)),
    ("tilt_A", "<f4", (2,)),
    ("trefoil_A", "<f4", (2,)),
    ("tetra_A", "<f4", (4,)),
    ("anisomag", "<f4", (4,)),
    ("bfactor", "<f4"),
)
_ALIGNMENT_STATS = _f4(
    "psize_A", "error", "error_min", "resid_pow", "slice_pow", "image_pow", "cross_cor",
    "alpha", "alpha_min", "weight", "pose_ess", "shift_ess", "class_posterior",
)  # fmt: skip
_ALIGNMENTS3D = (
    ("split", "<u4"),
    ("shift", "<f4", (2,)),
    ("pose", "<f4", (3,)),
    *_ALIGNMENT_STATS,
    ("class", "<u4"),
    ("class_ess", "<f4"),
)
_ALIGNMENTS2D = (
    ("split", "<u4"),
    ("shift", "<f4", (2,)),
    ("pose", "<f4"),
    *_ALIGNMENT_STATS,
    ("class", "<u4"),
    ("class_ess", "<f4"),
)
_VOLUME_BLOB = (("path", "S"), ("shape", "<u4", (3,)), ("psize_A", "<f4"))

_TYPES = [
    ResultType("particle.blob", _BLOB, "Particle images"),
    ResultType("particle.ctf", _CTF, "Per-particle CTF"),
    ResultType("particle.alignments2D", _ALIGNMENTS2D, "2D alignments"),
    ResultType("particle.alignments3D", _ALIGNMENTS3D, "3D alignments"),
    ResultType("particle.alignments_class_3D", _ALIGNMENTS3D, "3D class alignments"),
    ResultType(
        "particle.location",
        (
            ("micrograph_uid", "<u8"),
            ("exp_group_id", "<u4"),
            ("micrograph_path", "S"),
            ("micrograph_shape", "<u4", (2,)),
            *_f4("center_x_frac", "center_y_frac", "min_dist_A", "micrograph_psize_A"),
        ),
        "Location on the micrograph",
    ),
    ResultType(
        "particle.pick_stats",
        (*_f4("ncc_score", "power"), ("template_idx", "<u4"), ("angle_rad", "<f4")),
        "Picking statistics",
    ),
    ResultType("particle.sym_expansion", (("idx", "<u4"), ("src_uid", "<u8")), "Symmetry copy"),
    # 3D Variability writes one per mode: components_mode_0/component, components_mode_0/value.
    ResultType(
        "particle.components", (("component", "<u4"), ("value", "<f4")), "Variability coordinate"
    ),
    ResultType(
        "exposure.movie_blob",
        (
            ("path", "S"),
            ("shape", "<u4", (3,)),
            ("psize_A", "<f4"),
            ("is_gain_corrected", "<u4"),
            ("format", "S"),
            ("has_defect_file", "<u4"),
            ("import_sig", "<u8"),
        ),
        "Movie",
    ),
    ResultType(
        "exposure.micrograph_blob",
        _MICROGRAPH := (
            ("path", "S"),
            ("idx", "<u4"),
            ("shape", "<u4", (2,)),
            ("psize_A", "<f4"),
            ("format", "S"),
            ("is_background_subtracted", "<u4"),
            *_f4("vmin", "vmax"),
            ("import_sig", "<u8"),
        ),
        "Micrograph",
    ),
    ResultType("exposure.micrograph_blob_non_dw", _MICROGRAPH, "Micrograph, not dose-weighted"),
    ResultType(
        "exposure.mscope_params",
        (
            *_f4("accel_kv", "cs_mm", "total_dose_e_per_A2"),
            ("phase_plate", "<u4"),
            ("neg_stain", "<u4"),
            ("exp_group_id", "<u4"),
            ("defect_path", "S"),
        ),
        "Microscope parameters",
    ),
    ResultType("exposure.ctf", _CTF, "Micrograph CTF"),
    ResultType("exposure.background_blob", _VOLUME_BLOB[:1] + _BLOB[1:4], "Background"),
    ResultType("exposure.rigid_motion", (("type", "S"), ("path", "S")), "Rigid motion"),
    ResultType("exposure.spline_motion", (("type", "S"), ("path", "S")), "Local motion"),
    ResultType("exposure.ctf_stats", _f4("cross_corr_ctffind4", "ice_thickness_rel"), "CTF fit"),
    ResultType("exposure.gain_ref_blob", (("path", "S"), ("shape", "<u4", (2,))), "Gain reference"),
    ResultType("volume.blob", _VOLUME_BLOB, "Volume"),
    ResultType("mask.blob", _VOLUME_BLOB, "Mask"),
    ResultType("template.blob", _BLOB[:5], "Templates"),
]

RESULT_TYPES: dict[str, ResultType] = {t.name: t for t in _TYPES}


def result_type(name: str) -> ResultType:
    """The registered result type called ``name``."""
    try:
        return RESULT_TYPES[name]
    except KeyError:
        raise KeyError(
            f"unknown result type {name!r}; known: {', '.join(sorted(RESULT_TYPES))}"
        ) from None


def result_type_for(item_type: str, result: str) -> str:
    """The type of a result named ``result`` on an item: ``particle`` + ``ctf`` is
    ``particle.ctf``; every result of a volume or mask (``map``, ``map_half_A``, ...)
    is a ``volume.blob`` or ``mask.blob``."""
    name = f"{item_type}.{result}"
    if name in RESULT_TYPES:
        return name
    if item_type in ("volume", "mask"):
        return f"{item_type}.blob"
    return name
