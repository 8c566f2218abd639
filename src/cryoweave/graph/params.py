"""Job parameters: checking a value against its type's parameter, and what a job has set.

Keys are CryoSPARC's (``class2D_K``, ``abinit_K``); a job stores only what was set, the
type's defaults hold for the rest, as CryoSPARC's ``spec.params`` does. A key the catalog
does not list, read from a job document or a workflow file (CryoSPARC has parameters
cryoweave does not know), is kept as read and passed on unchanged; only a user's
``set_param`` with such a key is refused.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn, cast

from .catalog import CATALOG
from .errors import ParameterError, shown
from .specs import JobSpec, ParamSpec, ParamType, ParamValue

# CryoSPARC keeps parameters in 64-bit fields; a number past them is no value it can store.
_INT_LIMIT = 2**63


@dataclass(frozen=True)
class ParamState:
    """One parameter of one job: its value, the default and whether it was set.

    ``known`` is False for a key the catalog does not list, kept as a document or a
    workflow file gave it: its ``spec`` then holds only the key and the value's kind.
    """

    spec: ParamSpec
    value: ParamValue
    is_set: bool
    known: bool = True

    @property
    def default(self) -> ParamValue:
        return self.spec.default

    @property
    def changed(self) -> bool:
        """True when the value differs from the type's default."""
        return self.is_set and self.value != self.spec.default

    def __repr__(self) -> str:
        if not self.known:
            return f"<{self.spec.key} = {self.value!r} (not in cryoweave's catalog, kept as read)>"
        changed = ", changed" if self.changed else ""
        return f"<{self.spec.key} = {self.value!r} (default {self.default!r}{changed})>"


def is_known(type_key: str, key: str) -> bool:
    """Does the catalog list parameter ``key`` for job type ``type_key``?"""
    spec = CATALOG.get(type_key)
    return spec is not None and any(p.key == key for p in spec.params)


def param_spec(type_key: str, key: str) -> ParamSpec:
    """The parameter ``key`` of job type ``type_key``; refused with the closest names."""
    spec = CATALOG.get(type_key)
    if spec is None:
        raise ParameterError(f"job type {type_key!r} has no parameters known to cryoweave")
    for param in spec.params:
        if param.key == key:
            return param
    keys = [p.key for p in spec.params]
    by_title = {p.title.lower(): p.key for p in spec.params}
    close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
    close += [
        by_title[t]
        for t in difflib.get_close_matches(key.lower(), list(by_title), n=2, cutoff=0.6)
        if by_title[t] not in close
    ]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return _refuse(f"{spec.title} ({type_key}) has no parameter {key!r}{hint}")


def check_param(
    type_key: str, key: str, value: ParamValue, *, clearing: bool = False
) -> ParamValue:
    """``value`` as stored for parameter ``key`` of ``type_key``, or a refusal saying why."""
    spec = param_spec(type_key, key)
    if clearing:
        return spec.default
    what = f"{key} ({spec.title})"
    if value is None:
        if spec.optional:
            return None
        return _refuse(f"{what} needs a value; it cannot be left unset")
    if spec.type == "bool":
        if not isinstance(value, bool):
            return _refuse(f"{what} is true or false, not {shown(value)}")
        return value
    if spec.type in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _refuse(f"{what} is a number, not {shown(value)}")
        # An int past 64 bits is checked before float() overflows; 1e300 for an int after.
        number: int | float = value
        if _storable(value):
            if spec.type == "int" and not (isinstance(value, int) or value.is_integer()):
                return _refuse(f"{what} is a whole number, not {shown(value)}")
            number = int(value) if spec.type == "int" else float(value)
        if not _storable(number):
            return _refuse(f"{what} must be a finite number within 64 bits, not {shown(value)}")
        if spec.minimum is not None and number < spec.minimum:
            return _refuse(f"{what} must be at least {_num(spec.minimum)}, not {number}")
        if spec.maximum is not None and number > spec.maximum:
            return _refuse(f"{what} must be at most {_num(spec.maximum)}, not {number}")
        return number
    if not isinstance(value, str):
        return _refuse(f"{what} is text, not {shown(value)}")
    if spec.type == "choice" and value not in spec.choices:
        return _refuse(f"{what} is one of {', '.join(map(repr, spec.choices))}, not {shown(value)}")
    return value


def check_kept(key: str, value: object) -> ParamValue:
    """``value`` of a parameter the catalog does not list, read from a document or a
    workflow file: kept as it is if CryoSPARC can hold it (true/false, text, null, or a
    finite number within 64 bits), else refused saying why."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float) and _storable(value):
        return value
    return _refuse(f"{key} is not a value CryoSPARC can store: {shown(value)}")


def params_of(spec: JobSpec | None, values: Mapping[str, ParamValue]) -> dict[str, ParamState]:
    """Every parameter of a job of ``spec``, by key, with what ``values`` sets; values for
    keys the catalog does not list (read from a document or a workflow) are kept after
    them, marked ``known=False``."""
    states = {
        p.key: ParamState(p, values.get(p.key, p.default), p.key in values)
        for p in (spec.params if spec else ())
    }
    for key, value in values.items():
        if key not in states:
            unknown = ParamSpec(key, key, cast(ParamType, _kind(value)), None, optional=True)
            states[key] = ParamState(unknown, value, True, known=False)
    return states


def _storable(number: int | float) -> bool:
    """A finite number within 64 bits (an int of hundreds of digits is no float either)."""
    if isinstance(number, int):
        return -_INT_LIMIT <= number < _INT_LIMIT
    return math.isfinite(number)


def _kind(value: ParamValue) -> str:
    kinds = {bool: "bool", int: "int", float: "float"}
    return kinds.get(type(value), "str")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _refuse(reason: str) -> NoReturn:
    raise ParameterError(reason)
