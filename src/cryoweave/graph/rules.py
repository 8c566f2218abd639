"""Whether an edit may be made, and why not: pure functions of the jobs' state.

These read nothing from disk, so the widget can ask them for every drop target
while a drag is in progress. Each refusal is a sentence naming both ends.
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import Connection, JobState, SlotConnection, Version

Jobs = Mapping[str, JobState]


def refuse_connect(
    jobs: Jobs, target_uid: str, input_name: str, source_uid: str, output_name: str
) -> str | None:
    """Why ``source_uid.output_name`` cannot be connected to ``target_uid.input_name``."""
    what = f"cannot connect {source_uid}.{output_name} to {target_uid}.{input_name}"
    problem = _target_problem(jobs, target_uid, input_name) or _source_problem(
        jobs, source_uid, output_name
    )
    if problem:
        return f"{what}: {problem}"
    target, source = jobs[target_uid], jobs[source_uid]
    group = target.input(input_name)
    output = source.output(output_name)
    assert group is not None and output is not None
    spec = group.spec
    if output.spec.type != spec.type:
        return (
            f"{what}: input {input_name!r} takes {spec.type} items, "
            f"{source_uid}.{output_name} holds {output.spec.type} items"
        )
    if spec.count_max is not None and len(group.connections) >= spec.count_max:
        taken = ", ".join(f"{c.job_uid}.{c.group_name}" for c in group.connections)
        return f"{what}: count_max of {spec.count_max} reached (input {input_name!r} has {taken})"
    if not spec.repeat_allowed and any(
        (c.job_uid, c.group_name) == (source_uid, output_name) for c in group.connections
    ):
        return f"{what}: already connected, and input {input_name!r} does not allow repeats"
    cycle = cycle_through(jobs, target_uid, source_uid)
    if cycle:
        return f"{what}: this would create a cycle ({cycle})"
    for slot in spec.slots:
        result = output.result(slot.name)
        if result is None:
            if slot.required:
                return (
                    f"{what}: {source_uid}.{output_name} has no result {slot.name!r} "
                    f"for the required slot {slot.name!r} ({slot.type})"
                )
        elif result.type != slot.type:
            return (
                f"{what}: slot {slot.name!r} takes {slot.type}, "
                f"{source_uid}.{output_name}.{slot.name} is {result.type}"
            )
    return None


def plan_connection(
    jobs: Jobs, target_uid: str, input_name: str, source_uid: str, output_name: str
) -> Connection:
    """The connection a valid group connection adds: slots by name, the rest passthrough."""
    group = jobs[target_uid].input(input_name)
    output = jobs[source_uid].output(output_name)
    assert group is not None and output is not None
    slot_names = {slot.name for slot in group.spec.slots}
    entries = [
        SlotConnection(slot.name, source_uid, output_name, result.name, result.type)
        for slot in group.spec.slots
        if (result := output.result(slot.name)) is not None
    ]
    entries += [
        SlotConnection(None, source_uid, output_name, result.name, result.type)
        for result in output.results
        if result.name not in slot_names
    ]
    return Connection(source_uid, output_name, entries)


def refuse_connect_result(
    jobs: Jobs,
    target_uid: str,
    input_name: str,
    connection_idx: int,
    slot_name: str,
    source_uid: str,
    output_name: str,
    result_name: str,
    version: Version = "F",
) -> str | None:
    """Why a result cannot override one slot of one connection."""
    source_label = f"{source_uid}.{output_name}.{result_name}"
    what = (
        f"cannot connect {source_label} to {target_uid}.{input_name}[{connection_idx}].{slot_name}"
    )
    problem = _target_problem(jobs, target_uid, input_name) or _source_problem(
        jobs, source_uid, output_name
    )
    if problem:
        return f"{what}: {problem}"
    group = jobs[target_uid].input(input_name)
    output = jobs[source_uid].output(output_name)
    assert group is not None and output is not None
    if not 0 <= connection_idx < len(group.connections):
        return f"{what}: input {input_name!r} has {len(group.connections)} connection(s)"
    slot = next((s for s in group.spec.slots if s.name == slot_name), None)
    if slot is None:
        names = ", ".join(s.name for s in group.spec.slots)
        return f"{what}: input {input_name!r} has no slot {slot_name!r} (slots: {names})"
    result = output.result(result_name)
    if result is None:
        names = ", ".join(r.name for r in output.results)
        return f"{what}: {source_uid}.{output_name} has no result {result_name!r} ({names})"
    if result.type != slot.type:
        return f"{what}: slot {slot_name!r} takes {slot.type}, {source_label} is {result.type}"
    if version != "F" and version not in result.versions:
        return f"{what}: {source_label} has no version {version} (versions {result.versions})"
    cycle = cycle_through(jobs, target_uid, source_uid)
    if cycle:
        return f"{what}: this would create a cycle ({cycle})"
    return None


def refuse_clear(
    jobs: Jobs, target_uid: str, input_name: str, connection_idx: int, slot_name: str
) -> str | None:
    what = f"cannot clear {target_uid}.{input_name}[{connection_idx}].{slot_name}"
    problem = _target_problem(jobs, target_uid, input_name)
    if problem:
        return f"{what}: {problem}"
    group = jobs[target_uid].input(input_name)
    assert group is not None
    if not 0 <= connection_idx < len(group.connections):
        return f"{what}: input {input_name!r} has {len(group.connections)} connection(s)"
    slot = next((s for s in group.spec.slots if s.name == slot_name), None)
    if slot is None:
        return f"{what}: input {input_name!r} has no slot {slot_name!r}"
    if slot.required:
        return f"{what}: slot {slot_name!r} is required and cannot be cleared"
    return None


def refuse_disconnect(
    jobs: Jobs, target_uid: str, input_name: str, connection_idx: int | None
) -> str | None:
    what = f"cannot disconnect {target_uid}.{input_name}"
    problem = _target_problem(jobs, target_uid, input_name)
    if problem:
        return f"{what}: {problem}"
    group = jobs[target_uid].input(input_name)
    assert group is not None
    if connection_idx is not None and not 0 <= connection_idx < len(group.connections):
        return f"{what}[{connection_idx}]: it has {len(group.connections)} connection(s)"
    return None


def input_problems(jobs: Jobs, job: JobState, input_name: str) -> list[str]:
    """Every reason the input is not met; empty when it is. A slot whose result has gone
    (a class group that a parameter change removed, a passthrough that is no longer
    passed) is named, never dropped."""
    group = job.input(input_name)
    if group is None:
        raise KeyError(f"{job.uid} has no input {input_name!r}")
    spec = group.spec
    problems = []
    if len(group.connections) < spec.count_min:
        problems.append(f"needs at least {spec.count_min} group(s), has {len(group.connections)}")
    for index, connection in enumerate(group.connections):
        source = jobs.get(connection.job_uid)
        if source is None:
            problems.append(f"connection {index}: {connection.job_uid} no longer exists")
            continue
        if source.output(connection.group_name) is None:
            problems.append(
                f"connection {index}: {connection.job_uid} no longer has an output "
                f"{connection.group_name!r}"
            )
            continue
        for slot in spec.slots:
            if slot.required and connection.slot(slot.name) is None:
                problems.append(f"required slot {slot.name!r} is empty in connection {index}")
        for entry in connection.slots:
            if not _result_exists(jobs, entry):
                what = f"slot {entry.slot_name!r}" if entry.slot_name else "passthrough"
                problems.append(
                    f"{what} of connection {index} reads {entry.label()}, which no longer exists"
                )
    return problems


def _result_exists(jobs: Jobs, entry: SlotConnection) -> bool:
    source = jobs.get(entry.job_uid)
    output = source.output(entry.group_name) if source else None
    return output is not None and output.result(entry.result_name) is not None


def depends_on(jobs: Jobs, job_uid: str, ancestor_uid: str) -> bool:
    """True when ``job_uid`` is ``ancestor_uid`` or reads from it, directly or not."""
    return upstream_path(jobs, job_uid, ancestor_uid) is not None


def upstream_path(jobs: Jobs, job_uid: str, ancestor_uid: str) -> list[str] | None:
    """The jobs from ``job_uid`` up to ``ancestor_uid``, each reading from the next
    (``[job_uid, ..., ancestor_uid]``), or None when ``job_uid`` does not read from it."""
    came_from: dict[str, str | None] = {job_uid: None}
    stack = [job_uid]
    while stack:
        uid = stack.pop()
        if uid == ancestor_uid:
            path = [uid]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for parent in sorted(jobs[uid].upstream()) if uid in jobs else ():
            if parent not in came_from:
                came_from[parent] = uid
                stack.append(parent)
    return None


def cycle_through(jobs: Jobs, target_uid: str, source_uid: str) -> str | None:
    """The cycle that making ``target_uid`` read from ``source_uid`` would close, in the
    direction data flows (``"J5 -> J7 -> J5"``), or None."""
    path = upstream_path(jobs, source_uid, target_uid)
    if path is None:
        return None
    flow = path[::-1]  # the target feeds ... feeds the source, which would feed the target
    return " -> ".join([*flow, target_uid])


def _target_problem(jobs: Jobs, target_uid: str, input_name: str) -> str | None:
    target = jobs.get(target_uid)
    if target is None:
        return f"there is no job {target_uid}"
    if target.status != "building":
        return f"{target_uid} is {target.status}; only a building job's inputs can change"
    if target.input(input_name) is None:
        names = ", ".join(g.spec.name for g in target.inputs) or "none"
        return f"{target_uid} has no input {input_name!r} (inputs: {names})"
    return None


def _source_problem(jobs: Jobs, source_uid: str, output_name: str) -> str | None:
    source = jobs.get(source_uid)
    if source is None:
        return f"there is no job {source_uid}"
    if source.output(output_name) is None:
        names = ", ".join(g.spec.name for g in source.outputs) or "none"
        return f"{source_uid} has no output {output_name!r} (outputs: {names})"
    return None
