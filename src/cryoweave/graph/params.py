"""Job parameters: checking a value against its type's parameter, and what a job has set.

Keys are CryoSPARC's (``class2D_K``, ``abinit_K``); a job stores only what was set, the
type's defaults hold for the rest, as CryoSPARC's ``spec.params`` does.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn, cast

from .catalog import CATALOG
from .errors import ParameterError
from .specs import JobSpec, ParamSpec, ParamType, ParamValue


@dataclass(frozen=True)
class ParamState:
    """One parameter of one job: its value, the default and whether it was set."""

    spec: ParamSpec
    value: ParamValue
    is_set: bool

    @property
    def default(self) -> ParamValue:
        return self.spec.default

    @property
    def changed(self) -> bool:
        """True when the value differs from the type's default."""
        return self.is_set and self.value != self.spec.default

    def __repr__(self) -> str:
        changed = ", changed" if self.changed else ""
        return f"<{self.spec.key} = {self.value!r} (default {self.default!r}{changed})>"


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
            return _refuse(f"{what} is true or false, not {value!r}")
        return value
    if spec.type in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _refuse(f"{what} is a number, not {value!r}")
        if spec.type == "int" and not (isinstance(value, int) or value.is_integer()):
            return _refuse(f"{what} is a whole number, not {value!r}")
        if not math.isfinite(value):
            return _refuse(f"{what} must be finite, not {value!r}")
        number: int | float = int(value) if spec.type == "int" else float(value)
        if spec.minimum is not None and number < spec.minimum:
            return _refuse(f"{what} must be at least {_num(spec.minimum)}, not {number}")
        if spec.maximum is not None and number > spec.maximum:
            return _refuse(f"{what} must be at most {_num(spec.maximum)}, not {number}")
        return number
    if not isinstance(value, str):
        return _refuse(f"{what} is text, not {value!r}")
    if spec.type == "choice" and value not in spec.choices:
        return _refuse(f"{what} is one of {', '.join(map(repr, spec.choices))}, not {value!r}")
    return value


def params_of(spec: JobSpec | None, values: Mapping[str, ParamValue]) -> dict[str, ParamState]:
    """Every parameter of a job of ``spec``, by key, with what ``values`` sets; values for
    keys the catalog does not list (read from a document) are kept after them."""
    states = {
        p.key: ParamState(p, values.get(p.key, p.default), p.key in values)
        for p in (spec.params if spec else ())
    }
    for key, value in values.items():
        if key not in states:
            unknown = ParamSpec(key, key, cast(ParamType, _kind(value)), None, optional=True)
            states[key] = ParamState(unknown, value, True)
    return states


def _kind(value: ParamValue) -> str:
    kinds = {bool: "bool", int: "int", float: "float"}
    return kinds.get(type(value), "str")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _refuse(reason: str) -> NoReturn:
    raise ParameterError(reason)
