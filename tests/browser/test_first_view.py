"""The tour's first view, as a newcomer sees it: whole cards, uid and title readable."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from .canvas_geometry import canvas_geometry, wait_for_fit
from .jupyter_host import Notebook

TOUR = """\
import os, tempfile
os.environ["CRYOWEAVE_DEMO"] = tempfile.mkdtemp() + "/demo"
from cryoweave import JobBuilder
from cryoweave.demo import demo_project

project = demo_project()
builder = JobBuilder(project)
builder"""

# How tall a card's uid and title are drawn at the least, in screen pixels.
READABLE_PX = 11


def test_the_tours_first_view_shows_whole_readable_cards(notebook: Callable[..., Notebook]) -> None:
    # Only cards in view are drawn: the first job's is, whatever the size of the project.
    opened = notebook([TOUR], wait_for_testid="job-J1")
    page = opened.page
    canvas = page.get_by_test_id("job-builder")
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_for_fit(canvas)  # the first layout, and its view
    drawn = canvas.evaluate(
        """root => {
            const pane = root.querySelector('.react-flow').getBoundingClientRect();
            const zoom = new DOMMatrix(
                getComputedStyle(root.querySelector('.react-flow__viewport')).transform).a;
            return [...root.querySelectorAll('article.cw-card')].map(card => {
                const box = card.getBoundingClientRect();
                const px = el => parseFloat(getComputedStyle(el).fontSize) * zoom;
                return {
                    uid: card.dataset.testid,
                    whole: box.left >= pane.left && box.right <= pane.right
                        && box.top >= pane.top && box.bottom <= pane.bottom,
                    partly: box.right > pane.left && box.left < pane.right
                        && box.bottom > pane.top && box.top < pane.bottom,
                    uidPx: px(card.querySelector('.cw-uid')),
                    titlePx: px(card.querySelector('.cw-title')),
                };
            });
        }"""
    )
    # A small project's map waits for the toolbar's "Map": it would cover a card.
    expect(page.get_by_test_id("minimap")).to_have_count(0)
    expect(page.get_by_test_id("toggle-map")).to_have_attribute("aria-pressed", "false")
    shown = [card for card in drawn if card["partly"]]
    whole = [card["uid"] for card in drawn if card["whole"]]
    assert len(whole) >= 4, drawn  # the start of the chain, whole cards
    assert "job-J1" in whole
    for card in shown:
        assert card["uidPx"] >= READABLE_PX and card["titlePx"] >= READABLE_PX, card
    expect(page.get_by_test_id("job-J1")).to_be_in_viewport()
    # Laid out: no card on another, no edge across a card, no card cut at the right.
    geometry = canvas_geometry(canvas)
    assert geometry["edges"] >= 5, geometry
    assert geometry["overlaps"] == [] and geometry["crossings"] == [], geometry
    assert geometry["cutAtRight"] == [], geometry
    assert opened.console_errors == []
