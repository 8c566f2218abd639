"""Turning a job's input (or output) into one dataset, as CryoSPARC does.

For each connection, the files of its slots (at their chosen versions) and of
its passthrough results are inner-joined on ``uid``; the connections are then
appended in order. Volumes and masks are single items per group and two jobs'
volumes never share a uid, so an overriding slot of a volume or mask input is
combined with its connection by position instead, keeping the connection's uid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data import CsFormatError, Dataset, DatasetError
from ..data.files import FileMissing, FileRefused
from .errors import JobError
from .model import Connection, JobState, SlotConnection, Version, result_label
from .rules import Jobs

POSITIONAL_ITEMS = {"volume", "mask"}

Locate = Callable[[str], Path]
"""Where a metafile named in a document is (``Project.locate``); refuses paths outside."""
Provenance = dict[str, tuple["FieldSource", ...]]


@dataclass(frozen=True)
class FieldSource:
    """Where one field of a resolved dataset came from."""

    job_uid: str
    output: str
    result: str
    version: Version
    file: str

    def label(self) -> str:
        """``J3.particles.ctf`` (with ``@v2`` when not the final version)."""
        return result_label(self.job_uid, self.output, self.result, self.version)

    def __str__(self) -> str:
        return f"{self.label()} ({self.file})"


@dataclass(frozen=True)
class Resolved:
    """A resolved input or output: the dataset, and where each of its fields came from
    (per field, one source per connection that supplied it, in connection order)."""

    dataset: Dataset
    provenance: Provenance


def resolve_input(
    locate: Locate,
    jobs: Jobs,
    job: JobState,
    input_name: str,
    slots: Sequence[str] | None = None,
) -> Resolved:
    """The dataset input ``input_name`` of ``job`` gives it; with ``slots``, only the
    files of those slots are read (no passthroughs)."""
    group = job.input(input_name)
    if group is None:
        raise JobError(f"{job.uid} has no input {input_name!r}")
    if not group.connections:
        raise JobError(f"{job.uid}.{input_name} has no connection to resolve")
    wanted = _wanted_slots(f"{job.uid}.{input_name}", [s.name for s in group.spec.slots], slots)
    positional = group.spec.type in POSITIONAL_ITEMS
    parts = [
        _resolve_connection(locate, jobs, f"{job.uid}.{input_name}[{i}]", c, positional, wanted)
        for i, c in enumerate(group.connections)
    ]
    dataset = parts[0].dataset
    if len(parts) > 1:
        try:
            dataset = Dataset.append_many(
                *(p.dataset for p in parts), repeat_allowed=group.spec.repeat_allowed
            )
        except DatasetError as err:
            raise JobError(f"{job.uid}.{input_name}: {err}") from None
    provenance = {
        name: tuple(part.provenance[name][0] for part in parts if name in part.provenance)
        for name in dataset.fields(exclude_uid=True)
    }
    return Resolved(dataset, provenance)


def load_output(
    locate: Locate,
    job: JobState,
    output_name: str,
    version: Version = "F",
    slots: Sequence[str] | None = None,
) -> Resolved:
    """A job's output group at ``version``: its results' files joined on uid (only the
    results named in ``slots`` when given)."""
    group = job.output(output_name)
    if group is None:
        names = ", ".join(g.spec.name for g in job.outputs)
        raise JobError(f"{job.uid} has no output {output_name!r} (outputs: {names})")
    where = f"{job.uid}.{output_name}"
    wanted = _wanted_slots(where, [r.name for r in group.results], slots)
    entries = [
        SlotConnection(
            None, job.uid, output_name, r.name, r.type, "F" if r.passthrough else version
        )
        for r in group.results
        if r.versions and (wanted is None or r.name in wanted)
    ]
    if not entries:
        raise JobError(f"{where} has no saved results")
    connection = Connection(job.uid, output_name, entries)
    positional = group.spec.type in POSITIONAL_ITEMS
    return _resolve_connection(locate, {job.uid: job}, where, connection, positional, None)


def _wanted_slots(
    where: str, names: Sequence[str], slots: Sequence[str] | None
) -> frozenset[str] | None:
    if slots is None:
        return None
    if isinstance(slots, str):
        raise JobError(f"{where}: slots is a list of names, e.g. [{slots!r}]")
    unknown = [s for s in slots if s not in names]
    if unknown or not slots:
        raise JobError(f"{where}: no slot(s) {unknown or '(none asked)'}; it has {list(names)}")
    return frozenset(slots)


def _resolve_connection(
    locate: Locate,
    jobs: Jobs,
    where: str,
    connection: Connection,
    positional: bool,
    wanted: frozenset[str] | None,
) -> Resolved:
    home = (connection.job_uid, connection.group_name)
    # Results stored in one file are read together, as one table (cryosparc-tools
    # likewise drops duplicate files before joining); a result filling a slot of
    # another name is read on its own, to be renamed.
    groups: dict[tuple[str, str | None], list[SlotConnection]] = {}
    slots = [e for e in connection.slots if e.slot_name is not None]
    entries = [*slots, *connection.passthroughs()]
    if wanted is not None:
        entries = [e for e in entries if (e.slot_name or e.result_name) in wanted]
        if not entries:
            raise JobError(f"{where}: none of the slots {sorted(wanted)} is filled")
    for entry in entries:
        renamed = entry.slot_name not in (None, entry.result_name)
        key = (_metafile(jobs, where, entry), entry.slot_name if renamed else None)
        groups.setdefault(key, []).append(entry)
    tables = [_load_results(locate, where, file, group) for (file, _), group in groups.items()]
    datasets = [table.dataset for table in tables]
    if len(datasets) == 1:
        joined = datasets[0]
    elif positional:
        homes = [
            table.dataset
            for table, group in zip(tables, groups.values(), strict=True)
            if any((e.job_uid, e.group_name) == home for e in group)
        ]
        joined = _by_position(where, datasets, homes[0] if homes else datasets[0])
    else:
        try:
            joined = Dataset.innerjoin_many(*datasets)
        except DatasetError as err:
            raise JobError(f"{where}: {err}") from None
    provenance: Provenance = {}
    for table in tables:
        provenance.update(table.provenance)
    return Resolved(
        joined, {name: provenance[name] for name in joined.fields() if name in provenance}
    )


def _metafile(jobs: Jobs, where: str, entry: SlotConnection) -> str:
    source = jobs.get(entry.job_uid)
    output = source.output(entry.group_name) if source else None
    result = output.result(entry.result_name) if output else None
    if result is None:
        raise JobError(f"{where}: {entry.label()} no longer exists")
    try:
        return result.metafile(entry.version)
    except KeyError as err:
        raise JobError(f"{where}: {err.args[0]}") from None


def _load_results(
    locate: Locate, where: str, metafile: str, entries: list[SlotConnection]
) -> Resolved:
    """The fields of ``entries``' results from one file, named after the slots they fill."""
    labels = ", ".join(entry.label() for entry in entries)
    try:
        path = locate(metafile)
    except JobError as err:
        raise JobError(f"{where}: {labels} cannot be read: {err}") from None
    try:
        dataset = Dataset.load(path)
    except FileMissing:
        raise JobError(f"{where}: {path} is missing (it holds {labels})") from None
    except FileRefused as err:  # a folder, a named pipe, no permission, ...
        raise JobError(
            f"{where}: {path} cannot be read ({err.reason}; it holds {labels})"
        ) from None
    except CsFormatError as err:
        raise JobError(f"{where}: {labels} cannot be read: {err}") from None
    wanted = [entry.result_name for entry in entries]
    missing = [name for name in wanted if name not in dataset.prefixes()]
    if missing:
        raise JobError(f"{where}: {path} holds no fields of result(s) {missing}")
    if set(wanted) != set(dataset.prefixes()):
        dataset = dataset.filter_prefixes(wanted)
    provenance: Provenance = {}
    for entry in entries:
        name = entry.slot_name or entry.result_name
        if name != entry.result_name:  # an override by a result of another name
            renamed = _renamed(dataset.array.dtype, entry.result_name, name)
            dataset = Dataset(dataset.array.view(renamed))
        source = FieldSource(
            entry.job_uid, entry.group_name, entry.result_name, entry.version, metafile
        )
        provenance.update({f: (source,) for f in dataset.fields() if f.startswith(f"{name}/")})
    return Resolved(dataset, provenance)


def _renamed(dtype: np.dtype[Any], old: str, new: str) -> np.dtype[Any]:
    """The same record layout with fields ``old/x`` named ``new/x``."""
    names = list(dtype.names or ())
    renamed: np.dtype[Any] = np.dtype(
        {  # type: ignore[call-overload]
            "names": [n if n == "uid" else new + n[len(old) :] for n in names],
            "formats": [dtype.fields[n][0] for n in names],  # type: ignore[index]
            "offsets": [dtype.fields[n][1] for n in names],  # type: ignore[index]
            "itemsize": dtype.itemsize,
        }
    )
    return renamed


def _by_position(where: str, tables: list[Dataset], own: Dataset) -> Dataset:
    """Volumes and masks: one row each; keep the connection's own uid."""
    sizes = {len(t) for t in tables}
    if len(sizes) != 1:
        raise JobError(
            f"{where}: cannot combine volume results by position: their files hold "
            f"{sorted(sizes)} rows"
        )
    aligned = []
    for table in tables:
        array = table.array.copy()
        array["uid"] = own["uid"]
        aligned.append(Dataset(array))
    return Dataset.innerjoin_many(*aligned)
