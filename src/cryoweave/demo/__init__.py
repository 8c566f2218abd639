"""Built-in demo data, so every command and notebook runs without data of one's own."""

from .particles import particles
from .tutorial import tutorial_project

__all__ = ["particles", "tutorial_project"]
