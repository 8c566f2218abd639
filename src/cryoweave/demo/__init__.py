"""Built-in demo data, so every command and notebook runs without data of one's own."""

from .particles import particles

__all__ = ["particles"]
