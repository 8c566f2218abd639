"""Output groups that follow a job's parameters: one group per class, per split.

A job type listed in ``NUMBERED_OUTPUTS`` has numbered output groups (``particles_class_0``,
``particles_class_1``, ...) whose count is one of its parameters; the catalog spec lists
group 0 of each as the template. ``homo_abinit`` with ``abinit_K = 3`` outputs
``particles_class_0..2`` and ``volume_class_0..2`` beside ``particles_all_classes``.
Every other type declares the groups of its spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..specs import JobSpec, OutputSpec, ParamValue

Params = Mapping[str, ParamValue]

# job type -> (the parameter that counts the groups, the numbered groups' name prefixes).
# Keys as confirmed in parameters/ (OUTPUT_COUNT_KEYS there says where).
NUMBERED_OUTPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "homo_abinit": ("abinit_K", ("particles_class_", "volume_class_")),
    "class_3D": ("class3D_N_K", ("particles_class_", "volume_class_")),
    "particle_sets": ("set_split_num", ("split_",)),
}


def param_value(spec: JobSpec, params: Params, key: str) -> ParamValue:
    """The value of ``key`` on a job of ``spec``: what is set, else the type's default."""
    if key in params:
        return params[key]
    return spec.param(key).default


def declared_outputs(spec: JobSpec, params: Params) -> tuple[OutputSpec, ...]:
    """The output groups a job of ``spec`` with ``params`` set declares."""
    rule = NUMBERED_OUTPUTS.get(spec.type)
    if rule is None:
        return spec.outputs
    key, prefixes = rule
    value = param_value(spec, params, key)
    count = value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1
    outputs: list[OutputSpec] = []
    for output in spec.outputs:
        prefix = next((p for p in prefixes if _numbered(output.name, p)), None)
        if prefix is None:
            outputs.append(output)
        elif output.name == f"{prefix}0":  # the template: one group per number
            outputs.extend(
                replace(output, name=f"{prefix}{k}", title=_title(output.title, k))
                for k in range(count)
            )
    return tuple(outputs)


def _numbered(name: str, prefix: str) -> bool:
    return name.startswith(prefix) and name[len(prefix) :].isdigit()


def _title(template: str, number: int) -> str:
    """``"Particles class 0"`` -> ``"Particles class 3"``."""
    base = template[:-1].rstrip() if template.endswith("0") else template
    return f"{base} {number}"
