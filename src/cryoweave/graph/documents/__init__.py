"""CryoSPARC's job documents (``J<n>/job.json``): the one home of their shapes.

Two shapes exist in the wild, and a project upgraded from CryoSPARC 4 to 5 holds both:

- **v5** (CryoSPARC 5, ``v5.py``): ``spec.type``, ``spec.params``, ``spec.inputs`` and
  ``spec.outputs`` as dicts by name, slots typed by ``dtype`` (``blob``, ``ctf``) with the
  item type on the input or output. Read and written through cryosparc-tools' own pydantic
  models (``cryosparc.models.job.Job``), so what cryoweave writes is the peer's document.
- **v4** (CryoSPARC 4, ``v4.py``): ``input_slot_groups``, ``output_result_groups``,
  ``output_results``. Read only, tolerantly: ``num_items`` an int or a per-version list,
  optional keys missing.

The shape is detected per document. Everything here turns a document into a
:class:`~cryoweave.graph.model.JobState` or back, and raises :class:`DocumentError`
(naming the field) for anything else; it never touches disk.
"""

from __future__ import annotations

from typing import Literal

from cryosparc.models.job import Job as CryosparcJob

from ..model import JobState
from .common import STATUSES, DocumentError, first_error, parse_json
from .v4 import TILE_HEIGHT_PX, TILE_WIDTH_PX, state_from_v4
from .v5 import as_v5, state_from_v5, to_v5, v5_bytes

__all__ = [
    "STATUSES",
    "TILE_HEIGHT_PX",
    "TILE_WIDTH_PX",
    "DocumentError",
    "Shape",
    "parse_json",
    "read_job",
    "state_from_v4",
    "state_from_v5",
    "to_v5",
    "v5_bytes",
]


Shape = Literal["v4", "v5"]


# Keys only a v4 document has at its top level; a document with none of them is read as v5.
_V4_KEYS = frozenset({"input_slot_groups", "output_result_groups", "output_results"})


def read_job(data: bytes, uid: str) -> tuple[JobState, Shape]:
    """The job in ``data`` (a ``job.json``'s bytes) for the job folder ``uid``.

    Raises
    ------
    DocumentError
        When the bytes are not a v4 or v5 job document of job ``uid``; the message says
        which field is wrong and how.
    """
    # Most documents are v5, read in one pass. Otherwise the shape is told by the top-level
    # keys, never by text elsewhere: a v5 job may well be titled "input_slot_groups".
    attempt = as_v5(data) if b'"spec"' in data else None
    if isinstance(attempt, CryosparcJob):
        return state_from_v5(attempt, uid), "v5"
    doc = parse_json(data)
    if not (isinstance(doc, dict) and _V4_KEYS.isdisjoint(doc)):
        return state_from_v4(doc, uid), "v4"
    if attempt is None:
        attempt = as_v5(data)
        if isinstance(attempt, CryosparcJob):
            return state_from_v5(attempt, uid), "v5"
    raise DocumentError(f"not a CryoSPARC v5 job document ({first_error(attempt)})")
