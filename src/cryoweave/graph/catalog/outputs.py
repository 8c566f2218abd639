"""Output groups that follow a job's parameters: one group per class, per batch, ...

A job type listed here declares its output groups from its parameters; every other type
declares the groups of its spec. ``homo_abinit`` with ``abinit_K = 3`` outputs
``particles_class_0..2`` and ``volume_class_0..2`` beside ``particles_all_classes``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..specs import JobSpec, OutputSpec, ParamValue
from ._common import particles_out, volume_out

Params = Mapping[str, ParamValue]


def param_value(spec: JobSpec, params: Params, key: str) -> ParamValue:
    """The value of ``key`` on a job of ``spec``: what is set, else the type's default."""
    if key in params:
        return params[key]
    return spec.param(key).default


def _class_count(spec: JobSpec, params: Params, key: str) -> int:
    value = param_value(spec, params, key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


def _abinit(spec: JobSpec, params: Params) -> tuple[OutputSpec, ...]:
    classes = range(_class_count(spec, params, "abinit_K"))
    results = ("blob", "ctf", "alignments3D")
    return (
        *(
            particles_out(*results, name=f"particles_class_{k}", title=f"Particles class {k}")
            for k in classes
        ),
        *(volume_out("map", name=f"volume_class_{k}", title=f"Volume class {k}") for k in classes),
        particles_out(*results, name="particles_all_classes", title="All particles"),
    )


_RULES: dict[str, Callable[[JobSpec, Params], tuple[OutputSpec, ...]]] = {
    "homo_abinit": _abinit,
}


def declared_outputs(spec: JobSpec, params: Params) -> tuple[OutputSpec, ...]:
    """The output groups a job of ``spec`` with ``params`` set declares."""
    rule = _RULES.get(spec.type)
    return rule(spec, params) if rule else spec.outputs
