"""A project of hundreds of jobs: only the cards in view are drawn, zoomed far out the canvas
is one picture, the minimap moves the view, and the search reaches a card never drawn."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from .canvas_geometry import fits, wait_for_fit
from .conftest import screenshot_dir
from .jupyter_host import Notebook

JOBS = 300

PROJECT = f"""\
import tempfile
from pathlib import Path

import cryoweave
from cryoweave.demo import particles
from cryoweave.graph import Project

project = Project.create(Path(tempfile.mkdtemp(dir=Path.cwd())) / "P1", title="Large")
source = project.import_dataset(particles(50, ["blob", "ctf"], seed=0), "particle", "particles")
for i in range({JOBS} - 1):
    job = project.create_job("homo_refine_new", position=(450 * (1 + i // 20), 480 * (i % 20)))
    job.connect("particles", source.uid, "particles")
builder = cryoweave.JobBuilder(project)
builder"""

VIEWPORT = "() => document.querySelector('.react-flow__viewport').style.transform"
CARDS = "() => document.querySelectorAll('article.cw-card').length"
SHOWN = (
    "() => [...document.querySelectorAll('.react-flow__node')].filter(n => n.offsetParent).length"
)

# How opaque the overview's picture is in the middle of a card at flow position (x, y), from 0
# (nothing drawn) to 255, null off the canvas; a box is drawn at three quarters, edges fainter.
PICTURE_ALPHA = """([x, y]) => {
    const canvas = document.querySelector('[data-testid="overview"]');
    const m = new DOMMatrix(
        getComputedStyle(document.querySelector('.react-flow__viewport')).transform);
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const px = Math.round((m.e + (x + 160) * m.a) * ratio);
    const py = Math.round((m.f + (y + 40) * m.a) * ratio);
    if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) return null;
    return canvas.getContext('2d').getImageData(px, py, 1, 1).data[3];
}"""


def overview_alpha(page: Page, position: list[float]) -> int:
    """The overview's opacity in the middle of the card at ``position``, once drawn."""
    page.wait_for_function(f"p => ({PICTURE_ALPHA})(p) > 0", arg=position)
    return int(page.evaluate(PICTURE_ALPHA, position))


def test_hundreds_of_jobs_draw_only_what_is_in_view(notebook: Callable[..., Notebook]) -> None:
    opened = notebook([PROJECT], wait_for_testid="job-J1")
    page = opened.page
    wait_for_fit(page.get_by_test_id("job-builder"))
    page.get_by_test_id("job-builder").evaluate(
        "el => el.scrollIntoView({block: 'center', behavior: 'instant'})"
    )
    # The first view: readable cards from the start of the project, and only those drawn.
    expect(page.get_by_test_id("job-J1")).to_be_in_viewport()
    drawn = page.evaluate(CARDS)
    assert 0 < drawn < JOBS // 4, drawn
    expect(page.get_by_test_id("overview")).to_be_hidden()

    # Fit view: far enough out that the whole project is one picture; no card is laid out.
    before = page.evaluate(VIEWPORT)
    page.get_by_test_id("fit-view").click()
    page.wait_for_function(f"t => ({VIEWPORT})() !== t", arg=before)
    expect(page.get_by_test_id("overview")).to_be_visible()
    page.screenshot(path=screenshot_dir() / "large-canvas-overview.png")
    expect(page.locator(".react-flow")).to_have_class(re.compile(r"\bcw-overview\b"))
    page.wait_for_function(f"() => ({SHOWN})() === 0")
    # The picture draws the edges too: React Flow is given none to look at on every frame.
    expect(page.locator(".react-flow__edge")).to_have_count(0)
    assert overview_alpha(page, opened.kernel.eval_json("list(project.state('J25').position)"))

    # The map is shown from the start in a project this size; a click on its far corner
    # moves the view there, at the same zoom. The toolbar's "Map" hides it.
    expect(page.get_by_test_id("toggle-map")).to_have_attribute("aria-pressed", "true")
    fitted = page.evaluate(VIEWPORT)
    minimap = page.get_by_test_id("minimap")
    box = minimap.bounding_box()
    assert box is not None
    minimap.click(position={"x": box["width"] - 8, "y": box["height"] - 8})
    page.wait_for_function(f"t => ({VIEWPORT})() !== t", arg=fitted)
    moved = page.evaluate(VIEWPORT)
    assert moved.split("scale")[1] == fitted.split("scale")[1], (fitted, moved)
    # The picture moved with the view: each job's box is under where its card would be.
    places = opened.kernel.eval_json("[list(job.state.position) for job in project.jobs]")
    page.wait_for_function(
        f"ps => ps.map({PICTURE_ALPHA}).every(a => a === null || a > 150)", arg=places
    )
    assert any(page.evaluate(f"ps => ps.map({PICTURE_ALPHA})", places))
    page.get_by_test_id("toggle-map").click()
    expect(minimap).to_have_count(0)

    # A box of the overview names its job when pointed at, and a click shows that job.
    canvas = page.get_by_test_id("job-builder")
    fitted_before = fits(canvas)
    page.get_by_test_id("fit-view").click()
    wait_for_fit(canvas, more_than=fitted_before)
    expect(page.get_by_test_id("overview")).to_be_visible()
    page.wait_for_function(f"() => ({SHOWN})() === 0")
    x, y = opened.kernel.eval_json("list(project.state('J25').position)")
    point = page.evaluate(
        """([x, y]) => {
            const pane = document.querySelector('.react-flow').getBoundingClientRect();
            const m = new DOMMatrix(
                getComputedStyle(document.querySelector('.react-flow__viewport')).transform);
            return [pane.left + m.e + (x + 160) * m.a, pane.top + m.f + (y + 40) * m.a];
        }""",
        [x, y],
    )
    page.mouse.move(*point)
    tip = page.get_by_test_id("overview-tip")
    expect(tip).to_be_visible()
    expect(tip).to_have_text(re.compile(r"^J25 · "))
    page.screenshot(path=screenshot_dir() / "large-canvas-overview-tip.png")
    page.mouse.click(*point)
    expect(page.get_by_test_id("inspector")).to_have_attribute("data-job", "J25")
    expect(page.get_by_test_id("job-J25")).to_be_in_viewport()
    page.keyboard.press("Escape")

    # The search reaches the last job, whose card was never drawn: centred, readable, shown.
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("Control+k")
    page.get_by_test_id("job-search-input").fill(f"J{JOBS}")
    page.keyboard.press("Enter")
    card = page.get_by_test_id(f"job-J{JOBS}")
    expect(card).to_be_in_viewport()
    expect(page.get_by_test_id("overview")).to_be_hidden()
    expect(card.locator(".cw-uid")).to_have_text(f"J{JOBS}")
    expect(page.get_by_test_id("inspector")).to_have_attribute("data-job", f"J{JOBS}")
    assert opened.console_errors == []
