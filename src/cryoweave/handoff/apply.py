"""Making a plan's calls through a ``cryosparc.tools.CryoSPARC`` the user has connected.

Calls are made in order; the first one CryoSPARC refuses stops the run, and what was
already created is returned with the refusal, so nothing is left unaccounted for.
"""

from __future__ import annotations

from typing import Any

from .plan import Applied, Call, Plan, Ref


def apply_plan(plan: Plan, cs: Any, *, queue: str | None = None, echo: bool = True) -> Applied:
    """Do ``plan`` through ``cs``; with ``queue``, queue every created job to that lane
    once all are built. ``echo`` prints one line per job as it is made."""
    plan.write_exports()
    project = cs.find_project(plan.project_uid)
    handles: dict[str, Any] = {}
    applied = Applied(created={})
    for step in plan.steps:
        for call in step.calls:
            target = project if call.on is None else handles[call.on]
            args = tuple(_resolve(value, applied.created) for value in call.args)
            kwargs = {key: _resolve(value, applied.created) for key, value in call.kwargs.items()}
            try:
                result = getattr(target, call.method)(*args, **kwargs)
            except Exception as err:  # CryoSPARC's refusal, whatever its type
                made = Call(call.on, call.method, args, kwargs)  # with CryoSPARC's uids
                applied.failed = f"{_described(made, applied.created)} failed: {err}"
                if echo:
                    print(f"{step.uid}: {applied.failed}")
                return applied
            if call.method == "create_job":
                handles[step.uid] = result
                applied.created[step.uid] = str(result.uid)
        if echo:
            print(f"{step.uid} -> {applied.created[step.uid]}: {step.what}")
    if queue is not None:
        for step in plan.steps:
            queued = Call(step.uid, "queue", kwargs={"lane": queue})
            try:
                handles[step.uid].queue(lane=queue)
            except Exception as err:
                applied.failed = f"{_described(queued, applied.created)} failed: {err}"
                return applied
    return applied


def _resolve(value: Any, created: dict[str, str]) -> Any:
    """``Ref``s, also inside the connections' tuples, lists and dicts, as CryoSPARC uids."""
    if isinstance(value, Ref):
        return created[value.uid]
    if isinstance(value, tuple):
        return tuple(_resolve(v, created) for v in value)
    if isinstance(value, list):
        return [_resolve(v, created) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, created) for k, v in value.items()}
    return value


def _described(call: Call, created: dict[str, str]) -> str:
    """The call, with the CryoSPARC uid of the job it was made on."""
    if call.on is None or call.on not in created:
        return call.describe()
    return f"{call.describe()} (CryoSPARC's {created[call.on]})"
