"""The inspector's pictures in JupyterLab, on the demo's real pixels: classes chosen in the
gallery by click, shift-click and ctrl-drag become a Select 2D job whose particles the kernel
checks; an input's montage changes tile size when the full-size ``blob`` override is made;
a map's slices and a micrograph with its picks are drawn.

The demo (``tutorial_project``, 1,000 particles): J5 extracts 40 px particles, J6 downsamples
them to 20 px, J7 classifies them into 50 classes; J13, a refinement being built, reads J7's
particles.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, Route, expect

import cryoweave
from cryoweave.demo.tutorial import tutorial_project

from .canvas_geometry import wait_for_fit
from .jupyter_host import Notebook, wait_until

SHOTS = Path(os.environ.get("CRYOWEAVE_PICTURE_SHOTS", "/tmp/shots18"))

PROJECT = """\
import tempfile
from pathlib import Path

import numpy as np

import cryoweave
from cryoweave.demo.tutorial import tutorial_project

project = tutorial_project(Path(tempfile.mkdtemp(dir=Path.cwd())) / "demo", 1_000, seed=4)
refine = project.create_job("homo_refine_new")
refine.connect("particles", "J7", "particles")
assert refine.uid == "J13"
builder = cryoweave.JobBuilder(project)
builder
"""

# The uids of J7's particles in the classes chosen, and of the new job's selected particles.
CHOSEN = """[
    sorted(int(u) for u in p["uid"][np.isin(p["alignments2D/class"], {classes!r})])
    for p in [project.job("J7").load_output("particles")]
][0]"""
SELECTED = 'sorted(int(u) for u in project.job({uid!r}).load_output("particles_selected")["uid"])'


def shot(page: Page, locator: Locator, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=SHOTS / name)


def open_demo(notebook: Callable[..., Notebook]) -> Notebook:
    opened = notebook([PROJECT], wait_for_testid="job-J13")
    wait_for_fit(opened.page.get_by_test_id("job-builder"))
    canvas = opened.page.get_by_test_id("job-builder")
    canvas.evaluate("el => el.scrollIntoView({block: 'start', behavior: 'instant'})")
    return opened


def inspect(page: Page, uid: str) -> None:
    """Show job ``uid`` in the inspector, found with Ctrl+K."""
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("Control+k")
    page.get_by_test_id("job-search-input").fill(uid)
    page.get_by_test_id("job-search-input").press("Enter")
    expect(page.get_by_test_id("inspector")).to_have_attribute("data-job", uid)


def test_classes_chosen_in_the_gallery_become_a_selection_job(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_demo(notebook)
    page = opened.page
    inspect(page, "J7")
    page.get_by_test_id("inspector-tab-outputs").click()
    page.get_by_test_id("pictures-J7-class_averages").click()
    gallery = page.get_by_test_id("class-gallery")
    tiles = gallery.locator('[data-testid^="class-tile-"]')
    expect(tiles).to_have_count(50, timeout=30_000)
    order = [int(t.removeprefix("class-tile-")) for t in tiles.evaluate_all(
        "ts => ts.map(t => t.dataset.testid)")]  # fmt: skip
    # Click the first, shift-click the third, then ctrl-drag from the sixth to the eighth.
    tiles.nth(0).click()
    tiles.nth(2).click(modifiers=["Shift"])
    page.keyboard.down("Control")
    start, end = tiles.nth(5).bounding_box(), tiles.nth(7).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + 10, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(end["x"] + 10, end["y"] + 10, steps=8)
    page.mouse.up()
    page.keyboard.up("Control")
    positions = [0, 1, 2, 5, 6, 7]
    chosen = gallery.locator('[data-chosen="true"]')
    expect(chosen).to_have_count(len(positions))
    classes = sorted(order[p] for p in positions)
    expect(page.get_by_test_id("gallery-chosen")).to_contain_text("6 classes chosen")
    shot(page, page.get_by_test_id("inspector"), "gallery.png")
    page.get_by_test_id("gallery-make-job").click()
    wait_until(
        lambda: "J14" in opened.kernel.eval_json("list(project.states)"),
        timeout=30,
        what="the selection job J14 in the kernel",
    )
    expected = opened.kernel.eval_json(CHOSEN.format(classes=classes))
    assert opened.kernel.eval_json(SELECTED.format(uid="J14")) == expected
    code = opened.kernel.eval_json("builder.code()")
    assert code[-1] == f"project.select_classes('J7', {classes!r})  # J14"
    expect(chosen).to_have_count(0)
    # The new card is placed right of its parent (by graph.placement), drawn when in view.
    (x7, y7), (x14, y14) = opened.kernel.eval_json(
        "[project.state(uid).position for uid in ('J7', 'J14')]"
    )
    assert x14 > x7, ((x7, y7), (x14, y14))
    page.get_by_test_id("inspector-close").click()
    page.get_by_test_id("fit-view").click()
    expect(page.get_by_test_id("job-J14")).to_be_attached()
    assert opened.console_errors == []


def test_the_montage_follows_the_full_size_blob_override(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_demo(notebook)
    page = opened.page
    inspect(page, "J13")
    page.get_by_test_id("inspector-tab-preview").click()
    tiles = page.get_by_test_id("tiles")
    expect(tiles).to_have_attribute("data-tile-size", "20", timeout=30_000)
    expect(tiles.locator("canvas")).to_have_count(48)
    shot(page, tiles, "montage-downsampled.png")
    page.get_by_test_id("inspector-tab-inputs").click()
    picker = page.get_by_test_id("inspect-override-J13-particles-0-blob")
    picker.select_option(label="J5.particles.blob (final)")
    page.get_by_test_id("inspector-tab-preview").click()
    expect(tiles).to_have_attribute("data-tile-size", "40", timeout=30_000)
    page_label = page.get_by_test_id("tiles-page")
    expect(page_label).to_contain_text("1\u201348 of 1,000 \u00b7 40 x 40 px")
    shot(page, tiles, "montage-full-size.png")
    page.get_by_test_id("tiles-next").click()
    expect(page_label).to_contain_text("49\u201396 of 1,000")
    assert opened.console_errors == []


def test_a_maps_slices_and_a_micrograph_with_its_picks(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_demo(notebook)
    page = opened.page
    inspect(page, "J10")
    page.get_by_test_id("inspector-tab-outputs").click()
    page.get_by_test_id("pictures-J10-volume").click()
    slices = page.get_by_test_id("volume-slices")
    for slot in ("map", "map_half_A", "map_half_B"):
        canvases = page.get_by_test_id(f"slices-{slot}").locator("canvas")
        expect(canvases).to_have_count(3, timeout=30_000)
    page.get_by_test_id("slices-z").fill("6")
    expect(slices.locator(".cw-slices-z")).to_contain_text("6 / 19")
    shot(page, slices, "slices.png")
    inspect(page, "J4")
    page.get_by_test_id("inspector-tab-outputs").click()
    page.get_by_test_id("pictures-J4-micrographs").click()
    micrograph = page.get_by_test_id("micrograph")
    picks = opened.kernel.eval_json(
        "int((project.job('J4').load_output('particles')['location/micrograph_uid']"
        " == project.job('J4').load_output('micrographs')['uid'][0]).sum())"
    )
    expect(micrograph).to_have_attribute("data-picks", str(picks), timeout=30_000)
    expect(micrograph.locator("circle")).to_have_count(picks)
    shot(page, micrograph, "micrograph.png")
    assert opened.console_errors == []


# J14's selected and excluded particles' defocus, from the kernel.
DEFOCUS = """[
    project.job("J14").load_output(name)["ctf/df1_A"].tolist()
    for name in ("particles_selected", "particles_excluded")
]"""


def test_a_range_dragged_on_a_histogram_becomes_a_selection_job(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_demo(notebook)
    page = opened.page
    inspect(page, "J13")
    page.get_by_test_id("inspector-tab-preview").click()
    page.get_by_test_id("range-field").select_option("ctf/df1_A")
    bars = page.get_by_test_id("range-histogram")
    bars.scroll_into_view_if_needed()
    box = bars.bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 4, y, steps=6)  # the lower half: 8 of 16
    page.mouse.up()
    expect(bars.locator('rect[data-chosen="true"]')).to_have_count(8)
    kept = page.get_by_test_id("range-kept").inner_text()
    shown = int(kept.split(": ")[1].split(" of ")[0].replace(",", ""))
    shot(page, page.get_by_test_id("range-select"), "range.png")
    page.get_by_test_id("range-make-job").click()
    wait_until(
        lambda: "J14" in opened.kernel.eval_json("list(project.states)"),
        timeout=30,
        what="the selection job J14 in the kernel",
    )
    selected, excluded = opened.kernel.eval_json(DEFOCUS)
    assert len(selected) == shown and len(selected) + len(excluded) == 1000
    assert max(selected) < min(excluded)  # the lower range, open at its low end
    code = opened.kernel.eval_json("builder.code()")
    assert code[-1].startswith("project.select_particles('J7', 'particles', 'ctf/df1_A', None, ")
    assert opened.console_errors == []


def test_a_standalone_page_shows_the_class_gallery_with_no_kernel(
    page: Page, tmp_path: Path
) -> None:
    def local_only(route: Route) -> None:
        url = route.request.url
        (route.continue_ if url.startswith(("file:", "blob:", "data:")) else route.abort)()

    page.route("**/*", local_only)
    with tutorial_project(tmp_path / "demo", 1_000, seed=4) as project:
        path = cryoweave.export_html(project, tmp_path / "t20s.html")
    assert path.stat().st_size < 3 << 20
    page.goto(path.as_uri())
    wait_for_fit(page.get_by_test_id("job-builder"))
    inspect(page, "J7")
    page.get_by_test_id("inspector-tab-outputs").click()
    page.get_by_test_id("pictures-J7-class_averages").click()
    gallery = page.get_by_test_id("class-gallery")
    expect(gallery.locator("canvas")).to_have_count(50)
    gallery.locator('[data-testid^="class-tile-"]').first.click()
    expect(page.get_by_test_id("gallery-chosen")).to_contain_text("1 class chosen")
    expect(page.get_by_test_id("gallery-make-job")).to_be_disabled()  # read-only
    shot(page, page.get_by_test_id("inspector"), "standalone-gallery.png")
    # Other pictures need the project's files, and so a kernel: the page says so.
    page.get_by_test_id("pictures-J7-particles").click()
    expect(page.get_by_test_id("tiles-error")).to_contain_text("no kernel")
