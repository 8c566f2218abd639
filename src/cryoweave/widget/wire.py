"""What the JobBuilder sends the front end, typed: each name mirrors a type of
``js/src/builder/protocol.ts``, key for key, which is the one definition of the wire.

mypy checks that Python builds these shapes; ``tests/widget/test_wire_contract.py`` checks
what Python really sends against protocol.ts's types with the TypeScript compiler, so the
two cannot drift apart unnoticed.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Version = int | Literal["F"]
JobStatus = Literal[
    "building", "queued", "launched", "started", "running", "waiting", "completed", "killed",
    "failed",
]  # fmt: skip
InputState = Literal["met", "waiting", "unmet"]


class ResultView(TypedDict):
    name: str
    type: str
    passthrough: bool
    versions: list[int]
    metafiles: list[str]
    num_items: int


class SlotView(TypedDict):
    name: str
    type: str
    required: bool
    title: str


class InputSpecWire(TypedDict):
    name: str
    type: str
    title: str
    slots: list[SlotView]
    count_min: int
    count_max: int | None
    repeat_allowed: bool
    requirements: str


class ResultSpecWire(TypedDict):
    name: str
    type: str


class OutputSpecWire(TypedDict):
    name: str
    type: str
    title: str
    results: list[ResultSpecWire]


class SpecWire(TypedDict):
    type_title: str
    section: str
    inputs: list[InputSpecWire]
    outputs: list[OutputSpecWire]


class SlotSourceWire(TypedDict):
    slot: str | None
    job: str
    group: str
    result: str
    result_type: str
    version: Version
    override: bool


class ConnectionWire(TypedDict):
    job: str
    group: str
    slots: list[SlotSourceWire]


class InputWire(TypedDict):
    status: InputState
    problems: list[str]
    connections: list[ConnectionWire]


class OutputWire(TypedDict):
    num_items: int
    results: NotRequired[list[ResultView]]


class JobWire(TypedDict):
    uid: str
    type: str
    spec: str
    title: str
    status: JobStatus
    position: list[float]  # [x, y]
    tags: list[str]
    external: bool
    inputs: list[InputWire]
    outputs: list[OutputWire]


class GraphHeader(TypedDict):
    title: str
    root: str
    read_only: bool
    can_undo: bool
    can_redo: bool
    undo_label: str
    redo_label: str
    revision: int
    laid_out: bool
    # The job the last edit made from Python (a notebook cell), "" when it made none or came
    # from the canvas: the canvas scrolls it into view once.
    made_in_python: str


class GraphWire(GraphHeader):
    specs: dict[str, SpecWire]
    jobs: list[JobWire]


class GraphPatch(GraphHeader):
    type: Literal["graph_patch"]
    base: int
    specs: dict[str, SpecWire]
    jobs: list[JobWire]
    removed: list[str]


class CatalogEntry(TypedDict):
    key: str
    title: str
    section: str
    description: str
