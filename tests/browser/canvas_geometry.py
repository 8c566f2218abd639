"""What the page draws on a job builder canvas, measured in the page: cards that overlap, and
edges that pass through a card."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator

from .jupyter_host import Kernel, wait_until

# Every drawn edge path is walked in steps of 3 screen pixels; a point more than 2 pixels
# inside a card (not on its border, where an edge ends on a handle) is a crossing.
_GEOMETRY = """root => {
    const inside = (r, x, y, m) => x > r.left + m && x < r.right - m && y > r.top + m
        && y < r.bottom - m;
    const cards = [...root.querySelectorAll('.react-flow__node')].map(node => ({
        id: node.dataset.id, box: node.getBoundingClientRect() }));
    const overlaps = [];
    cards.forEach((a, i) => cards.slice(i + 1).forEach(b => {
        const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (x > 1 && y > 1) overlaps.push([a.id, b.id]);
    }));
    const crossings = [];
    const edges = [...root.querySelectorAll('.react-flow__edge')];
    for (const edge of edges) {
        const path = edge.querySelector('path.react-flow__edge-path');
        const matrix = path.getScreenCTM();
        const length = path.getTotalLength();
        const scale = Math.hypot(matrix.a, matrix.b) || 1;
        const step = 3 / scale;
        const hit = new Set();
        for (let at = 0; at <= length; at += step) {
            const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y)
                .matrixTransform(matrix);
            for (const card of cards) {
                if (inside(card.box, p.x, p.y, 2)) hit.add(card.id);
            }
        }
        for (const id of hit) crossings.push([edge.dataset.testid, id]);
    }
    const pane = root.querySelector('.react-flow').getBoundingClientRect();
    const cut = cards.filter(c => c.box.left < pane.right && c.box.right > pane.right
        && c.box.top < pane.bottom && c.box.bottom > pane.top).map(c => c.id);
    const cutAtBottom = cards.filter(c => c.box.top < pane.bottom && c.box.bottom > pane.bottom
        && c.box.left < pane.right && c.box.right > pane.left).map(c => c.id);
    // An edge label's box (its background, or its text where it has none) that a card covers
    // by more than a pixel each way: edges are drawn under the cards.
    const labelsCut = [];
    const labels = [...root.querySelectorAll('.react-flow__edge-textwrapper')].map(label => {
        const edge = label.closest('.react-flow__edge');
        const shape = label.querySelector('.react-flow__edge-textbg')
            || label.querySelector('.react-flow__edge-text');
        return { edge: edge && edge.dataset.testid, text: label.textContent,
            box: shape.getBoundingClientRect() };
    });
    for (const label of labels) {
        for (const card of cards) {
            const x = Math.min(label.box.right, card.box.right)
                - Math.max(label.box.left, card.box.left);
            const y = Math.min(label.box.bottom, card.box.bottom)
                - Math.max(label.box.top, card.box.top);
            if (x > 1 && y > 1) labelsCut.push([label.text, card.id]);
        }
    }
    return { cards: cards.length, edges: edges.length, overlaps, crossings, cutAtRight: cut,
        cutAtBottom, labels: labels.map(l => l.text), labelsCut };
}"""


def canvas_geometry(canvas: Locator) -> dict[str, Any]:
    """``{"cards", "edges", "overlaps", "crossings", "cutAtRight", "cutAtBottom", "labels",
    "labelsCut"}`` of the cards and edges drawn on ``canvas`` (a ``job-builder`` root): pairs of
    overlapping cards, (edge, card) pairs where an edge passes through a card, cards cut by the
    canvas's right or bottom edge, the edge labels drawn, and (label, card) pairs where a card
    covers part of an edge label's box."""
    return dict(canvas.evaluate(_GEOMETRY))


def fits(canvas: Locator) -> int:
    """How many times the canvas has fitted its view and come to rest (``data-fits``)."""
    return int(canvas.get_attribute("data-fits") or 0)


def wait_for_fit(canvas: Locator, more_than: int = 0, timeout: float = 60_000) -> None:
    """Wait until the canvas has fitted its view more than ``more_than`` times and come to
    rest (the first view, a layout, "Fit view")."""
    canvas.page.wait_for_function(
        "([root, n]) => Number(root.dataset.fits) > n",
        arg=[canvas.element_handle(), more_than],
        timeout=timeout,
    )


# True once the canvas's view has kept the same transform for five animation frames.
_AT_REST = """root => new Promise(resolve => {
    const viewport = root.querySelector('.react-flow__viewport');
    let last = viewport.style.transform, still = 0;
    const tick = () => {
        const now = viewport.style.transform;
        still = now === last ? still + 1 : 0;
        last = now;
        if (still >= 5) resolve(true); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


def wait_for_rest(canvas: Locator) -> None:
    """Wait until the canvas's view stops moving (an animated pan or fit has ended)."""
    canvas.evaluate(_AT_REST)


def wait_for_kernels_graph(canvas: Locator, kernel: Kernel, timeout: float = 60) -> None:
    """Wait until the canvas has drawn the graph the kernel holds now. A revision read once
    may be old by the time it is compared: the canvas's first layout is an edit too, sent
    when the cards have been measured (later on a busy machine)."""

    def drawn() -> bool:
        revision = kernel.eval_json("builder.graph['revision']")
        return canvas.get_attribute("data-revision") == str(revision)

    wait_until(drawn, timeout=timeout, what="the canvas to draw the kernel's last graph")
