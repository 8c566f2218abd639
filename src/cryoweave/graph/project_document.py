"""What a project document (``cryoweave_project.json``) may hold, checked when it is read.

Every value is checked before the project uses any, so a damaged or hand-edited document
is refused naming its field, never half-used (a bad ``next_job`` or position used to fail
later as a bare ``TypeError`` or ``OverflowError``). Keys not listed here are kept as
they are.
"""

from __future__ import annotations

import math
import re
from typing import Any

# CryoSPARC's uids: ``P12``, ``J345``.
PROJECT_UID = re.compile(r"P[1-9][0-9]{0,8}")
JOB_UID = re.compile(r"J[1-9][0-9]{0,8}")
MAX_JOB_NUMBER = 10**9
# Far beyond any canvas, and within what JSON and JavaScript hold exactly.
MAX_COORDINATE = 1e12


def check(doc: Any) -> str | None:
    """Why ``doc`` is not a valid project document (naming the field), or None."""
    if not isinstance(doc, dict):
        return "the project document is not a JSON object"
    for key in ("title", "created_at", "cryosparc_project"):
        if key in doc and not isinstance(doc[key], str):
            return f"{key!r} is {_kind(doc[key])}, not text"
    if not isinstance(doc.get("awaits_layout", False), bool):
        return f"'awaits_layout' is {_kind(doc['awaits_layout'])}, not true or false"
    fmt = doc.get("format", 1)
    if fmt not in (1, 2) or isinstance(fmt, bool):
        return f"'format' is {fmt!r}; this cryoweave reads formats 1 and 2"
    next_job = doc.get("next_job", 1)
    if not _is_int(next_job) or not 1 <= next_job <= MAX_JOB_NUMBER:
        return f"'next_job' is {next_job!r}, not a job number from 1 to {MAX_JOB_NUMBER:,}"
    uid = doc.get("project_uid", "P1")
    if not isinstance(uid, str) or not PROJECT_UID.fullmatch(uid):
        return f"'project_uid' is {uid!r}, not a CryoSPARC project uid (P1, P2, ...)"
    return (
        _check_positions(doc.get("positions", {}))
        or _check_by_hand(doc.get("moved_by_hand", []))
        or _check_types(doc.get("types", {}))
    )


def coordinate(value: object) -> float | None:
    """``value`` as a canvas coordinate: a finite real number within the canvas's range
    (a numpy scalar too), else None."""
    if isinstance(value, bool) or not hasattr(value, "__float__") or isinstance(value, str):
        return None
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return None
    return number if math.isfinite(number) and abs(number) <= MAX_COORDINATE else None


def _check_positions(positions: Any) -> str | None:
    if not isinstance(positions, dict):
        return f"'positions' is {_kind(positions)}, not an object of job uids"
    for uid, xy in positions.items():
        if not JOB_UID.fullmatch(uid):
            return f"'positions' names {uid!r}, not a job uid"
        if (
            not isinstance(xy, list)
            or len(xy) != 2
            or any(isinstance(v, str) or coordinate(v) is None for v in xy)
        ):
            return f"'positions'[{uid!r}] is {xy!r}, not two finite numbers (x, y)"
    return None


def _check_by_hand(uids: Any) -> str | None:
    """The jobs moved by hand (``JobState.moved_by_hand``): a list of job uids."""
    if not isinstance(uids, list):
        return f"'moved_by_hand' is {_kind(uids)}, not a list of job uids"
    for uid in uids:
        if not isinstance(uid, str) or not JOB_UID.fullmatch(uid):
            return f"'moved_by_hand' lists {uid!r}, not a job uid"
    return None


def _check_types(types: Any) -> str | None:
    if not isinstance(types, dict):
        return f"'types' is {_kind(types)}, not an object of job types"
    for key, entry in types.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(name, ""), str) for name in ("title", "section")
        ):
            return f"'types'[{key!r}] is not an object with a text 'title' and 'section'"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"
