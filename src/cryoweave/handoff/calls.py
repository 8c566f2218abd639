"""The words of a plan: cryosparc-tools calls, the jobs they name, the data they upload."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

CREATES = ("create_job", "create_external_job")
"""The calls that make a job in CryoSPARC and return it: the first of every step."""

Via = Literal["external", "import"]
"""How an output only cryoweave has reaches CryoSPARC: ``"external"`` uploads its data
through the API into an External job; ``"import"`` writes a ``.csg`` that an Import Result
Group job reads from CryoSPARC's file system."""


@dataclass(frozen=True)
class Ref:
    """A job this plan creates, named by its cryoweave uid; CryoSPARC gives it its own."""

    uid: str

    def __repr__(self) -> str:
        return f"<{self.uid}>"


@dataclass(frozen=True)
class Data:
    """The rows of cryoweave output ``job.output`` that a ``save_output`` call uploads:
    the results in ``slots`` (all of them when None), written as ``file`` in the export
    folder."""

    job: str
    output: str
    slots: tuple[str, ...] | None

    @property
    def file(self) -> str:
        return f"{self.job}_{self.output}.cs"

    def __repr__(self) -> str:
        return f"<data of {self.job}.{self.output}>"


@dataclass(frozen=True)
class Call:
    """One cryosparc-tools call: ``method(*args, **kwargs)`` on the project (``on`` is
    None) or on the job the plan created for cryoweave job ``on``."""

    on: str | None
    method: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """``J13.connect_result('particles', 0, 'blob', 'J5', 'particles', 'blob', 'F')``."""
        parts = [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        owner = "project" if self.on is None else self.on
        return f"{owner}.{self.method}({', '.join(parts)})"


@dataclass(frozen=True)
class Export:
    """An output that exists only in cryoweave, sent ``via`` an External job (its data
    uploaded) or an Import Result Group job (its ``.csg`` read by CryoSPARC). ``folder`` is
    where its files are written; None for an upload that ``apply`` makes from memory."""

    job: str
    output: str
    via: Via
    folder: Path | None

    @property
    def csg(self) -> Path:
        """Where ``Job.export_output`` writes it for an Import Result Group job."""
        assert self.folder is not None
        return self.folder / f"{self.job}_{self.output}.csg"


@dataclass(frozen=True)
class Step:
    """What CryoSPARC must do for one job: its calls, the first one creating it."""

    uid: str
    what: str
    calls: tuple[Call, ...]
    export: Export | None = None

    @property
    def uploads(self) -> list[Data]:
        """The data this step's ``save_output`` calls upload."""
        return [a for call in self.calls for a in call.args if isinstance(a, Data)]


def runs(calls: tuple[Call, ...]) -> Iterator[tuple[Call, ...]]:
    """The calls one at a time, except that consecutive uploads (``save_output``) come
    together: an External job runs once around all of its uploads (``with job.run():``),
    and is marked completed after the last one."""
    group: list[Call] = []
    for call in calls:
        if call.method == "save_output":
            group.append(call)
            continue
        if group:
            yield tuple(group)
            group = []
        yield (call,)
    if group:
        yield tuple(group)
