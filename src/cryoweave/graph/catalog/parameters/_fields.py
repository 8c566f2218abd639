"""Short constructors for :class:`~cryoweave.graph.specs.ParamSpec`, and the parameters
that many job types share.

A default of None makes the parameter optional: CryoSPARC leaves it unset (it decides, or
the feature is off). Titles and help lines are ours; the keys are CryoSPARC's.
"""

from __future__ import annotations

from ...specs import ParamSpec


def flag(
    key: str,
    title: str,
    default: bool | None,
    help: str,
    *,
    section: str = "",
    advanced: bool = False,
) -> ParamSpec:
    """A yes/no parameter."""
    return ParamSpec(
        key,
        title,
        "bool",
        default,
        section=section,
        advanced=advanced,
        help=help,
        optional=default is None,
    )


def integer(
    key: str,
    title: str,
    default: int | None,
    help: str,
    *,
    section: str = "",
    advanced: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> ParamSpec:
    """A whole-number parameter, optionally bounded (inclusive)."""
    return ParamSpec(
        key,
        title,
        "int",
        default,
        section=section,
        advanced=advanced,
        help=help,
        minimum=minimum,
        maximum=maximum,
        optional=default is None,
    )


def number(
    key: str,
    title: str,
    default: float | None,
    help: str,
    *,
    section: str = "",
    advanced: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> ParamSpec:
    """A real-number parameter, optionally bounded (inclusive)."""
    return ParamSpec(
        key,
        title,
        "float",
        default,
        section=section,
        advanced=advanced,
        help=help,
        minimum=minimum,
        maximum=maximum,
        optional=default is None,
    )


def text(
    key: str,
    title: str,
    default: str | None,
    help: str,
    *,
    section: str = "",
    advanced: bool = False,
) -> ParamSpec:
    """A free-text parameter: a path, a symmetry string such as "C1" or "D7", ..."""
    return ParamSpec(
        key,
        title,
        "str",
        default,
        section=section,
        advanced=advanced,
        help=help,
        optional=default is None,
    )


def choice(
    key: str,
    title: str,
    default: str | None,
    choices: tuple[str, ...],
    help: str,
    *,
    section: str = "",
    advanced: bool = False,
) -> ParamSpec:
    """One of a fixed set of values; only values seen in public material are listed."""
    return ParamSpec(
        key,
        title,
        "choice",
        default,
        section=section,
        advanced=advanced,
        help=help,
        choices=choices,
        optional=default is None,
    )


# --- shared parameters ---------------------------------------------------------------

COMPUTE = "Compute settings"

# Keys confirmed per job type in the modules that use these.
CACHE_ON_SSD = flag(
    "compute_use_ssd",
    "Cache particles on SSD",
    True,
    "Copy particle images to the worker's SSD cache before processing.",
    section=COMPUTE,
)


def gpus(default: int = 1, *, minimum: int = 1) -> ParamSpec:
    """How many GPUs the job spreads over (some jobs take 0 for CPU only)."""
    return integer(
        "compute_num_gpus",
        "Number of GPUs",
        default,
        "How many GPUs to run the job on in parallel.",
        section=COMPUTE,
        minimum=minimum,
    )


RANDOM_SEED = integer(
    "random_seed",
    "Random seed",
    None,
    "Fix the random seed so that a rerun makes the same random choices.",
    section=COMPUTE,
    advanced=True,
)


def symmetry(key: str, *, section: str) -> ParamSpec:
    """A point-group symmetry string (C1, C7, D7, T, O, I, ...); CryoSPARC's default is C1."""
    return text(
        key,
        "Symmetry",
        "C1",
        "Point group to enforce, written as CryoSPARC spells it: C1, Cn, Dn, T, O or I.",
        section=section,
    )


_WINDOW = "Particle window"


def particle_window() -> tuple[ParamSpec, ...]:
    """The soft real-space window applied to the particle images (Cryo-IEF's MyJobAPIs
    sets these keys on homo_abinit and nonuniform_refine_new)."""
    return (
        flag(
            "prepare_window_dataset",
            "Window the particle images",
            True,
            "Apply a soft circular window to the particle images before use.",
            section=_WINDOW,
            advanced=True,
        ),
        number(
            "prepare_window_inner_radius",
            "Window inner radius",
            0.85,
            "Where the window starts to fall off, as a fraction of the box radius.",
            section=_WINDOW,
            advanced=True,
            minimum=0.0,
            maximum=1.0,
        ),
        number(
            "prepare_window_outer_radius",
            "Window outer radius",
            0.99,
            "Where the window reaches zero, as a fraction of the box radius.",
            section=_WINDOW,
            advanced=True,
            minimum=0.0,
            maximum=1.0,
        ),
    )


NOISE_MODELS = ("symmetric", "white", "coloured")
EWS_SIGNS = ("positive", "negative")
