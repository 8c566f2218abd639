"""Turning a job's input (or output) into one dataset, as CryoSPARC does.

For each connection, the files of its slots (at their chosen versions) and of
its passthrough results are inner-joined on ``uid``; the connections are then
appended in order. Volumes and masks are single items per group and two jobs'
volumes never share a uid, so an overriding slot of a volume or mask input is
combined with its connection by position instead, keeping the connection's uid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data import Dataset, DatasetError
from .errors import JobError
from .model import Connection, JobState, SlotConnection, Version
from .rules import Jobs

POSITIONAL_ITEMS = {"volume", "mask"}


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
        at = "" if self.version == "F" else f"@v{self.version}"
        return f"{self.job_uid}.{self.output}.{self.result}{at}"

    def __str__(self) -> str:
        return f"{self.label()} ({self.file})"


def resolve_input(root: Path, jobs: Jobs, job: JobState, input_name: str) -> Dataset:
    group = job.input(input_name)
    if group is None:
        raise JobError(f"{job.uid} has no input {input_name!r}")
    if not group.connections:
        raise JobError(f"{job.uid}.{input_name} has no connection to resolve")
    positional = group.spec.type in POSITIONAL_ITEMS
    parts = [
        _resolve_connection(root, jobs, f"{job.uid}.{input_name}[{i}]", c, positional)
        for i, c in enumerate(group.connections)
    ]
    result = parts[0]
    if len(parts) > 1:
        try:
            result = Dataset.append_many(*parts, repeat_allowed=group.spec.repeat_allowed)
        except DatasetError as err:
            raise JobError(f"{job.uid}.{input_name}: {err}") from None
    # Per field, its source in each connection, in connection order.
    result.provenance = {
        name: tuple(part.provenance[name][0] for part in parts if name in part.provenance)
        for name in result.fields(exclude_uid=True)
    }
    return result


def load_output(root: Path, job: JobState, output_name: str, version: Version = "F") -> Dataset:
    """A completed job's output group at ``version``: its results' files joined on uid."""
    group = job.output(output_name)
    if group is None:
        names = ", ".join(g.spec.name for g in job.outputs)
        raise JobError(f"{job.uid} has no output {output_name!r} (outputs: {names})")
    entries = [
        SlotConnection(
            None, job.uid, output_name, r.name, r.type, "F" if r.passthrough else version
        )
        for r in group.results
        if r.versions
    ]
    if not entries:
        raise JobError(f"{job.uid}.{output_name} has no saved results")
    connection = Connection(job.uid, output_name, entries)
    positional = group.spec.type in POSITIONAL_ITEMS
    return _resolve_connection(
        root, {job.uid: job}, f"{job.uid}.{output_name}", connection, positional
    )


def _resolve_connection(
    root: Path, jobs: Jobs, where: str, connection: Connection, positional: bool
) -> Dataset:
    home = (connection.job_uid, connection.group_name)
    # Results stored in one file are read together, as one table (cryosparc-tools
    # likewise drops duplicate files before joining); a result filling a slot of
    # another name is read on its own, to be renamed.
    groups: dict[tuple[str, str | None], list[SlotConnection]] = {}
    slots = [e for e in connection.slots if e.slot_name is not None]
    for entry in [*slots, *connection.passthroughs()]:
        renamed = entry.slot_name not in (None, entry.result_name)
        key = (_metafile(jobs, where, entry), entry.slot_name if renamed else None)
        groups.setdefault(key, []).append(entry)
    tables = [_load_results(root, where, file, group) for (file, _), group in groups.items()]
    if positional:
        homes = [
            table
            for table, group in zip(tables, groups.values(), strict=True)
            if any((e.job_uid, e.group_name) == home for e in group)
        ]
        joined = _by_position(where, tables, homes[0] if homes else tables[0])
    else:
        try:
            joined = Dataset.innerjoin_many(*tables)
        except DatasetError as err:
            raise JobError(f"{where}: {err}") from None
    provenance: dict[str, tuple[FieldSource, ...]] = {}
    for table in tables:
        provenance.update(table.provenance)
    joined.provenance = {name: provenance[name] for name in joined.fields() if name in provenance}
    return joined


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


def _load_results(root: Path, where: str, metafile: str, entries: list[SlotConnection]) -> Dataset:
    """The fields of ``entries``' results from one file, named after the slots they fill."""
    try:
        dataset = Dataset.load(root / metafile)
    except FileNotFoundError:
        labels = ", ".join(entry.label() for entry in entries)
        raise JobError(f"{where}: {root / metafile} is missing (it holds {labels})") from None
    wanted = [entry.result_name for entry in entries]
    missing = [name for name in wanted if name not in dataset.prefixes()]
    if missing:
        raise JobError(f"{where}: {root / metafile} holds no fields of result(s) {missing}")
    dataset = dataset.filter_prefixes(wanted)
    provenance: dict[str, tuple[FieldSource, ...]] = {}
    for entry in entries:
        name = entry.slot_name or entry.result_name
        if name != entry.result_name:  # an override by a result of another name
            renamed = _renamed(dataset.array.dtype, entry.result_name, name)
            dataset = Dataset(dataset.array.view(renamed))
        source = FieldSource(
            entry.job_uid, entry.group_name, entry.result_name, entry.version, metafile
        )
        provenance.update({f: (source,) for f in dataset.fields() if f.startswith(f"{name}/")})
    dataset.provenance = provenance
    return dataset


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
