"""The JobBuilder's traits: JSON views of a project's jobs and of the job-type catalog.

The ``graph`` trait has the compact shapes ``GraphWire``, ``JobWire``, ``SpecWire``, ... of
``js/src/builder/protocol.ts``, key for key: the static parts of each job type (its input
groups with their slots, its output groups with their declared results) travel once in
``specs``, and each job carries only what is its own. The front end expands them back into
``GraphView`` in one place (``normalizeGraph``). They hold jobs, connections and counts,
never rows, so their size follows the number of jobs and not the number of particles.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..graph import JobError, Project, rules
from ..graph.catalog import CATALOG
from ..graph.model import Connection, InputGroup, JobState, OutputGroup, SlotConnection
from ..graph.pipeline import input_status
from ..graph.resolve import POSITIONAL_ITEMS
from ..graph.specs import InputSpec, OutputSpec
from .wire import (
    CatalogEntry,
    GraphHeader,
    GraphWire,
    InputState,
    InputWire,
    JobWire,
    OutputWire,
    SlotSourceWire,
    SpecWire,
)


def graph_view(project: Project, revision: int) -> GraphWire:
    """The ``graph`` trait: every job of ``project``, with what undo and redo would do."""
    root = project.root.resolve()
    specs: dict[str, SpecWire] = {}
    jobs = [job_view(project, root, state, specs) for state in project.states.values()]
    return {**graph_header(project, root, revision), "specs": specs, "jobs": jobs}


def graph_header(
    project: Project, root: Path, revision: int, made_in_python: str = ""
) -> GraphHeader:
    """The parts of the ``graph`` trait that are not jobs (``GraphHeader`` of protocol.ts);
    ``root`` is the project folder, resolved once by the caller; ``made_in_python`` the job the
    last edit made from a notebook cell, if any."""
    undo, redo = project.history, project.redo_history
    return {
        "title": project.title,
        "root": str(root),
        "read_only": project.read_only,
        "can_undo": bool(undo),
        "can_redo": bool(redo),
        "undo_label": undo[-1] if undo else "",
        "redo_label": redo[-1] if redo else "",
        "revision": revision,
        # A job moved by hand (or placed by a layout of the canvas): the positions are the
        # user's. Until then the canvas lays the project out when it first shows it.
        "laid_out": any(state.moved_by_hand for state in project.states.values()),
        "made_in_python": made_in_python,
    }


def catalog_view() -> list[CatalogEntry]:
    """The ``catalog`` trait: every job type a user can add, in the guide's order."""
    return [
        {
            "key": key,
            "title": spec.title,
            "section": spec.section,
            "description": spec.description,
        }
        for key, spec in CATALOG.items()
    ]


def job_view(project: Project, root: Path, state: JobState, specs: dict[str, SpecWire]) -> JobWire:
    """One job as ``JobWire``; the static parts of its type are put in ``specs`` if missing."""
    return {
        "uid": state.uid,
        "type": state.type,
        "spec": _spec_key(state, specs),
        "title": state.title,
        "status": state.status,
        "position": [state.position[0], state.position[1]],
        "tags": job_tags(project.states, state),
        "external": project.is_external(state.uid),
        "inputs": [_input_view(project.states, state, group) for group in state.inputs],
        "outputs": [_output_view(project, root, group) for group in state.outputs],
    }


def _spec_key(state: JobState, specs: dict[str, SpecWire]) -> str:
    """Where ``specs`` holds the static parts of ``state``'s job type, added if missing: the
    catalog key when they are the catalog's (most jobs), else the job's own uid (external
    jobs, imports, jobs of a CryoSPARC project that bring their own specs)."""
    inputs = tuple(group.spec for group in state.inputs)
    outputs = tuple(group.spec for group in state.outputs)
    catalog = CATALOG.get(state.type)
    shared = (
        catalog is not None
        and (catalog.inputs, catalog.outputs) == (inputs, outputs)
        and (catalog.title, catalog.section) == (state.type_title, state.section)
    )
    key = state.type if shared else state.uid
    if key not in specs:
        specs[key] = _spec_view(state.type_title, state.section, inputs, outputs)
    return key


def _spec_view(
    type_title: str,
    section: str,
    inputs: tuple[InputSpec, ...],
    outputs: tuple[OutputSpec, ...],
) -> SpecWire:
    return {
        "type_title": type_title,
        "section": section,
        "inputs": [
            {
                "name": spec.name,
                "type": spec.type,
                "title": spec.title,
                "slots": [
                    {
                        "name": slot.name,
                        "type": slot.type,
                        "required": slot.required,
                        "title": slot.title or slot.name,
                    }
                    for slot in spec.slots
                ],
                "count_min": spec.count_min,
                "count_max": spec.count_max,
                "repeat_allowed": spec.repeat_allowed,
                "requirements": spec.requirements(),
            }
            for spec in inputs
        ],
        "outputs": [
            {
                "name": spec.name,
                "type": spec.type,
                "title": spec.title,
                "results": [{"name": result.name, "type": result.type} for result in spec.results],
            }
            for spec in outputs
        ],
    }


def job_tags(jobs: rules.Jobs, state: JobState) -> list[str]:
    """Item counts for a job card: ``["6,012 particles", "1 volume"]``.

    A building job counts what its inputs would receive (the connected groups' items, added
    up as connections are appended; overrides may narrow that when the job resolves). Other
    jobs count their saved outputs by item type: outputs of one type often overlap (all
    particles, then each class), so the largest group is counted, except for volumes and
    masks, one item per group, which add up ("3 volumes").
    """
    if state.status == "building":
        tags = []
        for group in state.inputs:
            if group.connections:
                total = sum(_items(jobs, connection) for connection in group.connections)
                tags.append(_count(total, group.spec.type))
        return tags
    counts: dict[str, list[int]] = {}
    for output in state.outputs:
        if any(result.versions for result in output.results):
            counts.setdefault(output.spec.type, []).append(output.num_items)
    return [
        _count(sum(items) if item_type in POSITIONAL_ITEMS else max(items), item_type)
        for item_type, items in counts.items()
    ]


def _items(jobs: rules.Jobs, connection: Connection) -> int:
    source = jobs.get(connection.job_uid)
    output = source.output(connection.group_name) if source else None
    return output.num_items if output else 0


def _count(number: int, item_type: str) -> str:
    noun = item_type.replace("_", " ")
    return f"{number:,} {noun if number == 1 else noun + 's'}"


_INPUT_STATES: dict[str, InputState] = {"ready": "met", "waiting": "waiting", "unmet": "unmet"}


def _input_view(jobs: rules.Jobs, state: JobState, group: InputGroup) -> InputWire:
    status = input_status(jobs, state, group.spec.name)
    return {
        "status": _INPUT_STATES[status.state],
        "problems": [status.describe()] if status.state == "waiting" else status.reasons,
        "connections": [
            {
                "job": connection.job_uid,
                "group": connection.group_name,
                "slots": [_slot_source_view(connection, entry) for entry in connection.slots],
            }
            for connection in group.connections
        ],
    }


def _slot_source_view(connection: Connection, entry: SlotConnection) -> SlotSourceWire:
    # No label: the front end derives it as SlotConnection.label() does.
    return {
        "slot": entry.slot_name,
        "job": entry.job_uid,
        "group": entry.group_name,
        "result": entry.result_name,
        "result_type": entry.result_type,
        "version": entry.version,
        "override": connection.is_override(entry),
    }


def _output_view(project: Project, root: Path, group: OutputGroup) -> OutputWire:
    """``results`` is left out when the front end can tell them from the spec: exactly the
    declared results, none saved or passed through (a job being built)."""
    view: OutputWire = {"num_items": group.num_items}
    declared = [(result.name, result.type) for result in group.spec.results]
    if declared != [(result.name, result.type) for result in group.results] or any(
        result.versions or result.metafiles or result.num_items or result.passthrough
        for result in group.results
    ):
        view["results"] = [
            {
                "name": result.name,
                "type": result.type,
                "passthrough": result.passthrough,
                "versions": list(result.versions),
                "metafiles": [_relative(project, root, m) for m in result.metafiles],
                "num_items": result.num_items,
            }
            for result in group.results
        ]
    return view


def _relative(project: Project, root: Path, metafile: str) -> str:
    """A metafile relative to the project folder, as protocol.ts has it. The files of an
    opened CryoSPARC project's jobs are in that project's folder: those become
    ``../``-relative paths, which still lead to the file from ``root``. A path the project
    refuses to read (absolute, or leaving its folder) is shown as the document has it."""
    try:
        path = project.locate(metafile, to_read=False)  # shown, not read: no file touched
    except JobError:
        return metafile
    linked = project.cryosparc_project  # stored resolved, as ``root`` is: no file is touched
    if linked is None or not path.is_relative_to(linked):
        return os.path.relpath(path, project.root)  # this project's own file
    try:
        return os.path.relpath(path, root)
    except ValueError:  # another drive (Windows): no relative path exists
        return str(path)
