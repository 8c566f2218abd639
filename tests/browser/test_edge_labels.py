"""The override edges' labels stay readable: no card covers any part of a label, in the teaching
notebook and in the tour, after "Fit view" and after "Auto-layout"; and the job the teaching
notebook's last cell makes is shown with no card cut by the canvas's bottom or right edge."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page

from .canvas_geometry import (
    canvas_geometry,
    fits,
    wait_for_fit,
    wait_for_kernels_graph,
    wait_for_rest,
)
from .conftest import REPO, screenshot_dir
from .jupyter_host import Notebook, wait_for_idle_kernel
from .test_canvas_layout import DEMO, open_tour


def teaching_cells() -> list[str]:
    """The teaching notebook's code cells that make jobs (the last, an export, makes none)."""
    notebook = json.loads((REPO / "notebooks" / "teach_job_builder.ipynb").read_text())
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return [cell for cell in cells if "export_html" not in cell]


def _fit_view(page: Page, canvas: Locator) -> None:
    before = fits(canvas)
    page.get_by_test_id("fit-view").click()
    wait_for_fit(canvas, before)


def _auto_layout(page: Page, canvas: Locator) -> None:
    before = fits(canvas)
    page.get_by_test_id("auto-layout").click()
    wait_for_fit(canvas, before)
    _fit_view(page, canvas)


def _labels_whole(canvas: Locator, labels: int, when: str) -> dict[str, Any]:
    geometry = canvas_geometry(canvas)
    assert len(geometry["labels"]) >= labels, (when, geometry)
    assert geometry["labelsCut"] == [], (when, geometry)
    return geometry


def _show(opened: Notebook, canvas: Locator) -> None:
    """Wait until the canvas has drawn the kernel's last revision and its view is at rest."""
    wait_for_kernels_graph(canvas, opened.kernel)
    wait_for_rest(canvas)


# The card's box inside the canvas's, to a pixel.
WHOLE_IN_CANVAS = """(root, uid) => {
    const c = root.querySelector(`[data-testid="job-${uid}"]`).getBoundingClientRect();
    const p = root.querySelector('.react-flow').getBoundingClientRect();
    return c.left >= p.left - 1 && c.right <= p.right + 1 && c.top >= p.top - 1
        && c.bottom <= p.bottom + 1;
}"""


def test_the_teaching_notebook_shows_its_last_job_and_every_label_whole(
    notebook: Callable[..., Notebook],
) -> None:
    first, *rest = teaching_cells()
    # The first cell shows the canvas; the others run one at a time once its first view is
    # shown, as a user runs them (jobs made before it are not scrolled to).
    opened = notebook([DEMO, first], wait_for_testid="job-J1")
    page = opened.page
    canvas = page.get_by_test_id("job-builder")
    wait_for_idle_kernel(page)
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_for_fit(canvas)
    for cell in rest:
        opened.kernel.run(cell, timeout=120)
        _show(opened, canvas)
    made = opened.kernel.eval_json("locres.uid")
    geometry = canvas_geometry(canvas)
    page.screenshot(path=screenshot_dir() / "teach-after-last-cell.png")
    # The job the last cell made is in view, whole, and the view ends between cards: none is
    # cut by the canvas's bottom or right edge (the view starts where the pan puts it: cards
    # may end at its top or left).
    assert canvas.evaluate(WHOLE_IN_CANVAS, made), made
    assert geometry["cutAtBottom"] == [], geometry
    assert geometry["cutAtRight"] == [], geometry

    _fit_view(page, canvas)
    _labels_whole(canvas, 2, "after Fit view")
    page.screenshot(path=screenshot_dir() / "teach-labels-fit.png")
    _auto_layout(page, canvas)
    _labels_whole(canvas, 2, "after Auto-layout")
    page.screenshot(path=screenshot_dir() / "teach-labels-auto-layout.png")
    assert opened.console_errors == []


def test_the_tour_draws_every_edge_label_clear_of_the_cards(
    notebook: Callable[..., Notebook],
) -> None:
    opened, canvas = open_tour(notebook)
    page = opened.page
    wait_for_rest(canvas)
    _fit_view(page, canvas)
    # One label per override from another job than its connection's (flow.ts).
    labels = opened.kernel.eval_json(
        "sum(1 for j in builder.graph['jobs'] for i in j['inputs'] for c in i['connections'] "
        "for s in c['slots'] if s['override'] and s['job'] != c['job'])"
    )
    assert labels >= 2
    _labels_whole(canvas, labels, "after Fit view")
    page.screenshot(path=screenshot_dir() / "tour-labels-fit.png")
    _auto_layout(page, canvas)
    _labels_whole(canvas, labels, "after Auto-layout")
    page.screenshot(path=screenshot_dir() / "tour-labels-auto-layout.png")
    assert opened.console_errors == []
