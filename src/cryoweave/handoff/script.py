"""A plan written as a Python script for cryosparc-tools 5, one commented block per job.

Every value in the script (uids, workspace, titles, parameters, lane, URL, paths) is a
Python literal made with ``repr``, and comments hold only printable text, so no value can
become code; each job's CryoSPARC uid is printed the moment CryoSPARC has made it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from .calls import CREATES, Call, Data, Ref, runs
from .plan import Plan, PlanRefused


def plan_script(plan: Plan, *, queue: str | None = None, base_url: str | None = None) -> str:
    """The script: connect, find the project, create each job and make its calls in order,
    print each CryoSPARC uid once its job exists; with ``queue``, queue every job that runs
    (External jobs are complete once their data is uploaded) to that lane at the end."""
    names = {step.uid: _variable(step.uid) for step in plan.steps}
    uploads = plan.uploads
    imports = [e for e in plan.exports if e.via == "import"]
    lines = [
        _comment(
            f"Builds {len(plan.steps)} job(s) of the cryoweave project {plan.project.title!r} "
            f"in CryoSPARC project {plan.project_uid!r}, workspace {plan.workspace!r}."
        ),
        "#",
        "# Written by cryoweave. Run it where CryoSPARC is reachable, with cryosparc-tools 5",
        "# (pip install cryosparc-tools), after setting CRYOSPARC_BASE_URL, CRYOSPARC_EMAIL and",
        "# CRYOSPARC_PASSWORD (or give them to CryoSPARC(...) below). It prints each job's",
        "# CryoSPARC uid as soon as the job exists: if a call fails, the jobs printed exist",
        "# (and if a job-making call itself fails, look in the workspace for a job of its",
        "# title: CryoSPARC may have made it before failing).",
    ]
    if uploads:
        lines += [
            "#",
            "# It uploads the data of outputs that exist only in cryoweave from the .cs files",
            "# cryoweave wrote to EXPORTS: run it where that folder is, or copy the folder and",
            "# change EXPORTS. CryoSPARC itself needs no access to these files.",
        ]
    if imports:
        lines += ["#", "# CryoSPARC's machine must be able to read these result groups:"]
        lines += [_comment(f"    {str(export.csg)!r}") for export in imports]
    if uploads:
        lines += ["from pathlib import Path", "", "from cryosparc.dataset import Dataset"]
    lines += ["from cryosparc.tools import CryoSPARC", ""]
    if uploads:
        assert plan.folder is not None  # write_exports refuses a plan without one
        lines.append(f"EXPORTS = Path({str(plan.folder)!r})")
    lines += [
        f"cs = CryoSPARC({_code(base_url, names)})" if base_url else "cs = CryoSPARC()",
        f"project = cs.find_project({_code(plan.project_uid, names)})",
    ]
    for step in plan.steps:
        var = names[step.uid]
        lines += ["", _comment(f"{step.uid}: {step.what}")]
        for group in runs(step.calls):
            if group[0].method == "save_output":
                lines.append(f"with {var}.run():  # marked completed after, or failed")
                lines += [_call_line(call, var, names, "    ") for call in group]
                continue
            lines.append(_call_line(group[0], var, names))
            if group[0].method in CREATES:
                lines.append(f"print({step.uid!r}, '->', {var}.uid)")
    if queue is not None:
        running = [step for step in plan.steps if step.calls[0].method == "create_job"]
        lines += ["", _comment(f"Queue every job that runs to the lane {queue!r}.")]
        lines += [f"{names[step.uid]}.queue(lane={_code(queue, names)})" for step in running]
    return "\n".join(lines) + "\n"


def _call_line(call: Call, var: str, names: dict[str, str], indent: str = "") -> str:
    """One call as source; the job-making ones assign the job to its variable."""
    args = [_code(a, names) for a in call.args]
    args += [f"{k}={_code(v, names)}" for k, v in call.kwargs.items()]
    if call.method in CREATES:
        head = f"{var} = project.{call.method}("
    else:
        head = f"{names[call.on or '']}.{call.method}("
    line = indent + head + ", ".join(args) + ")"
    if len(line) > 99:  # one argument a line, as a formatter would
        line = indent + head + "\n" + "".join(f"{indent}    {a},\n" for a in args) + indent + ")"
    return line


def _variable(uid: str) -> str:
    """``J13`` -> ``j13``; ``J4.particles`` (an output sent on its own) -> ``j4_particles``."""
    return re.sub(r"[^0-9A-Za-z_]", "_", uid).lower()


def _comment(text: str) -> str:
    """A comment line; text that is not all printable (a line break) is shown escaped."""
    return "# " + (text if text.isprintable() else repr(text)[1:-1])


def _code(value: Any, names: dict[str, str]) -> str:
    """``value`` as Python source; a job the script creates is its variable's ``.uid``,
    an upload's data is read from the file cryoweave wrote for it."""
    if isinstance(value, Ref):
        return f"{names[value.uid]}.uid"
    if isinstance(value, Data):
        return f"Dataset.load(EXPORTS / {value.file!r})"
    if isinstance(value, tuple):
        inner = ", ".join(_code(v, names) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v, names) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{_code(k, names)}: {_code(v, names)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, Path):
        return repr(str(value))
    raise PlanRefused([f"cannot write {type(value).__name__} value {value!r} in a script"])
