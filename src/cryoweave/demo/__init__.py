"""Built-in demo data, so every command and notebook runs without data of one's own."""

from .particles import particles
from .tutorial import cryosparc_tutorial_project, default_demo_path, demo_project, tutorial_project

__all__ = [
    "cryosparc_tutorial_project",
    "default_demo_path",
    "demo_project",
    "particles",
    "tutorial_project",
]
