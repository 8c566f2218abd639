"""The tour run top to bottom, then "Auto-layout": every card whole and on its own, and every
edge running around the cards, measured on the page."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Locator, expect

from .canvas_geometry import (
    canvas_geometry,
    fits,
    wait_for_fit,
    wait_for_kernels_graph,
    wait_for_rest,
)
from .conftest import REPO, screenshot_dir
from .jupyter_host import Notebook, wait_for_idle_kernel

DEMO = """\
import os, tempfile
os.environ["CRYOWEAVE_DEMO"] = tempfile.mkdtemp() + "/demo"
"""


def tour_cells() -> list[str]:
    """The tour's code cells up to the second view of the canvas (one canvas on the page)."""
    notebook = json.loads((REPO / "notebooks" / "job_builder_tour.ipynb").read_text())
    cells = [DEMO]
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        if source.strip() == "builder" and len(cells) > 1:
            break
        cells.append(source)
    return cells


def open_tour(notebook: Callable[..., Notebook]) -> tuple[Notebook, Locator]:
    """The tour run whole, its canvas in the page's view: every job the cells make drawn, the
    first view fitted."""
    opened = notebook(tour_cells(), wait_for_testid="job-J1")
    canvas = opened.page.get_by_test_id("job-builder")
    wait_for_idle_kernel(opened.page)
    wait_for_kernels_graph(canvas, opened.kernel)
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_for_fit(canvas)
    return opened, canvas


def test_the_tour_laid_out_has_no_card_on_another_and_no_edge_across_a_card(
    notebook: Callable[..., Notebook],
) -> None:
    opened, canvas = open_tour(notebook)
    page = opened.page
    before = fits(canvas)
    page.get_by_test_id("fit-view").click()
    wait_for_fit(canvas, before)
    page.screenshot(path=screenshot_dir() / "tour-after-every-cell.png")  # as Python placed them
    before = fits(canvas)
    page.get_by_test_id("auto-layout").click()
    wait_for_fit(canvas, before)
    before = fits(canvas)
    page.get_by_test_id("fit-view").click()
    wait_for_fit(canvas, before)
    jobs = opened.kernel.eval_json("len(project.states)")
    geometry = canvas_geometry(canvas)
    page.screenshot(path=screenshot_dir() / "tour-auto-layout.png")
    assert geometry["cards"] == jobs >= 19, geometry
    assert geometry["edges"] >= 20, geometry
    assert geometry["overlaps"] == [], geometry
    assert geometry["crossings"] == [], geometry
    # The layout is saved: Python has every card where the canvas drew it.
    positions = opened.kernel.eval_json(
        "{uid: list(s.position) for uid, s in project.states.items()}"
    )
    assert len({tuple(p) for p in positions.values()}) == jobs
    assert opened.console_errors == []


# Three jobs placed by hand, so that the first view is fitted at once (no layout).
PLACED = """\
import tempfile
from pathlib import Path
import cryoweave
from cryoweave.graph import Project
project = Project.create(Path(tempfile.mkdtemp()) / "P1", title="Made in cells")
for i in range(3):
    project.create_job("homo_refine_new", position=(400 * i, 0))
builder = cryoweave.JobBuilder(project)
builder
"""

# The card's box is inside the canvas's, whole.
IN_VIEW = """([root, uid]) => {
    const card = root.querySelector(`[data-testid="job-${uid}"]`);
    if (!card) return false;
    const c = card.getBoundingClientRect();
    const p = root.querySelector('.react-flow').getBoundingClientRect();
    return c.left >= p.left && c.right <= p.right && c.top >= p.top && c.bottom <= p.bottom;
}"""


def test_a_job_made_in_a_cell_is_panned_into_view_once_but_not_during_a_drag(
    notebook: Callable[..., Notebook],
) -> None:
    opened = notebook([PLACED], wait_for_testid="job-J1")
    page = opened.page
    canvas = page.get_by_test_id("job-builder")
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_for_fit(canvas)
    # Panned at the zoom it had (panTo's unit tests): here, that it comes into view.
    opened.kernel.run('project.create_job("homo_refine_new", position=(9000, 4000))')
    page.wait_for_function(IN_VIEW, arg=[canvas.element_handle(), "J4"])
    wait_for_rest(canvas)

    # A card held in a drag: the job made meanwhile stays where it is, out of view.
    header = page.get_by_test_id("job-J4").locator(".cw-card-head").first
    box = header.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] / 2 + 10, steps=5)
    expect(page.locator('.react-flow__node.dragging[data-id="J4"]')).to_have_count(1)
    opened.kernel.run('project.create_job("homo_refine_new", position=(-9000, -4000))')
    revision = opened.kernel.eval_json("builder.graph['revision']")
    expect(canvas).to_have_attribute("data-revision", str(revision))
    page.mouse.up()
    expect(canvas).to_have_attribute("data-revision", str(revision + 1))  # the drop's move
    assert page.get_by_test_id("job-J5").count() == 0  # never drawn: out of view
    assert opened.console_errors == []
