"""``Job`` and ``ExternalJob``: handles on one job of a project, with cryosparc-tools' verbs.

A handle holds only the project and the uid; every read goes to the project's
current state, so handles stay valid across undo and redo.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..data import Dataset
from ..data.images import Rows, read_frames, read_volume, row_indices
from . import commands, pipeline, resolve
from .catalog import CATALOG
from .errors import JobError
from .model import InputGroup, JobState, OutputGroup, OutputResult, Status, Version
from .params import ParamState, params_of
from .paths import PathOutsideProject, parts
from .pipeline import InputStatus
from .resolve import Resolved
from .result_groups import write_csg
from .result_types import result_type_for
from .specs import InputSpec, OutputSpec, ParamValue, ResultSpec, SlotSpec

if TYPE_CHECKING:
    from .project import Project


def handle(project: Project, uid: str) -> Job:
    return (
        ExternalJob(project, uid) if project.state(uid).type == "snowflake" else Job(project, uid)
    )


class Job:
    """One job of a project: ``project.job("J4")``."""

    def __init__(self, project: Project, uid: str) -> None:
        self.project = project
        self.uid = uid

    def __repr__(self) -> str:
        state = self.state
        return f"<Job {self.uid} {state.type} {state.title!r} ({state.status})>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Job) and (other.project, other.uid) == (self.project, self.uid)

    def __hash__(self) -> int:
        return hash((id(self.project), self.uid))

    @property
    def state(self) -> JobState:
        return self.project.state(self.uid)

    @property
    def type(self) -> str:
        return self.state.type

    @property
    def title(self) -> str:
        return self.state.title

    @property
    def status(self) -> Status:
        return self.state.status

    # -- connections, with cryosparc-tools' verbs ------------------------------------------

    def connect(self, target_input: str, source_job_uid: str, source_output: str) -> None:
        """Connect a whole output group of another job (of any status: a chain can be
        built before any of it runs) to one of this job's inputs."""
        self.project.apply(commands.Connect(self.uid, target_input, source_job_uid, source_output))

    def connect_result(
        self,
        target_input: str,
        connection_idx: int,
        slot: str,
        source_job_uid: str,
        source_output: str,
        source_result: str,
        source_version: Version = "F",
    ) -> None:
        """Fill one slot of one connection with a result of any job, at any version."""
        self.project.apply(
            commands.ConnectResult(
                self.uid,
                target_input,
                connection_idx,
                slot,
                source_job_uid,
                source_output,
                source_result,
                source_version,
            )
        )

    def disconnect(self, target_input: str, connection_idx: int | None = None) -> None:
        """Remove one connection of an input, or all of them."""
        self.project.apply(commands.Disconnect(self.uid, target_input, connection_idx))

    def clear_slot(self, target_input: str, connection_idx: int, slot: str) -> None:
        """Empty an optional slot of one connection."""
        self.project.apply(commands.ClearSlot(self.uid, target_input, connection_idx, slot))

    def set_title(self, title: str) -> None:
        self.project.apply(commands.SetTitle(self.uid, title))

    def set_position(self, x: float, y: float) -> None:
        self.project.apply(commands.SetPosition(self.uid, x, y))

    def input_status(self, name: str) -> InputStatus:
        """Whether input ``name`` is ready: ``"ready"``, ``"waiting"`` for parents that have
        not completed (``waiting_for`` names them with their status), or ``"unmet"`` with
        every reason (``reasons``)."""
        return pipeline.input_status(self.project.states, self.state, name)

    # -- parameters -------------------------------------------------------------------------

    @property
    def params(self) -> dict[str, ParamState]:
        """Every parameter by key: its value, default, and whether it was set."""
        return params_of(CATALOG.get(self.type), self.state.params)

    def set_param(self, name: str, value: ParamValue) -> None:
        """Set a parameter of this building job (one undoable edit). A wrong type, a value
        out of range, an unknown choice or name is refused (``ParameterError``) and
        nothing changes."""
        self.project.apply(commands.SetParam(self.uid, name, value))

    def clear_param(self, name: str) -> None:
        """Put a parameter back to its default (one undoable edit)."""
        self.project.apply(commands.SetParam(self.uid, name, clear=True))

    # -- data -------------------------------------------------------------------------------

    def resolve_input(self, name: str, slots: Sequence[str] | None = None) -> Dataset:
        """The dataset this input gives the job: each connection's results joined on uid,
        the connections appended. With ``slots``, only those slots' files are read and
        joined (passthroughs are left out), as cryosparc-tools' ``load_input`` does.

        Raises
        ------
        JobError
            When the input is unmet, or a parent has not completed (named with its status).
        """
        return self.resolve(name, slots).dataset

    def resolve(self, name: str, slots: Sequence[str] | None = None) -> Resolved:
        """``resolve_input``, with where each field came from beside the dataset:
        ``resolved.provenance["blob/path"]`` holds one source per connection."""
        status = self.input_status(name)
        if status.state == "unmet":
            raise JobError(f"{self.uid}.{name} is not ready: {status.describe()}")
        if status.state == "waiting":
            raise JobError(
                f"{self.uid}.{name} cannot be read yet: its parent(s) have not completed, "
                f"{status.describe()}"
            )
        return resolve.resolve_input(
            self.project.locate, self.project.states, self.state, name, slots
        )

    def load_output(
        self, name: str, version: Version = "F", slots: Sequence[str] | None = None
    ) -> Dataset:
        """A completed job's output group, its results' files joined on uid; with
        ``slots``, only those results are read."""
        return resolve.load_output(self.project.locate, self.state, name, version, slots).dataset

    # -- pictures -------------------------------------------------------------------------

    def load_images(
        self, output: str, slot: str = "blob", rows: Rows = None, version: Version | None = None
    ) -> np.ndarray:
        """The images of an output's ``slot`` (``blob``, ``micrograph_blob``, a thumbnail
        result) as float32 ``(n, ny, nx)``, for ``rows`` (all by default; a ``range``, a
        slice, integer indices or a boolean mask) in row order of
        ``load_output(output, version)``. Only the frames asked are read, each
        file opened once, memory-mapped, frame ``<slot>/idx`` of ``<slot>/path``.

        Examples
        --------
        >>> tiles = project.job("J6").load_images("particles", rows=range(64))  # doctest: +SKIP
        >>> tiles.shape                                                         # doctest: +SKIP
        (64, 24, 24)

        Raises
        ------
        ImageRefused
            A file that is not MRC, a frame past the end of its stack, a shape that
            disagrees with ``<slot>/shape`` (each naming the file).
        FileRefused
            A missing file (``FileMissing``) or one that is not a regular file.
        PathOutsideProject
            A path that leaves the project (``image_path`` says which links are followed).
        """
        group = self.state.output(output)
        # The output's own results say which rows it holds: a passthrough's file may hold more.
        own = [r.name for r in group.results if not r.passthrough] if group else []
        slots = [slot, *(name for name in own if name != slot)]
        dataset = self.load_output(output, "F" if version is None else version, slots=slots)
        return dataset_images(self.project, dataset, slot, rows, f"{self.uid}.{output}")

    def input_images(self, input: str, slot: str = "blob", rows: Rows = None) -> np.ndarray:
        """The images input ``input`` gives the job through ``slot``, overrides honoured
        (after the ``blob`` override of the guide, the full-size particles), in row order
        of ``resolve_input(input)``; as ``load_images`` otherwise."""
        dataset = self.resolve_input(input)
        return dataset_images(self.project, dataset, slot, rows, f"{self.uid}.{input}")

    def load_volume(
        self, output: str, slot: str = "map", version: Version | None = None
    ) -> np.ndarray:
        """The volume of an output's ``slot`` (``map``, ``map_sharp``, ``map_half_A``, a
        mask) as float32 ``(nz, ny, nx)``; refused as ``load_images`` is, and when the file
        holds another shape than ``<slot>/shape``.

        Examples
        --------
        >>> half_a = project.job("J10").load_volume("volume", "map_half_A")  # doctest: +SKIP
        """
        dataset = self.load_output(output, "F" if version is None else version, slots=[slot])
        if len(dataset) != 1:
            raise JobError(f"{self.uid}.{output} holds {len(dataset)} volumes, not one")
        shape = dataset[f"{slot}/shape"][0] if f"{slot}/shape" in dataset else None
        path = str(dataset.strings(f"{slot}/path")[0])
        return read_volume(path, shape, lambda name: image_path(self.project, name))

    # -- export ---------------------------------------------------------------------------

    def export_output(
        self, name: str, folder: str | os.PathLike[str], version: Version = "F"
    ) -> Path:
        """Write an output group as a ``.csg`` and ``.cs`` that CryoSPARC's Import Result
        Group job reads; returns the ``.csg`` path."""
        group = self.state.output(name)
        if group is None:
            raise JobError(f"{self.uid} has no output {name!r}")
        types = {r.name: r.type for r in group.results}
        return write_csg(
            self.load_output(name, version),
            folder,
            name,
            group.spec.type,
            types,
            title=group.spec.title,
            stem=f"{self.uid}_{name}",
        )

    def export_input(self, name: str, folder: str | os.PathLike[str]) -> Path:
        """Write the resolved input as a ``.csg`` and ``.cs``; returns the ``.csg`` path."""
        group = self.state.input(name)
        if group is None:
            raise JobError(f"{self.uid} has no input {name!r}")
        types = {
            entry.slot_name or entry.result_name: entry.result_type
            for connection in group.connections
            for entry in connection.slots
        }
        return write_csg(
            self.resolve_input(name),
            folder,
            name,
            group.spec.type,
            types,
            title=group.spec.title,
            stem=f"{self.uid}_input_{name}",
        )


class ExternalJob(Job):
    """A job whose inputs and outputs are declared from Python, for custom processing.

    Examples
    --------
    >>> job = project.create_external_job("Downsample")                   # doctest: +SKIP
    >>> job.add_input("particle", "particles", slots=["blob", "ctf"])      # doctest: +SKIP
    >>> job.connect("particles", "J1", "particles")                       # doctest: +SKIP
    >>> job.add_output("particle", "particles", slots=["blob"], passthrough="particles")
    >>> with job.run():                                                   # doctest: +SKIP
    ...     job.save_output("particles", smaller)
    """

    def add_input(
        self,
        type: str,
        name: str,
        min: int = 0,
        max: int | None = None,
        slots: Sequence[str | SlotSpec] = (),
        title: str | None = None,
    ) -> None:
        """Declare an input group of item ``type`` whose slots read the named results."""
        spec = InputSpec(
            name=name,
            type=type,
            title=title or name,
            slots=tuple(_slot(type, s) for s in slots),
            count_min=min,
            count_max=max,
        )
        state = self._building("add an input")
        if state.input(name) is not None:
            raise JobError(f"{self.uid} already has an input {name!r}")
        state.inputs.append(InputGroup(spec))
        self.project.apply(commands.ReplaceJob(state, f"add input {name!r}"))

    def add_output(
        self,
        type: str,
        name: str,
        slots: Sequence[str] = (),
        passthrough: str | None = None,
        title: str | None = None,
    ) -> None:
        """Declare an output group; ``passthrough`` names an input whose unread results
        the output carries on."""
        state = self._building("add an output")
        if state.output(name) is not None:
            raise JobError(f"{self.uid} already has an output {name!r}")
        if passthrough is not None:
            source = state.input(passthrough)
            if source is None or source.spec.type != type:
                raise JobError(f"{self.uid}: passthrough needs an input {passthrough!r} of {type}")
        results = tuple(ResultSpec(s, result_type_for(type, s)) for s in slots)
        spec = OutputSpec(name, type, title or name, results, passthrough)
        state.outputs.append(
            OutputGroup(spec, [OutputResult(r.name, r.type, name) for r in results])
        )
        self.project.apply(commands.ReplaceJob(state, f"add output {name!r}"))

    def save_output(self, name: str, dataset: Dataset) -> int:
        """Save a new version of an output's results; returns the version number.

        Each call writes one ``.cs`` file; the last saved version is ``"F"``. When the
        output passes an input through, that input's results the dataset does not
        hold are added as passthrough results.

        Raises
        ------
        JobError
            When the project is open read-only, the job is CryoSPARC's, completed, or has no
            such output, or the dataset lacks a result; no file is written then.
        """
        if self.project.read_only:
            raise JobError(f"{self.project.root} is open read-only: cannot save {self.uid}.{name}")
        if self.project.is_external(self.uid):
            raise JobError(
                f"cannot save {self.uid}.{name}: it belongs to the CryoSPARC project "
                f"{self.project.cryosparc_project}, which cryoweave never changes"
            )
        state = self.state.clone()
        if state.status == "completed":
            raise JobError(f"cannot save {self.uid}.{name}: the job is already completed")
        group = state.output(name)
        if group is None:
            raise JobError(f"{self.uid} has no output {name!r}")
        own = [r for r in group.results if not r.passthrough]
        missing = [r.name for r in own if r.name not in dataset.prefixes()]
        if missing:
            raise JobError(f"cannot save {self.uid}.{name}: the dataset lacks results {missing}")
        version = len(own[0].versions) if own else 0
        metafile = f"{self.uid}/{self.uid}_{name}_v{version}.cs"
        dataset.filter_prefixes([r.name for r in own]).save(self.project.root / metafile)
        for result in own:
            result.versions.append(version)
            result.metafiles.append(metafile)
            result.item_counts.append(len(dataset))
        group.num_items = len(dataset)
        if group.spec.passthrough:
            group.results = own + passthrough_results(self.project, state, group, dataset)
        self.project.apply(commands.ReplaceJob(state, f"save {name} version {version}"))
        return version

    def start(self) -> None:
        self._set_status("running")

    def stop(self, error: bool = False) -> None:
        self._set_status("failed" if error else "completed")

    @contextlib.contextmanager
    def run(self) -> Iterator[ExternalJob]:
        """``with job.run(): ...``: running inside, completed after (failed on error)."""
        self.start()
        try:
            yield self
        except BaseException:
            self.stop(error=True)
            raise
        self.stop()

    def _set_status(self, status: Status) -> None:
        state = replace(self.state.clone(), status=status)
        self.project.apply(commands.ReplaceJob(state, f"mark {status}"))

    def _building(self, what: str) -> JobState:
        state = self.state.clone()
        if state.status != "building":
            raise JobError(f"cannot {what} to {self.uid}: it is {state.status}")
        return state


def image_path(project: Project, name: str) -> Path:
    """Where the image file ``name`` of a dataset is: inside the project, as any file a
    document names (``Project.locate``), with one exception. An import job's ``imported/``
    folder holds links to the raw data where it lies (CryoSPARC's import jobs link, never
    copy, ``J1/imported/*.tif -> /data/...``): such a link is followed out of the project
    for its pixels, when the ``imported/`` folder itself is inside the project.

    Raises
    ------
    PathOutsideProject
        An absolute path, one whose ``..`` leaves the project, or any other link outside.
    """
    try:
        return project.locate(name)
    except PathOutsideProject:
        names = parts(name)
        state = project.states.get(names[0]) if len(names) > 2 else None
        imported = state is not None and state.type.startswith("import")
        if not imported or names[1] != "imported" or ".." in names:
            raise
        project.locate("/".join(names[:2]))  # the imported/ folder itself stays inside
        return project.locate(name, to_read=False)


def dataset_images(
    project: Project, dataset: Dataset, slot: str, rows: Rows, where: str
) -> np.ndarray:
    """The images ``slot`` of ``dataset`` names, for ``rows``, read from ``project``'s
    files as ``Job.load_images`` reads them; ``where`` names the dataset in a refusal.
    For a dataset already in hand (a resolved input kept by the widget), so that it is not
    loaded or resolved again."""
    if f"{slot}/path" not in dataset:
        raise JobError(f"{where} has no image result {slot!r} (results: {dataset.prefixes()})")
    picked = dataset.take(row_indices(rows, len(dataset)))
    fields = picked.fields()
    frames = picked[f"{slot}/idx"] if f"{slot}/idx" in fields else np.zeros(len(picked), int)
    shapes = picked[f"{slot}/shape"] if f"{slot}/shape" in fields else None
    return read_frames(
        picked.strings(f"{slot}/path"), frames, shapes, lambda name: image_path(project, name)
    )


def _slot(item_type: str, slot: str | SlotSpec) -> SlotSpec:
    if isinstance(slot, SlotSpec):
        return slot
    return SlotSpec(slot, result_type_for(item_type, slot))


def passthrough_results(
    project: Project, state: JobState, group: OutputGroup, dataset: Dataset
) -> list[OutputResult]:
    """The passthrough input's results that the saved dataset does not hold, each naming
    the file its source saved (``selection`` makes its jobs' outputs with this too)."""
    source = state.input(group.spec.passthrough or "")
    assert source is not None
    own = set(dataset.prefixes())
    results: list[OutputResult] = []
    for connection in source.connections:
        for entry in connection.slots:
            if entry.result_name in own or any(r.name == entry.result_name for r in results):
                continue
            upstream = project.state(entry.job_uid).output(entry.group_name)
            result = upstream.result(entry.result_name) if upstream else None
            if result is None or not result.versions:
                continue
            name = entry.slot_name or entry.result_name
            results.append(
                OutputResult(
                    name=name,
                    type=entry.result_type,
                    group_name=group.spec.name,
                    versions=[0],
                    metafiles=[result.metafile(entry.version)],
                    item_counts=[result.num_items],
                    passthrough=True,
                )
            )
    return results
