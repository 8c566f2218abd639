"""Other programs' formats: CryoSPARC project folders, RELION STAR files, SVG figures."""

from .cryosparc_project import open_cryosparc_project
from .figure import export_svg
from .relion import export_star, pose_to_relion_euler, write_relion_star

__all__ = [
    "export_star",
    "export_svg",
    "open_cryosparc_project",
    "pose_to_relion_euler",
    "write_relion_star",
]
