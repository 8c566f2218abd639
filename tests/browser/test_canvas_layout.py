"""The tour run top to bottom, then "Auto-layout": every card whole and on its own, and every
edge running around the cards, measured on the page."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import expect

from .canvas_geometry import canvas_geometry, fits, wait_for_fit
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


def test_the_tour_laid_out_has_no_card_on_another_and_no_edge_across_a_card(
    notebook: Callable[..., Notebook],
) -> None:
    opened = notebook(tour_cells(), wait_for_testid="job-J1")
    page = opened.page
    canvas = page.get_by_test_id("job-builder")
    wait_for_idle_kernel(page)
    # Every cell has run: the jobs the tour makes from Python are on the canvas.
    expect(canvas).to_have_attribute(
        "data-revision", str(opened.kernel.eval_json("builder.graph['revision']"))
    )
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_for_fit(canvas)
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
