"""Parameters of the guide section "Particle Picking"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import flag, integer, number

_BLOB = "Blob"
_PICKING = "Picking"


def _diameter(key: str, title: str, help: str) -> ParamSpec:
    return number(key, title, None, help, section=_BLOB, minimum=0.0)


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateBlobPicker, GUI title to
    # key); diameter, diameter_max, use_* , min_distance, num_process and max_num_hits also
    # in the Scipion CryoSPARC plugin's blob picker protocol; diameter and diameter_max in
    # cryosparc-tools' custom-workflow.ipynb.
    "blob_picker_gpu": (
        _diameter(
            "diameter",
            "Minimum particle diameter (A)",
            "Smallest blob searched for, in angstroms; required.",
        ),
        _diameter(
            "diameter_max",
            "Maximum particle diameter (A)",
            "Largest blob searched for, in angstroms; required.",
        ),
        flag(
            "use_circle",
            "Circular blobs",
            True,
            "Search with circular blobs, for roughly globular particles.",
            section=_BLOB,
        ),
        flag(
            "use_ellipse",
            "Elliptical blobs",
            False,
            "Search with elliptical blobs, for elongated particles.",
            section=_BLOB,
        ),
        flag(
            "use_ring",
            "Ring blobs",
            False,
            "Search with ring-shaped blobs, for hollow particles.",
            section=_BLOB,
        ),
        number(
            "lowpass_res_template",
            "Template lowpass (A)",
            20.0,
            "Lowpass filter applied to the blob templates.",
            section=_PICKING,
            advanced=True,
        ),
        number(
            "lowpass_res",
            "Micrograph lowpass (A)",
            20.0,
            "Lowpass filter applied to the micrographs before matching.",
            section=_PICKING,
            advanced=True,
        ),
        number(
            "angular_spacing_deg",
            "Angular sampling (deg)",
            5.0,
            "Rotation step between template orientations; smaller is finer.",
            section=_PICKING,
            advanced=True,
        ),
        number(
            "min_distance",
            "Minimum separation (diameters)",
            1.0,
            "Closest two picks may be, in units of the minimum diameter.",
            section=_PICKING,
            minimum=0.0,
        ),
        integer(
            "num_process",
            "Micrographs to pick",
            None,
            "Pick only this many micrographs; unset picks them all.",
            section=_PICKING,
        ),
        integer(
            "num_plot",
            "Micrographs to plot",
            10,
            "Plot the picks of only the first this many micrographs.",
            section=_PICKING,
            minimum=0,
        ),
        integer(
            "max_num_hits",
            "Peaks considered per micrograph",
            4000,
            "Largest number of local maxima examined on each micrograph.",
            section=_PICKING,
            advanced=True,
        ),
        flag(
            "recenter_templates",
            "Recenter templates",
            True,
            "Centre the templates before they are matched.",
            section=_PICKING,
            advanced=True,
        ),
    ),
    # diameter is set on template_picker_gpu in cryosparc-tools' custom-workflow.ipynb; the
    # Live model in cryosparc-tools (models/session_params.py) leaves its template diameter
    # unset by default.
    "template_picker_gpu": (
        _diameter(
            "diameter",
            "Particle diameter (A)",
            "Diameter of the particle the templates show, in angstroms; required.",
        ),
    ),
    # Interactive jobs; no key of these job types was found in public material that drives
    # CryoSPARC (inspect_picks_v2's thresholds are set through interact() while it waits).
    "manual_picker": (),
    "inspect_picks_v2": (),
}
