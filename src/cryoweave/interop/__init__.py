"""Other programs' formats: CryoSPARC project folders and RELION STAR files."""

from .cryosparc_project import open_cryosparc_project
from .relion import export_star, pose_to_relion_euler, write_relion_star

__all__ = ["export_star", "open_cryosparc_project", "pose_to_relion_euler", "write_relion_star"]
