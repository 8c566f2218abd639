"""Figures: a project's job graph, or a branch of it, as an SVG for a paper or a slide.

Cards are drawn as the canvas draws them (``js/src/builder/styles/card.css``,
``js/src/builder/flow.ts``): 320 px wide, a stripe in the status colour, the header
``J12 Homogeneous Refinement`` with the status, the job's title, then one row per input group
(building jobs only, as on the canvas) and one per output group with its item count. Edges
run from an output group's row to the input group's row (to the header for jobs past
building); slot overrides from another job are dashed orange and labelled. Every word is an
SVG ``<text>`` element, so the figure stays editable and searchable; nothing outside the
file is referenced.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..data.atomic import atomic_write
from ..graph import Project
from ..graph.model import JobState, uid_number
from ..graph.pipeline import input_status

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Inter, 'Helvetica Neue', Helvetica, Arial, sans-serif"

CARD_WIDTH = 320
CARD_HEAD = 52  # header and title, as flow.ts estimates a card
ROW = 24
CARD_PAD = 8
STRIPE = 4
MARGIN = 40
COLUMN_GAP = 120  # between columns when jobs have no positions of their own
ROW_GAP = 40

TEXT = "#1f2430"
MUTED = "#687083"
BORDER = "#e1e4e9"
EDGE = "#8c96a8"
OVERRIDE = "#e07b00"
STATUS_COLORS = {
    "building": "#7b8aa5",
    "queued": "#d29a0a",
    "launched": "#2d7ff9",
    "started": "#2d7ff9",
    "waiting": "#2d7ff9",
    "running": "#2d7ff9",
    "completed": "#2e9d5b",
    "failed": "#d64545",
    "killed": "#8a6aa8",
}
INPUT_COLORS = {"ready": "#2e9d5b", "waiting": "#2d7ff9", "unmet": "#d64545"}


@dataclass(frozen=True)
class _Card:
    state: JobState
    x: float
    y: float

    @property
    def shows_inputs(self) -> bool:
        return self.state.status == "building"

    @property
    def height(self) -> float:
        rows = len(self.state.outputs) + (len(self.state.inputs) if self.shows_inputs else 0)
        return CARD_HEAD + rows * ROW + CARD_PAD

    def input_y(self, name: str) -> float:
        """Where an edge into input ``name`` ends: its row, or the header when rows are hidden."""
        if self.shows_inputs:
            for index, group in enumerate(self.state.inputs):
                if group.spec.name == name:
                    return self.y + CARD_HEAD + index * ROW + ROW / 2
        return self.y + CARD_HEAD / 2

    def output_y(self, name: str) -> float:
        first = CARD_HEAD + (len(self.state.inputs) * ROW if self.shows_inputs else 0)
        for index, group in enumerate(self.state.outputs):
            if group.spec.name == name:
                return self.y + first + index * ROW + ROW / 2
        return self.y + CARD_HEAD / 2


def export_svg(
    project: Project,
    path: str | os.PathLike[str],
    jobs: Iterable[str] | None = None,
) -> Path:
    """Write the job graph of ``project``, or the jobs ``jobs`` of it, as an SVG figure.

    Parameters
    ----------
    project
        The project to draw.
    path
        The ``.svg`` file to write (replaced atomically if it exists). Its folder must exist.
    jobs
        The uids to draw (a branch), or ``None`` for every job. Only connections between
        drawn jobs become edges: a connection from a job left out is not drawn, and its uid
        appears nowhere in the figure (the input's row still shows its status and count).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        A uid in ``jobs`` that the project does not have (``JobError``), or no job to draw.
    FileNotFoundError
        The folder of ``path`` does not exist.

    Examples
    --------
    >>> cryoweave.export_svg(project, "pipeline.svg")                 # doctest: +SKIP
    >>> cryoweave.export_svg(project, "refine.svg", jobs=["J9", "J10", "J11"])  # doctest: +SKIP

    Cards stand where the canvas put them; when every drawn job has the same position (a
    project never laid out), they are placed in columns by depth, in uid order.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {target}: its folder {target.parent} does not exist")
    states = project.states
    selected = _selected(project, states, jobs)
    svg = figure_svg(states, selected)
    data = ET.tostring(svg, encoding="utf-8", xml_declaration=True)
    atomic_write(str(target), lambda f: f.write(data))
    return target


def _selected(
    project: Project, states: Mapping[str, JobState], jobs: Iterable[str] | None
) -> list[str]:
    if jobs is None:
        uids = list(states)
    else:
        uids = list(dict.fromkeys(jobs))
        for uid in uids:
            project.job(uid)  # raises JobError naming the uid and the project's jobs
    if not uids:
        raise ValueError("nothing to draw: no job selected")
    return sorted(uids, key=uid_number)


def figure_svg(states: Mapping[str, JobState], uids: list[str]) -> ET.Element:
    """The ``<svg>`` element drawing the jobs ``uids`` of ``states`` (uids must exist)."""
    cards = _place(states, uids)
    left = min(card.x for card in cards.values()) - MARGIN
    top = min(card.y for card in cards.values()) - MARGIN
    width = max(card.x + CARD_WIDTH for card in cards.values()) + MARGIN - left
    height = max(card.y + card.height for card in cards.values()) + MARGIN - top
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "width": _n(width),
            "height": _n(height),
            "viewBox": f"{_n(left)} {_n(top)} {_n(width)} {_n(height)}",
            "font-family": FONT,
        },
    )
    ET.SubElement(svg, "title").text = "cryoweave job graph: " + ", ".join(uids)
    defs = ET.SubElement(svg, "defs")
    for name, color in (("cw-arrow", EDGE), ("cw-arrow-override", OVERRIDE)):
        marker = ET.SubElement(
            defs,
            "marker",
            id=name,
            viewBox="0 0 10 10",
            refX="9",
            refY="5",
            markerWidth="8",
            markerHeight="8",
            markerUnits="userSpaceOnUse",
            orient="auto",
        )
        ET.SubElement(marker, "path", d="M0,0 L10,5 L0,10 z", fill=color)
    ET.SubElement(
        svg, "rect", x=_n(left), y=_n(top), width=_n(width), height=_n(height), fill="#ffffff"
    )
    edges = ET.SubElement(svg, "g", {"class": "edges", "fill": "none", "stroke-width": "1.5"})
    labels: list[tuple[float, float, str]] = []
    for card in cards.values():
        _draw_edges(edges, labels, cards, card)
    for card in cards.values():
        _draw_card(svg, states, card)
    for x, y, label in labels:
        _text(svg, x, y - 4, label, size=10, fill=OVERRIDE, anchor="middle", halo=True)
    return svg


def _place(states: Mapping[str, JobState], uids: list[str]) -> dict[str, _Card]:
    positions = {states[uid].position for uid in uids}
    if len(uids) == 1 or len(positions) > 1:
        return {uid: _Card(states[uid], *states[uid].position) for uid in uids}
    # Never laid out: columns by depth among the drawn jobs, rows in uid order.
    depth: dict[str, int] = {}
    for uid in uids:  # uid order: a job's parents come before it
        parents = [p for p in states[uid].upstream() if p in depth]
        depth[uid] = 1 + max((depth[p] for p in parents), default=-1)
    cards: dict[str, _Card] = {}
    bottoms: dict[int, float] = {}
    for uid in uids:
        column = depth[uid]
        y = bottoms.get(column, 0.0)
        card = _Card(states[uid], column * (CARD_WIDTH + COLUMN_GAP), y)
        cards[uid] = card
        bottoms[column] = y + card.height + ROW_GAP
    return cards


def _draw_edges(
    parent: ET.Element,
    labels: list[tuple[float, float, str]],
    cards: Mapping[str, _Card],
    card: _Card,
) -> None:
    for group in card.state.inputs:
        end_y = card.input_y(group.spec.name)
        for connection in group.connections:
            source = cards.get(connection.job_uid)
            if source is not None:
                start = (source.x + CARD_WIDTH, source.output_y(connection.group_name))
                _edge(parent, start, (card.x, end_y), override=False)
            for entry in connection.slots:
                # As the canvas: an override from the connection's own job is not a second edge.
                if not connection.is_override(entry) or entry.job_uid == connection.job_uid:
                    continue
                source = cards.get(entry.job_uid)
                if source is None:
                    continue
                start = (source.x + CARD_WIDTH, source.output_y(entry.group_name))
                middle = _edge(parent, start, (card.x, end_y), override=True)
                labels.append((*middle, f"{entry.slot_name or entry.result_name} override"))


def _edge(
    parent: ET.Element, start: tuple[float, float], end: tuple[float, float], override: bool
) -> tuple[float, float]:
    """A cubic Bézier from ``start`` to ``end``; returns its middle point."""
    (x0, y0), (x3, y3) = start, end
    bend = max(40.0, abs(x3 - x0) / 2)
    x1, x2 = x0 + bend, x3 - bend
    attributes = {
        "d": f"M{_n(x0)},{_n(y0)} C{_n(x1)},{_n(y0)} {_n(x2)},{_n(y3)} {_n(x3)},{_n(y3)}",
        "stroke": OVERRIDE if override else EDGE,
        "marker-end": "url(#cw-arrow-override)" if override else "url(#cw-arrow)",
        "class": "edge override" if override else "edge",
    }
    if override:
        attributes["stroke-dasharray"] = "6 4"
    ET.SubElement(parent, "path", attributes)
    return (x0 + 3 * x1 + 3 * x2 + x3) / 8, (y0 + 3 * y0 + 3 * y3 + y3) / 8


def _draw_card(parent: ET.Element, states: Mapping[str, JobState], card: _Card) -> None:
    state = card.state
    color = STATUS_COLORS.get(state.status, MUTED)
    x, y, h = card.x, card.y, card.height
    group = ET.SubElement(parent, "g", {"class": "card", "id": f"job-{state.uid}"})
    # The border, then the stripe clipped to the card's rounded left side.
    ET.SubElement(
        group,
        "rect",
        x=_n(x + 0.5),
        y=_n(y + 0.5),
        width=_n(CARD_WIDTH - 1),
        height=_n(h - 1),
        rx="8",
        fill="#ffffff",
        stroke=BORDER,
    )
    ET.SubElement(
        group,
        "path",
        {
            "d": f"M{_n(x + 8)},{_n(y)} a8,8 0 0 0 -8,8 v{_n(h - 16)} a8,8 0 0 0 8,8 "
            f"h{_n(STRIPE - 8)} v{_n(-h)} z",
            "fill": color,
            "class": "stripe",
        },
    )
    left, right = x + STRIPE + 8, x + CARD_WIDTH - 10
    status = state.status.upper()
    type_room = (
        CARD_WIDTH - STRIPE - 18 - _width(status, 10) - _width(state.uid, 13, bold=True) - 20
    )
    head = _text(group, left, y + 21, state.uid, size=13, weight="700")
    type_span = ET.SubElement(head, "tspan", {"font-weight": "600", "dx": "6"})
    type_span.text = _fit(state.type_title or state.type, type_room, 13)
    _text(group, right, y + 20, status, size=10, weight="600", fill=color, anchor="end")
    _text(group, left, y + 41, _fit(state.title, CARD_WIDTH - 30, 12), size=12, fill=MUTED)
    row_y = y + CARD_HEAD
    if card.shows_inputs:
        for input_group in state.inputs:
            readiness = input_status(states, state, input_group.spec.name).state
            middle = row_y + ROW / 2
            ET.SubElement(
                group, "circle", cx=_n(x), cy=_n(middle), r="4", fill="#ffffff", stroke=EDGE
            )
            ET.SubElement(
                group, "circle", cx=_n(left + 3), cy=_n(middle), r="3", fill=INPUT_COLORS[readiness]
            )
            _text(group, left + 12, middle + 4, input_group.spec.name, size=12, fill=TEXT)
            items = sum(_items(states, c.job_uid, c.group_name) for c in input_group.connections)
            note = _count(items, input_group.spec.type) if input_group.connections else readiness
            _text(group, right, middle + 4, note, size=11, fill=MUTED, anchor="end")
            row_y += ROW
    for output in state.outputs:
        middle = row_y + ROW / 2
        ET.SubElement(
            group,
            "circle",
            cx=_n(x + CARD_WIDTH),
            cy=_n(middle),
            r="4",
            fill="#ffffff",
            stroke=EDGE,
        )
        _text(group, left, middle + 4, _fit(output.spec.name, 170, 12), size=12, fill=TEXT)
        if any(result.versions for result in output.results):  # nothing to count before a run
            count = _count(output.num_items, output.spec.type)
            _text(group, right, middle + 4, count, size=11, fill=MUTED, anchor="end")
        row_y += ROW


def _items(states: Mapping[str, JobState], uid: str, group_name: str) -> int:
    source = states.get(uid)
    output = source.output(group_name) if source else None
    return output.num_items if output else 0


def _count(number: int, item_type: str) -> str:
    noun = item_type.replace("_", " ")
    return f"{number:,} {noun if number == 1 else noun + 's'}"


def _text(
    parent: ET.Element,
    x: float,
    y: float,
    content: str,
    *,
    size: int,
    fill: str = TEXT,
    weight: str | None = None,
    anchor: str | None = None,
    halo: bool = False,
) -> ET.Element:
    attributes = {"x": _n(x), "y": _n(y), "font-size": str(size), "fill": fill}
    if weight:
        attributes["font-weight"] = weight
    if anchor:
        attributes["text-anchor"] = anchor
    if halo:  # a white outline under the glyphs, so a label over an edge stays readable
        attributes.update(
            {
                "stroke": "#ffffff",
                "stroke-width": "3",
                "paint-order": "stroke",
                "stroke-linejoin": "round",
            }
        )
    element = ET.SubElement(parent, "text", attributes)
    element.text = content  # ElementTree escapes &, < and > when writing
    return element


def _width(content: str, size: int, bold: bool = False) -> float:
    """An estimate of the drawn width: the viewer picks the font, so it cannot be measured."""
    return len(content) * size * (0.62 if bold else 0.56)


def _fit(content: str, room: float, size: int) -> str:
    if _width(content, size) <= room:
        return content
    keep = max(1, int(room / (size * 0.56)) - 1)
    return content[:keep].rstrip() + "…"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
