"""Making a plan's calls through a ``cryosparc.tools.CryoSPARC`` the user has connected.

Calls are made in order, one request each; the first one CryoSPARC refuses stops the run.
Every job is recorded the moment CryoSPARC returns it, and a job-making call that answered
an error is looked for in the project (CryoSPARC may have made the job before failing, or
its answer may have been lost), so what is returned with the refusal is every job
CryoSPARC made, and nothing is left unaccounted for.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .calls import CREATES, Call, Data, Ref, Step, runs
from .plan import Applied, Plan


def apply_plan(plan: Plan, cs: Any, *, queue: str | None = None, echo: bool = True) -> Applied:
    """Do ``plan`` through ``cs``; with ``queue``, queue every created job (External jobs
    aside: they are complete once their data is uploaded) to that lane once all are built.
    ``echo`` prints each job's CryoSPARC uid as it is made, and a refusal."""
    applied = Applied(created={})
    with tempfile.TemporaryDirectory(prefix="cryoweave_upload_") as scratch:
        uploads = _upload_folder(plan, Path(scratch))
        plan.write_exports(uploads)
        try:
            project = cs.find_project(plan.project_uid)
        except Exception as err:  # CryoSPARC's refusal, whatever its type
            return _refused(applied, f"cs.find_project({plan.project_uid!r})", err, echo)
        newest = f"cs.api.jobs.find(project_uid={[plan.project_uid]!r}, order=-1, limit=1)"
        try:  # the newest job: a job numbered after it was made after the plan began
            found = cs.api.jobs.find(project_uid=[plan.project_uid], order=-1, limit=1)
        except Exception as err:
            return _refused(applied, newest, err, echo)
        before = found[0].uid_num if found else 0
        handles: dict[str, Any] = {}
        for step in plan.steps:
            for group in runs(step.calls):
                made = [_resolved(call, applied.created) for call in group]
                doing = made[0]
                try:
                    if doing.method == "save_output":  # one run around the job's uploads
                        with handles[step.uid].run():
                            for doing in made:  # the upload under way is the one named
                                _upload(handles[step.uid], doing, uploads)
                        continue
                    target = project if doing.on is None else handles[doing.on]
                    result = getattr(target, doing.method)(*doing.args, **doing.kwargs)
                except Exception as err:
                    _refused(applied, _described(doing, applied.created), err, echo)
                    if doing.method in CREATES:
                        _account(applied, project, step, doing, before, echo)
                    return applied
                if doing.method in CREATES:
                    handles[step.uid] = result
                    applied.created[step.uid] = str(result.uid)
                    if echo:
                        print(f"{step.uid} -> {result.uid}: {step.what}")
    return applied if queue is None else _queue(plan, handles, queue, applied, echo)


def _queue(plan: Plan, handles: dict[str, Any], lane: str, applied: Applied, echo: bool) -> Applied:
    """Queue each job made by ``create_job`` to ``lane``, in the plan's order."""
    for step in plan.steps:
        if step.calls[0].method == "create_job":
            try:
                handles[step.uid].queue(lane=lane)
            except Exception as err:
                queued = Call(step.uid, "queue", kwargs={"lane": lane})
                return _refused(applied, _described(queued, applied.created), err, echo)
    return applied


def _upload_folder(plan: Plan, scratch: Path) -> Path | None:
    """Where the uploads' files are read from: the export folder, else a scratch one."""
    if not plan.uploads:
        return None
    return plan.folder or scratch


def _resolved(call: Call, created: dict[str, str]) -> Call:
    """The call with every job this plan made named by its CryoSPARC uid."""
    return Call(
        call.on,
        call.method,
        tuple(_resolve(v, created) for v in call.args),
        {k: _resolve(v, created) for k, v in call.kwargs.items()},
    )


def _upload(job: Any, call: Call, uploads: Path | None) -> None:
    """One ``save_output``, its data read back with cryosparc-tools from the file written
    for it (inside ``with job.run()``: CryoSPARC marks the job completed after the last
    upload, or failed if one is refused)."""
    from cryosparc.dataset import Dataset

    name, data = call.args
    assert isinstance(data, Data) and uploads is not None
    job.save_output(name, Dataset.load(uploads / data.file), **call.kwargs)


def _account(
    applied: Applied, project: Any, step: Step, call: Call, before: int, echo: bool
) -> None:
    """After a job-making call answered an error, list the jobs CryoSPARC made for it
    all the same (it failed after making the job, or the answer was lost and the request
    retried): those of its workspace, type and title numbered after every job the project
    had when the plan began. A second is listed as ``"J13 (2)"``."""
    job_type = call.args[1] if call.method == "create_job" else "snowflake"
    title = call.kwargs.get("title", "")
    try:
        found = [
            job.uid
            for job in project.find_jobs(workspace_uid=call.args[0], type=job_type)
            if job.model.uid_num > before
            and job.title == title
            and job.uid not in applied.created.values()
        ]
    except Exception as err:
        applied.reason = f"{applied.reason}; whether CryoSPARC made the job is unknown: {err}"
        return
    for count, uid in enumerate(found, start=1):
        applied.created[step.uid if count == 1 else f"{step.uid} ({count})"] = uid
        if echo:
            print(f"{step.uid} -> {uid}: {step.what} (made, though CryoSPARC answered an error)")


def _refused(applied: Applied, call: str, err: Exception, echo: bool) -> Applied:
    data = getattr(err, "data", None)  # cryosparc-tools' APIError keeps CryoSPARC's answer
    detail = data.get("detail") if isinstance(data, dict) else None
    applied.failed_call, applied.reason = call, str(detail or err)
    if echo:
        print(applied.failed)
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
