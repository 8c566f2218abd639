"""Selections made by looking: chosen 2D classes, or particles whose field lies in a range,
as a new completed job (``Project.select_classes``, ``Project.select_particles``).

The job has the outputs of CryoSPARC's Select 2D: ``particles_selected`` and
``particles_excluded`` (and for classes ``templates_selected`` and ``templates_excluded``).
Each holds, as its own result, the rows chosen of the result the choice was made on
(``alignments2D`` for classes, the field's result otherwise), written to one ``.cs`` per
output before the edit; every other result of the source passes through, as CryoSPARC's
jobs pass them, so that loading an output joins the source's files on the kept uids.
Adding the job is one edit, undone by one ``undo``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..data import Dataset
from . import rules
from .catalog import job_spec
from .commands import AddJob
from .errors import ConnectionRefused, JobError
from .job import passthrough_results
from .model import JobState
from .pipeline import derived_outputs
from .project import state_from_spec
from .specs import InputSpec, JobSpec, OutputSpec, ResultSpec, SlotSpec

if TYPE_CHECKING:
    from .job import Job
    from .project import Project


def select_classes(
    project: Project, source: str, classes: Iterable[int], title: str | None = None
) -> Job:
    """A completed Select 2D job of ``source``'s (a 2D classification's) final particles
    and class averages: the particles whose ``alignments2D/class`` is in ``classes``, the
    class averages of those classes (class ``k`` is row ``k`` of the averages, as
    CryoSPARC writes them), and the others excluded.

    Raises
    ------
    JobError
        ``source`` has no ``particles`` with ``alignments2D`` or no ``class_averages``, has
        not completed, or a class is not one of its classes; nothing is written then.
    """
    job = project.job(source)
    averages = job.load_output("class_averages", slots=["blob"])
    chosen = np.unique(np.asarray(list(classes), dtype=np.int64))
    unknown = chosen[(chosen < 0) | (chosen >= len(averages))]
    if unknown.size:
        raise JobError(
            f"cannot select classes {unknown.tolist()} of {source}: its classes are "
            f"0 to {len(averages) - 1}"
        )
    particles = job.load_output("particles", slots=["alignments2D"])
    keep = np.isin(particles["alignments2D/class"], chosen)
    keep_class = np.isin(np.arange(len(averages)), chosen)
    spec = job_spec("select_2D")
    title = title or f"Select {len(chosen)} classes of {source}"
    state = state_from_spec(project.reserve_uid(), spec, title)
    connections = {"particles": "particles", "templates": "class_averages"}
    rows = {
        "particles_selected": particles.mask(keep),
        "particles_excluded": particles.mask(~keep),
        "templates_selected": averages.mask(keep_class),
        "templates_excluded": averages.mask(~keep_class),
    }
    return _add(project, state, source, connections, rows)


def select_particles(
    project: Project,
    source: str,
    output: str,
    field: str,
    low: float | None = None,
    high: float | None = None,
    title: str | None = None,
) -> Job:
    """A completed external job of the particles of ``source.output`` whose numeric
    ``field`` lies in ``[low, high]`` (either end open when None; NaN is never kept), in
    ``particles_selected``, the others in ``particles_excluded``.

    Examples
    --------
    >>> project.select_particles("J3", "particles", "ctf/ctf_fit_to_A", high=6.0)
    ... # doctest: +SKIP

    Raises
    ------
    JobError
        No such output or field, a field that is not a number per particle, or ``low``
        above ``high``; nothing is written then.
    """
    job = project.job(source)
    group = job.state.output(output)
    if group is None:
        raise JobError(f"{source} has no output {output!r}")
    result = field.split("/", 1)[0]
    names = [r.name for r in group.results]
    if result not in names:
        raise JobError(f"{source}.{output} has no result {result!r} for the field {field!r}")
    dataset = job.load_output(output, slots=[result])
    if field not in dataset.fields():
        raise JobError(f"{source}.{output}.{result} has no field {field!r}")
    values = dataset[field]
    if values.dtype.kind not in "iuf" or values.ndim != 1:
        raise JobError(
            f"cannot select on {field!r}: it holds {values.dtype}{list(values.shape[1:])}, "
            "not one number per particle"
        )
    if low is not None and high is not None and low > high:
        raise JobError(f"cannot select {field!r} from {low} to {high}: the range is empty")
    keep = np.isfinite(values) if values.dtype.kind == "f" else np.ones(len(values), bool)
    keep &= True if low is None else values >= low
    keep &= True if high is None else values <= high
    spec = _range_spec(group.spec.type, group.results[names.index(result)].type, result)
    title = title or f"{field} {_range_text(low, high)} of {source}"
    state = state_from_spec(project.reserve_uid(), spec, title)
    rows = {"particles_selected": dataset.mask(keep), "particles_excluded": dataset.mask(~keep)}
    return _add(project, state, source, {"particles": output}, rows)


def _range_spec(item_type: str, result_type: str, result: str) -> JobSpec:
    """An external job that reads ``result`` of particles and splits them in two."""
    slot = SlotSpec(result, result_type)
    inputs = (InputSpec("particles", item_type, "Particles", (slot,), 1, 1),)
    outputs = tuple(
        OutputSpec(name, item_type, title, (ResultSpec(result, result_type),), "particles")
        for name, title in (
            ("particles_selected", "Selected particles"),
            ("particles_excluded", "Excluded particles"),
        )
    )
    return JobSpec(
        "snowflake", "Select particles", "External", "Particles of a field's range", inputs, outputs
    )


def _range_text(low: float | None, high: float | None) -> str:
    if low is None:
        return f"up to {high}" if high is not None else "any"
    return f"from {low}" + (f" to {high}" if high is not None else "")


def _add(
    project: Project,
    state: JobState,
    source: str,
    connections: Mapping[str, str],
    rows: Mapping[str, Dataset],
) -> Job:
    """Connect ``state``'s inputs to ``source``'s outputs, write each output's own rows,
    complete it and add it as one edit (its files taken away if the edit is refused)."""
    jobs = {**project.states, state.uid: state}
    for input_name, output_name in connections.items():
        reason = rules.refuse_connect(jobs, state.uid, input_name, source, output_name)
        if reason:
            raise ConnectionRefused(reason)
        connection = rules.plan_connection(jobs, state.uid, input_name, source, output_name)
        target = state.input(input_name)
        assert target is not None
        target.connections.append(connection)
    state.outputs = derived_outputs(state, jobs)
    folder = project.root / state.uid
    folder.mkdir(exist_ok=True)
    written = []
    try:
        for group in state.outputs:
            dataset = rows[group.spec.name]
            own = [r for r in group.results if not r.passthrough]
            metafile = f"{state.uid}/{state.uid}_{group.spec.name}.cs"
            dataset.filter_prefixes([r.name for r in own]).save(project.root / metafile)
            written.append(project.root / metafile)
            for result in own:
                result.versions, result.metafiles = [0], [metafile]
                result.item_counts = [len(dataset)]
            group.results = own + passthrough_results(project, state, group, dataset)
            group.num_items = len(dataset)
        state.status = "completed"
        project.apply(AddJob(state))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
        raise
    return project.job(state.uid)
