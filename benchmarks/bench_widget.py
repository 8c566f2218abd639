"""JobBuilder on a 200-job project, in JupyterLab in Debian's Chromium: figures, not a test.

Run: ``python benchmarks/bench_widget.py`` (``--jobs N`` for another size, ``--drops K`` for
more drop round trips, ``--screenshot page.png`` to see the page at the end). It prints:

- mount to cards: from the widget's root (``job-builder``) appearing in the page to every
  ``job-*`` card being in the DOM, measured in the page with ``performance.now()``;
- drop to edge: from the release of a drag (an output group dropped on the particles input of
  a building job) to the new connection's edge (``rf__edge-*``) being in the DOM: the request
  to the kernel, the ``Project`` applying it, the new ``graph`` trait, React drawing it;
- the size of the synced ``graph`` trait as JSON, asked of the kernel.

The project: 20 completed "Extract" jobs (100 particles each) in the first column and
refinements being built in a grid of columns to their right, each connected to one of them.
Drop k connects Extract k to the refinement beside it on the same row, which reads another
one; at the zoom that fits 200 cards they are a few pixels tall, so the canvas is zoomed in on
the pair first (the mouse wheel, as a person would), and "Fit view" zooms back out after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser.jupyter_host import (
    JupyterServer,
    chromium_launch_args,
    open_notebook,
    scratch_home,
)

SOURCES = 20

PROJECT = """\
import json
import tempfile
from pathlib import Path

import cryoweave
from cryoweave.demo import particles
from cryoweave.graph import Project

JOBS, SOURCES = {jobs}, {sources}
project = Project.create(Path(tempfile.mkdtemp(dir=Path.cwd())) / "P1", title="Bench")
stack = particles(100, ["blob", "ctf"], seed=0)
for row in range(SOURCES):
    job = project.create_external_job(f"Extract {{row + 1}}")
    job.add_output("particle", "particles", slots=["blob", "ctf"])
    with job.run():
        job.save_output("particles", stack)
    job.set_position(0, 480 * row)
for i in range(JOBS - SOURCES):
    row, column = i % SOURCES, 1 + i // SOURCES
    job = project.create_job("homo_refine_new")
    job.connect("particles", f"J{{(row + 1) % SOURCES + 1}}", "particles")  # the next row's
    job.set_position(450 * column, 480 * row)
"""

SHOW = "builder = cryoweave.JobBuilder(project)\nbuilder"

# Installed before JupyterLab loads: records when the widget's root and all its cards appear.
WATCH_MOUNT = """
window.__cwMount = { mount: null, allCards: null, expected: %d };
new MutationObserver((_, observer) => {
  const t = performance.now();
  const state = window.__cwMount;
  if (state.mount === null && document.querySelector('[data-testid="job-builder"]')) {
    state.mount = t;
  }
  if (state.mount !== null &&
      document.querySelectorAll('[data-testid^="job-J"]').length >= state.expected) {
    state.allCards = t;
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""

# Armed before each drop: the time of the release, and of the first new edge after it.
WATCH_DROP = """
() => {
  const edges = () => [...document.querySelectorAll('[data-testid^="rf__edge-"]')];
  const before = new Set(edges().map((e) => e.dataset.testid));
  const state = { release: null, edge: null, id: null };
  window.__cwDrop = state;
  window.addEventListener("pointerup", () => { state.release = performance.now(); },
                          { capture: true, once: true });
  new MutationObserver((_, observer) => {
    const added = edges().find((e) => !before.has(e.dataset.testid));
    if (added && state.release !== null) {
      state.edge = performance.now();
      state.id = added.dataset.testid;
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
}
"""

HEIGHT = "id => document.querySelector(`[data-testid='${id}']`).getBoundingClientRect().height"
VIEWPORT = "() => document.querySelector('.react-flow__viewport').style.transform"
UNDER_NOTICE = (
    "([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-testid=canvas-notice]')"
)


def center(page: Page, testid: str) -> tuple[float, float]:
    box = page.get_by_test_id(testid).bounding_box()
    if box is None:
        raise RuntimeError(f"{testid} is not displayed")
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def zoom_in(page: Page, anchor: tuple[float, float], watched: str, height: float) -> None:
    """Wheel-zoom the canvas at ``anchor`` until ``watched`` is ``height`` pixels tall."""
    if page.evaluate(UNDER_NOTICE, list(anchor)):  # the last drop's note of what it did
        page.get_by_test_id("canvas-notice").wait_for(state="hidden")
    page.mouse.move(*anchor)
    while (before := page.evaluate(HEIGHT, watched)) < height:
        page.mouse.wheel(0, -200)
        page.wait_for_function(
            f"([id, h]) => ({HEIGHT})(id) !== h", arg=[watched, before], timeout=10_000
        )


def fit_view(page: Page, fitted: str) -> None:
    """Click "Fit view" and wait until the canvas is back at the ``fitted`` transform."""
    page.get_by_test_id("fit-view").click()
    page.wait_for_function(f"t => ({VIEWPORT})() === t", arg=fitted, timeout=10_000)


def show_all(page: Page) -> None:
    """Click "Fit view" and wait until the canvas stops moving. The first view is zoomed in
    for readable cards; the drops start from the whole project in view."""
    page.get_by_test_id("fit-view").click()
    before = None
    for _ in range(50):
        now = page.evaluate(VIEWPORT)
        if now == before:
            return
        before = now
        page.wait_for_timeout(100)


def drop(page: Page, source: str, target: str) -> tuple[float, str]:
    """Drag ``source`` onto ``target``, zoomed in on both, then fit the view again.

    Returns the release-to-new-edge time in ms and the new edge's test id.
    """
    fitted = page.evaluate(VIEWPORT)
    (sx, sy), (tx, ty) = center(page, source), center(page, target)
    zoom_in(page, ((sx + tx) / 2, (sy + ty) / 2), target, 30)  # enough to aim at
    page.evaluate(WATCH_DROP)
    x, y = center(page, source)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)
    x, y = center(page, target)
    page.mouse.move(x, y, steps=10)
    page.mouse.up()
    page.wait_for_function("window.__cwDrop.edge !== null", timeout=30_000)
    state = page.evaluate("window.__cwDrop")
    fit_view(page, fitted)
    return state["edge"] - state["release"], state["id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--drops", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, help="save the page at the end here (.png)")
    args = parser.parse_args()
    if args.drops > SOURCES or args.jobs < SOURCES + args.drops:
        parser.error(f"--jobs must be at least {SOURCES} + --drops, --drops at most {SOURCES}")
    cells = [PROJECT.format(jobs=args.jobs, sources=SOURCES), SHOW]
    pairs = [(f"J{row + 1}", f"J{SOURCES + row + 1}") for row in range(args.drops)]

    started = time.perf_counter()
    with scratch_home() as home:
        server = JupyterServer.start(home)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**chromium_launch_args())
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(60_000)
                page.add_init_script(WATCH_MOUNT % args.jobs)
                opened = open_notebook(server, page, "bench.ipynb", cells)
                page.wait_for_function("window.__cwMount.allCards !== null", timeout=180_000)
                mount = page.evaluate("window.__cwMount")
                page.get_by_test_id("job-builder").evaluate(
                    "el => el.scrollIntoView({block: 'center', behavior: 'instant'})"
                )
                size = opened.kernel.eval_json("len(json.dumps(builder.graph))")
                show_all(page)
                try:
                    rounds = [
                        drop(page, f"output-{source}-particles", f"input-{target}-particles")
                        for source, target in pairs
                    ]
                finally:
                    if args.screenshot is not None:
                        page.screenshot(path=args.screenshot)
                connected = opened.kernel.eval_json(
                    f"[(s, t) for s, t in {pairs!r} if any(c.job_uid == s for c in "
                    "project.job(t).state.input('particles').connections)]"
                )
                opened.close()
                browser.close()
        finally:
            server.stop()
    if [tuple(pair) for pair in connected] != pairs:
        print(f"the drops connected {connected}, expected {pairs}", file=sys.stderr)
        return 1

    times = [ms for ms, _ in rounds]
    print(f"JobBuilder, {args.jobs} jobs in JupyterLab (Chromium, headless)")
    print(f"mount to all {args.jobs} cards:   {mount['allCards'] - mount['mount']:8.0f} ms")
    print(
        f"drop to edge ({len(times)} drops):   {statistics.median(times):8.0f} ms median"
        f"  ({', '.join(f'{ms:.0f}' for ms in times)})"
    )
    print(f"graph trait as JSON:        {size / 1024:8.1f} KiB ({size:,} bytes)")
    print(f"whole run:                  {time.perf_counter() - started:8.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
