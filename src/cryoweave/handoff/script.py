"""A plan written as a Python script for cryosparc-tools 5, one commented block per job."""

from __future__ import annotations

import re
from typing import Any

from .plan import Plan, Ref


def plan_script(plan: Plan, *, queue: str | None = None, base_url: str | None = None) -> str:
    """The script: connect, find the project, create each job and make its calls in order,
    print each CryoSPARC uid; with ``queue``, queue every job to that lane at the end."""
    names = {step.uid: _variable(step.uid) for step in plan.steps}
    exports = [step.export for step in plan.steps if step.export is not None]
    doc = [
        f'"""Build {len(plan.steps)} job(s) of the cryoweave project {plan.project.title!r} in',
        f"CryoSPARC project {plan.project_uid}, workspace {plan.workspace}.",
        "",
        "Written by cryoweave. Run it where CryoSPARC is reachable, with cryosparc-tools 5",
        "(pip install cryosparc-tools), after setting CRYOSPARC_BASE_URL, CRYOSPARC_EMAIL and",
        "CRYOSPARC_PASSWORD (or give them to CryoSPARC(...) below).",
    ]
    if exports:
        doc += [
            "",
            "CryoSPARC's machine must be able to read these result groups, written by cryoweave:",
        ]
        doc += [f"    {export.csg}" for export in exports]
    doc.append('"""')
    lines = [
        *doc,
        "from cryosparc.tools import CryoSPARC",
        "",
        f"cs = CryoSPARC({base_url!r})" if base_url else "cs = CryoSPARC()",
        f"project = cs.find_project({plan.project_uid!r})",
    ]
    for step in plan.steps:
        var = names[step.uid]
        lines += ["", f"# {step.uid}: {step.what}"]
        for call in step.calls:
            args = [_code(a, names) for a in call.args]
            args += [f"{k}={_code(v, names)}" for k, v in call.kwargs.items()]
            head = (
                f"{var} = project.{call.method}("
                if call.on is None
                else f"{names[call.on]}.{call.method}("
            )
            line = head + ", ".join(args) + ")"
            if len(line) > 99:  # one argument a line, as a formatter would
                line = head + "\n" + "".join(f"    {a},\n" for a in args) + ")"
            lines.append(line)
        lines.append(f"print({step.uid!r}, '->', {var}.uid)")
    if queue is not None:
        lines += ["", f"# Queue every job to the lane {queue!r}; each waits for its parents."]
        lines += [f"{names[step.uid]}.queue(lane={queue!r})" for step in plan.steps]
    return "\n".join(lines) + "\n"


def _variable(uid: str) -> str:
    """``J13`` -> ``j13``; ``J4.particles`` (an import) -> ``import_j4_particles``."""
    name = re.sub(r"\W", "_", uid).lower()
    return f"import_{name}" if "." in uid else name


def _code(value: Any, names: dict[str, str]) -> str:
    """``value`` as Python source; a job the script creates is its variable's ``.uid``."""
    if isinstance(value, Ref):
        return f"{names[value.uid]}.uid"
    if isinstance(value, tuple):
        inner = ", ".join(_code(v, names) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v, names) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_code(v, names)}" for k, v in value.items()) + "}"
    return repr(value)
