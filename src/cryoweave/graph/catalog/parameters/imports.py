"""Parameters of the guide section "Import"."""

from __future__ import annotations

from ...specs import ParamSpec
from ._fields import choice, flag, integer, number, text

_DATA = "Data"
_MICROSCOPE = "Microscope"
_XML = "Beam shift from EPU XML"
_COMPUTE = "Compute settings"


def _microscope(psize_title: str) -> tuple[ParamSpec, ...]:
    return (
        number(
            "psize_A",
            psize_title,
            None,
            "Pixel size of the imported images in angstroms; required.",
            section=_MICROSCOPE,
        ),
        number(
            "accel_kv",
            "Accelerating voltage (kV)",
            None,
            "Microscope high tension in kilovolts; required.",
            section=_MICROSCOPE,
        ),
        number(
            "cs_mm",
            "Spherical aberration (mm)",
            None,
            "Spherical aberration of the objective lens in millimetres; required.",
            section=_MICROSCOPE,
        ),
        number(
            "total_dose_e_per_A2",
            "Total dose (e/A^2)",
            None,
            "Electron dose over the whole exposure, in electrons per square angstrom; required.",
            section=_MICROSCOPE,
        ),
        flag(
            "negative_stain_data",
            "Negative stain",
            False,
            "Mark the data as negative stain rather than cryo.",
            section=_MICROSCOPE,
        ),
        flag(
            "phase_plate_data",
            "Phase plate",
            False,
            "Mark the data as collected with a phase plate.",
            section=_MICROSCOPE,
        ),
        integer(
            "override_exp_group_id",
            "Exposure group ID (override)",
            None,
            "Put every imported exposure in this exposure group instead of a new one.",
            section=_MICROSCOPE,
            advanced=True,
        ),
        flag(
            "skip_header_check",
            "Skip header check",
            True,
            "Do not open every file to check its header while importing.",
            section=_DATA,
            advanced=True,
        ),
        flag(
            "output_constant_ctf",
            "Output a constant CTF",
            False,
            "Give every exposure a CTF result with fixed values, for data without CTF fits.",
            section=_MICROSCOPE,
            advanced=True,
        ),
    )


def _beam_shift_xml(item: str) -> tuple[ParamSpec, ...]:
    return (
        flag(
            "parse_xml_files",
            "Read beam shifts from XML files",
            False,
            "Take each exposure's beam shift from the EPU XML file that matches it.",
            section=_XML,
            advanced=True,
        ),
        text(
            "xml_paths",
            "EPU XML files",
            None,
            "Glob pattern of the EPU XML metadata files.",
            section=_XML,
            advanced=True,
        ),
        integer(
            "mov_cut_prefix_xml",
            f"Characters to drop from the {item} name start",
            None,
            f"Leading characters of the {item} file name ignored when matching XML files.",
            section=_XML,
            advanced=True,
        ),
        integer(
            "mov_cut_suffix_xml",
            f"Characters to drop from the {item} name end",
            None,
            f"Trailing characters of the {item} file name ignored when matching XML files.",
            section=_XML,
            advanced=True,
        ),
        integer(
            "xml_cut_prefix_xml",
            "Characters to drop from the XML name start",
            None,
            "Leading characters of the XML file name ignored when matching exposures.",
            section=_XML,
            advanced=True,
        ),
        integer(
            "xml_cut_suffix_xml",
            "Characters to drop from the XML name end",
            4,
            "Trailing characters of the XML file name ignored when matching exposures.",
            section=_XML,
            advanced=True,
        ),
    )


def _header_cpus() -> ParamSpec:
    return integer(
        "compute_num_cpus",
        "CPUs for the header check",
        4,
        "How many CPU processes read file headers in parallel.",
        section=_COMPUTE,
        minimum=1,
    )


PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    # Keys, types and defaults as CryoSPARC itself lists them in the print_param_spec()
    # output of cryosparc-tools' docs/examples/custom-workflow.ipynb (which also sets
    # blob_paths, gainref_path, psize_A, accel_kv, cs_mm, total_dose_e_per_A2 and
    # skip_header_check); the same keys are set in the Cryo-IEF project's MyJobAPIs.
    "import_movies": (
        text(
            "blob_paths",
            "Movie files",
            None,
            "Glob pattern of the raw movie files to link; required.",
            section=_DATA,
        ),
        text(
            "gainref_path",
            "Gain reference",
            None,
            "Path of the gain reference that multiplies every frame.",
            section=_DATA,
        ),
        text(
            "defect_path",
            "Defect file",
            None,
            "Path of a detector defect file whose pixels are masked.",
            section=_DATA,
            advanced=True,
        ),
        flag(
            "gainref_flip_x",
            "Flip gain reference in X",
            False,
            "Mirror the gain reference and defect file left to right.",
            section=_DATA,
        ),
        flag(
            "gainref_flip_y",
            "Flip gain reference in Y",
            False,
            "Mirror the gain reference and defect file top to bottom.",
            section=_DATA,
        ),
        integer(
            "gainref_rotate_num",
            "Rotate gain reference",
            0,
            "Turn the gain reference by 90 degrees this many times.",
            section=_DATA,
        ),
        *_microscope("Raw pixel size (A)"),
        integer(
            "eer_num_fractions",
            "EER fractions",
            40,
            "Number of fractions to group the frames of an EER movie into.",
            section=_DATA,
            advanced=True,
        ),
        number(
            "eer_upsamp_factor",
            "EER upsampling factor",
            2.0,
            "Upsampling applied when rendering EER movies.",
            section=_DATA,
            advanced=True,
        ),
        *_beam_shift_xml("movie"),
        _header_cpus(),
    ),
    # Keys and defaults in the Cryo-IEF project's MyJobAPIs (CreateImportMicrographs, GUI
    # title to key); blob_paths, psize_A, accel_kv, cs_mm, total_dose_e_per_A2 and
    # output_constant_ctf are also set by the Scipion CryoSPARC plugin (utils.py).
    "import_micrographs": (
        text(
            "blob_paths",
            "Micrograph files",
            None,
            "Glob pattern of the micrograph files to link; required.",
            section=_DATA,
        ),
        integer(
            "source_cut_prefix",
            "Characters to drop from the movie path start",
            None,
            "Leading characters of a connected movie's path ignored when matching.",
            section=_DATA,
            advanced=True,
        ),
        integer(
            "source_cut_suff",
            "Characters to drop from the movie path end",
            None,
            "Trailing characters of a connected movie's path ignored when matching.",
            section=_DATA,
            advanced=True,
        ),
        integer(
            "query_cut_prefix",
            "Characters to drop from the micrograph path start",
            None,
            "Leading characters of a micrograph's path ignored when matching movies.",
            section=_DATA,
            advanced=True,
        ),
        integer(
            "query_cut_suff",
            "Characters to drop from the micrograph path end",
            None,
            "Trailing characters of a micrograph's path ignored when matching movies.",
            section=_DATA,
            advanced=True,
        ),
        *_microscope("Pixel size (A)"),
        *_beam_shift_xml("micrograph"),
        _header_cpus(),
    ),
    # Keys set by the Scipion CryoSPARC plugin's doImportParticlesStar (utils.py).
    "import_particles": (
        text(
            "particle_meta_path",
            "Particle metadata file",
            None,
            "Metadata of the particles (a .star file, say); required.",
            section=_DATA,
        ),
        text(
            "particle_blob_path",
            "Particle data path",
            None,
            "Where the particle stacks the metadata names are found; required.",
            section=_DATA,
        ),
        number(
            "psize_A",
            "Pixel size (A)",
            None,
            "Pixel size of the particle images, overriding the metadata.",
            section=_MICROSCOPE,
        ),
    ),
    # volume_blob_path is set in cryosparc-tools' connect_series_to_class3D.ipynb; all three
    # keys are set by the Scipion CryoSPARC plugin's doImportVolumes (utils.py), whose
    # calls pass the volume types listed as choices.
    "import_volumes": (
        text(
            "volume_blob_path",
            "Volume files",
            None,
            "Path or glob pattern of the .mrc files; each file becomes one output.",
            section=_DATA,
        ),
        choice(
            "volume_out_name",
            "Type of volume",
            None,
            ("map", "map_half_A", "map_half_B", "mask"),
            "What the files are: a map, a half map or a mask; it decides the output group.",
            section=_DATA,
        ),
        number(
            "volume_psize",
            "Pixel size (A)",
            None,
            "Pixel size of the volumes, overriding the file header.",
            section=_DATA,
        ),
    ),
}
