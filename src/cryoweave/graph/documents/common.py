"""What both shapes of job document share: the error, checked reading of JSON values, and
the job state a document becomes."""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from typing import Any

import pydantic
import pydantic_core

from ..catalog import CATALOG
from ..model import (
    InputGroup,
    JobState,
    OutputGroup,
    Status,
    Version,
)
from ..specs import InputSpec, ParamValue


class DocumentError(ValueError):
    """A job document that cannot be read: the message names the field and the problem."""


STATUSES: tuple[Status, ...] = typing.get_args(Status)


def job_state(
    uid: str,
    type_key: str,
    title: str,
    status: Status,
    inputs: list[InputGroup],
    outputs: list[OutputGroup],
    params: dict[str, ParamValue],
    description: str,
) -> JobState:
    """The state a document describes; the type's title and section come from the catalog
    (a document of either shape carries neither)."""
    catalog = CATALOG.get(type_key)
    type_title = (
        catalog.title if catalog else ("External job" if type_key == "snowflake" else type_key)
    )
    return JobState(
        uid=uid,
        type=type_key,
        title=title,
        status=status,
        inputs=inputs,
        outputs=outputs,
        section=catalog.section if catalog else ("External" if type_key == "snowflake" else ""),
        type_title=type_title,
        params=params,
        description=description,
    )


class Reader:
    """Typed access to one JSON object of a v4 document, naming the key on every failure."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise DocumentError(f"{where}: expected an object, found {kind_of(value)}")
        self.value: Mapping[str, Any] = value
        self.where = where

    _MISSING: Any = object()

    def get(self, key: str, kind: Any, default: Any = _MISSING) -> Any:
        if key not in self.value:
            if default is Reader._MISSING:
                raise DocumentError(f"{self.where}: no {key!r} key")
            return default
        value = self.value[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int to Python, never to a document
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise DocumentError(
                f"{self.where}.{key}: expected {_names(kinds)}, found {kind_of(value)}"
            )
        return value

    def list(self, key: str, default: Any = _MISSING) -> list[Any]:
        value: list[Any] = self.get(key, list, default)
        return value


def as_int(where: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DocumentError(f"{where}: expected an integer, found {kind_of(value)}")
    if not 0 <= value < 2**63:
        raise DocumentError(f"{where}: {value} is out of range")
    return value


MAX_INT = 2**63


def in_range(values: list[int]) -> bool:
    """Every value a count or version (0 to 2**63 - 1)? Checked in C, for long lists."""
    return not values or (min(values) >= 0 and max(values) < MAX_INT)


def as_float(where: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DocumentError(f"{where}: expected a number, found {kind_of(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise DocumentError(f"{where}: expected a finite number")
    return number


def as_str(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where}: expected a string, found {kind_of(value)}")
    return value


def as_version(where: str, value: Any) -> Version:
    if value == "F":
        return "F"
    return as_int(where, value)


def as_param_value(where: str, value: Any) -> ParamValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise DocumentError(
        f"{where}: expected a number, string, true/false or null, found {kind_of(value)}"
    )


def check_counts(where: str, spec: InputSpec) -> None:
    if spec.count_min < 0 or (spec.count_max is not None and spec.count_max < spec.count_min):
        raise DocumentError(
            f"{where}: count_min {spec.count_min} and count_max {spec.count_max} do not fit"
        )


def parse_json(data: bytes) -> Any:
    """``data`` as JSON, read as the v5 models read it: UTF-8 without lone surrogates, nesting
    bounded (a Python ``RecursionError`` is never raised).

    Raises
    ------
    DocumentError
        When the bytes are not UTF-8 text or not JSON, saying where.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(f"not UTF-8 text ({err.reason})") from None
    try:
        return pydantic_core.from_json(data)
    except ValueError as err:
        raise DocumentError(f"not valid JSON ({err})") from None


def first_error(err: pydantic.ValidationError) -> str:
    """cryosparc-tools' refusal in one line: the first wrong field, and how many more."""
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the document"
    more = err.error_count() - 1
    return f"{where}: {first['msg']}" + (f"; and {more} more" if more else "")


_KIND_NAMES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def kind_of(value: Any) -> str:
    """What a JSON value is, as a refusal says it: "a list", "null"."""
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _names(kinds: tuple[type, ...]) -> str:
    return " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
