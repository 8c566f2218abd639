"""Where a job is drawn when nobody said: a free spot of its own, beside its parents.

An edit that adds jobs without a position, or gives a job its first connection, places
them here before it is saved, so the positions are part of the edit (one undo reverts
both) and are saved like any move:

- jobs added together (one job, a workflow applied, a branch) keep their arrangement
  relative to each other: columns by depth among themselves, parents on the left, as the
  canvas's layered layout draws them; the whole block goes beside the parents it reads
  from, or, with none, beside the job created last;
- a job that was never moved by hand (``JobState.moved_by_hand``) moves beside its
  parents when it gets its first connection;
- the spot is the first free one going down from there: no card overlaps another, with
  the canvas's own spacing between them. Jobs moved by hand and positions given
  explicitly are never changed.

Card sizes are those the canvas assumes for a card it has not measured yet
(``estimateCard`` in ``js/src/builder/flow.ts``), with the tag line always counted, since
tags come and go as a job is connected and run.

Examples
--------
>>> project = Project.create("p")                                  # doctest: +SKIP
>>> j1 = project.import_dataset(particles(100), "particle", "particles")  # doctest: +SKIP
>>> j2 = project.create_job("class_2D_new")                         # doctest: +SKIP
>>> j2.connect("particles", "J1", "particles")  # J2 now stands right of J1  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .model import Changes, JobState, uid_number

# The canvas's card, as ``estimateCard`` (js/src/builder/flow.ts) sizes it: a fixed width, a
# header with the title, a tag line, then one row per input group (building jobs only) and
# one per output group, and a bottom margin.
CARD_WIDTH = 320.0
CARD_HEAD = 52.0
CARD_TAGS = 22.0
CARD_ROW = 24.0
CARD_FOOT = 8.0
# The spacing of the canvas's layered layout (LAYOUT_OPTIONS in js/src/builder/layout.ts):
# between a parent's column and its children's, and between cards of one column.
GAP_X = 90.0
GAP_Y = 40.0


@dataclass(frozen=True)
class Box:
    """A card's rectangle on the canvas: top-left corner, width and height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box, gap_x: float = 0.0, gap_y: float = 0.0) -> bool:
        """True when the two cards share some area, or come closer than the gaps."""
        return (
            self.x < other.right + gap_x
            and other.x < self.right + gap_x
            and self.y < other.bottom + gap_y
            and other.y < self.bottom + gap_y
        )


def card_size(state: JobState) -> tuple[float, float]:
    """The width and height of ``state``'s card (``estimateCard``, tag line included).

    Examples
    --------
    >>> card_size(project.state("J10"))    # completed: two output groups  # doctest: +SKIP
    (320.0, 130.0)
    """
    rows = len(state.outputs) + (len(state.inputs) if state.status == "building" else 0)
    return CARD_WIDTH, CARD_HEAD + CARD_TAGS + CARD_ROW * rows + CARD_FOOT


def card_box(state: JobState) -> Box:
    """Where ``state``'s card is drawn."""
    return Box(*state.position, *card_size(state))


def only_drawing_differs(state: JobState, current: JobState) -> bool:
    """True when ``state`` is ``current`` but for where the canvas draws it (its position,
    and whether it was moved by hand): a change the job document never holds."""
    return replace(state, position=current.position, moved_by_hand=current.moved_by_hand) == current


def place(jobs: Mapping[str, JobState], changes: Changes, also: Iterable[str] = ()) -> Changes:
    """``changes`` (an edit of ``jobs``), with a free spot for each job it adds without a
    position and each job it gives a first connection to, unless moved by hand, and for
    the jobs of ``also`` (left unplaced before: ``unplaced``).

    The jobs added are placed as one block that keeps their arrangement; then each job
    newly connected (or of ``also``, or whose card grew over another) moves beside its
    parents, by number. Every other job stays where it is.
    """
    added: list[str] = []
    connected: list[str] = []
    grown: list[str] = []
    for uid, state in changes.items():
        if state is None or state.moved_by_hand:
            continue
        current = jobs.get(uid)
        if current is None:
            added.append(uid)
        elif state.upstream() and not current.upstream():
            connected.append(uid)
        elif card_size(state)[1] > card_size(current)[1]:
            grown.append(uid)
    connected = sorted({*connected, *also} - set(added), key=uid_number)
    if not added and not connected and not grown:
        return changes
    after = {uid: state for uid, state in {**jobs, **changes}.items() if state is not None}
    # A card grown over another (more output groups: a class count raised) moves too.
    for uid in grown:
        box = card_box(after[uid])
        if any(card_box(s).overlaps(box) for other, s in after.items() if other != uid):
            connected = sorted({*connected, uid}, key=uid_number)
    if not added and not connected:
        return changes
    placed = dict(changes)
    unplaced = set(added) | set(connected)
    taken = [card_box(state) for uid, state in after.items() if uid not in unplaced]

    def put(uid: str, box: Box) -> None:
        placed[uid] = after[uid] = replace(after[uid], position=(box.x, box.y))
        unplaced.discard(uid)
        taken.append(box)

    if added:
        offsets = _arrangement([after[uid] for uid in added])
        width = max(box.right for box in offsets.values())
        height = max(box.bottom for box in offsets.values())
        parents = set().union(*(after[uid].upstream() for uid in added)) - set(added)
        x, y = _anchor(after, parents, unplaced)
        x, y = free_spot(taken, Box(x, y, width, height))
        for uid, offset in offsets.items():
            put(uid, replace(offset, x=x + offset.x, y=y + offset.y))
    for uid in connected:
        x, y = _anchor(after, after[uid].upstream(), unplaced)
        width, height = card_size(after[uid])
        put(uid, Box(*free_spot(taken, Box(x, y, width, height)), width, height))
    return placed


def unplaced(jobs: Mapping[str, JobState], changes: Changes) -> list[str]:
    """The jobs that ``changes`` leave at the origin, never moved by hand: those made while
    the project awaited the canvas's first layout and not laid out by it."""
    after = {**jobs, **changes}
    return [
        uid
        for uid, state in after.items()
        if state is not None and not state.moved_by_hand and state.position == (0.0, 0.0)
    ]


def free_spot(taken: Iterable[Box], wanted: Box) -> tuple[float, float]:
    """The top-left corner of the first spot at or below ``wanted`` where a card of its
    size overlaps none of ``taken`` (spaced by ``GAP_X``, ``GAP_Y``).

    Examples
    --------
    >>> free_spot([Box(0, 0, 320, 100)], Box(0, 0, 320, 100))
    (0.0, 140.0)
    """
    column = sorted(
        (box for box in taken if box.x < wanted.right + GAP_X and wanted.x < box.right + GAP_X),
        key=lambda box: box.y,
    )
    y = float(wanted.y)
    for box in column:
        if box.y >= y + wanted.height + GAP_Y:
            break  # sorted by top: every box after this one is below the spot too
        if box.bottom + GAP_Y > y:
            y = box.bottom + GAP_Y
    return float(wanted.x), y


def _anchor(
    jobs: Mapping[str, JobState], parents: Iterable[str], moving: set[str]
) -> tuple[float, float]:
    """Where a block of new cards starts: right of its rightmost parent, at that parent's
    top; with no parent, right of the job created last (by number); else the origin."""
    boxes = [card_box(jobs[uid]) for uid in parents if uid in jobs and uid not in moving]
    if not boxes:
        others = [uid for uid in jobs if uid not in moving]
        if not others:
            return 0.0, 0.0
        boxes = [card_box(jobs[max(others, key=uid_number)])]
    rightmost = min(boxes, key=lambda box: (-box.right, box.y))
    return rightmost.right + GAP_X, rightmost.y


def _arrangement(states: list[JobState]) -> dict[str, Box]:
    """Jobs made together, relative to the block's top-left corner: a column per depth
    among themselves (a job right of those of its parents that are in the block), each
    column stacked top-down in job order."""
    uids = {state.uid for state in states}
    ordered = sorted(states, key=lambda state: uid_number(state.uid))
    parents = {state.uid: state.upstream() & uids for state in ordered}
    children: dict[str, list[str]] = {uid: [] for uid in parents}
    for uid, ups in parents.items():
        for parent in ups:
            children[parent].append(uid)
    waiting = {uid: len(ups) for uid, ups in parents.items()}
    ready = [uid for uid, count in waiting.items() if count == 0]
    depth: dict[str, int] = {}
    while ready:  # parents first, whatever the order of their uids (a cycle is refused)
        uid = ready.pop()
        depth[uid] = 1 + max((depth[p] for p in parents[uid]), default=-1)
        for child in children[uid]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    tops: dict[int, float] = {}
    offsets: dict[str, Box] = {}
    for state in ordered:
        column = depth[state.uid]
        width, height = card_size(state)
        y = tops.get(column, 0.0)
        offsets[state.uid] = Box(column * (CARD_WIDTH + GAP_X), y, width, height)
        tops[column] = y + height + GAP_Y
    return offsets
