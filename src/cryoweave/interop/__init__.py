"""Other programs' formats: RELION STAR files."""

from .relion import pose_to_relion_euler, write_relion_star

__all__ = ["pose_to_relion_euler", "write_relion_star"]
