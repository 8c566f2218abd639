"""Reading the JobBuilder's requests: typed fields, and refusals that say what was wrong.

A request comes from the browser as plain JSON; nothing in it is trusted. Each field is
read through :class:`Fields`, which refuses a missing or wrongly typed field by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..graph.errors import shown
from ..graph.model import Version


class Refused(Exception):
    """A request answered with ``{"ok": false, "error": <this message>}``; nothing changed."""


class Fields:
    """The fields of one request (or of its ``command`` or ``source``), read by type.

    Parameters
    ----------
    content : object
        The decoded JSON; anything but an object is refused.
    what : str
        How refusals name it: ``"request 'rows'"``, ``"command 'connect'"``.
    """

    def __init__(self, content: object, what: str) -> None:
        if not isinstance(content, Mapping):
            raise Refused(f"{what} must be a JSON object, got {shown(content)}")
        self.content: Mapping[str, Any] = content
        self.what = what

    def _get(self, name: str) -> object:
        if name not in self.content:
            raise Refused(f"{self.what} lacks the field {name!r}")
        return self.content[name]

    def _wrong(self, name: str, expected: str, value: object) -> Refused:
        return Refused(f"{self.what} needs {name!r} as {expected}, got {shown(value)}")

    def text(self, name: str) -> str:
        value = self._get(name)
        if not isinstance(value, str):
            raise self._wrong(name, "a string", value)
        return value

    def texts(self, name: str) -> list[str]:
        """A list of strings (the uids of the selected jobs)."""
        value = self._get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._wrong(name, "a list of strings", value)
        return list(value)

    def scalar(self, name: str) -> bool | int | float | str | None:
        """A parameter value: true/false, a number (finite), a string, or null."""
        value = self._get(name)
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int):
            return value
        return self._finite(name, value)

    def index(self, name: str) -> int:
        """A whole number >= 0 (a connection index, an offset, a limit)."""
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._wrong(name, "a whole number >= 0", value)
        return value

    def indices(self, name: str) -> list[int]:
        """A list of whole numbers >= 0 (the classes chosen)."""
        value = self._get(name)
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise self._wrong(name, "a list of whole numbers >= 0", value)
        return list(value)

    def bound(self, name: str) -> float | None:
        """A finite number, or null for an open end of a range."""
        value = self._get(name)
        return None if value is None else self._finite(name, value)

    def number(self, name: str) -> float:
        """A finite number (a position on the canvas)."""
        return self._finite(name, self._get(name))

    def version(self, name: str) -> Version:
        """A saved version number, or ``"F"`` for the final one."""
        value = self._get(name)
        if value == "F":
            return "F"
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._wrong(name, 'a version number or "F"', value)
        return value

    def fields(self, name: str) -> Fields:
        """A nested object (a request's ``command`` or ``source``)."""
        return Fields(self._get(name), f"{self.what}: {name!r}")

    def positions(self, name: str) -> tuple[tuple[str, float, float], ...]:
        """``{"J3": [x, y], ...}`` as ``(("J3", x, y), ...)``."""
        value = self._get(name)
        if not isinstance(value, Mapping):
            raise self._wrong(name, 'an object {"J3": [x, y], ...}', value)
        positions = []
        for uid, point in value.items():
            if not (isinstance(point, list | tuple) and len(point) == 2):
                raise self._wrong(f"{name}.{uid}", "[x, y]", point)
            x, y = (self._finite(f"{name}.{uid}", v) for v in point)
            positions.append((str(uid), x, y))
        return tuple(positions)

    def _finite(self, name: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(name, "a number", value)
        try:
            number = float(value)
        except OverflowError:  # an integer past a float's range
            raise self._wrong(name, "a finite number", value) from None
        if not math.isfinite(number):
            raise self._wrong(name, "a finite number", value)
        return number
