"""``export_html``: a project as one page, opened from disk with the network blocked and no
kernel: the canvas, the inspector read-only, the code panel; edits visibly off."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

import cryoweave
from cryoweave.demo import demo_project, particles
from cryoweave.graph import Project

from .canvas_geometry import wait_for_fit
from .conftest import screenshot_dir

CODE = ["project.job('J10').set_param('refine_symmetry', 'D7')"]


@pytest.fixture
def page_offline(page: Page) -> tuple[Page, list[str], list[str]]:
    """The page with every request that is not the file itself, a blob or data refused, and
    what was refused and what the page reported as errors."""
    refused: list[str] = []
    errors: list[str] = []

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "blob:", "data:")):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, refused, errors


def test_the_page_shows_the_project_with_no_kernel_and_no_network(
    page_offline: tuple[Page, list[str], list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, refused, errors = page_offline
    monkeypatch.setenv("CRYOWEAVE_DEMO", str(tmp_path / "demo"))
    project = demo_project()
    path = cryoweave.export_html(project, tmp_path / "t20s.html", code=CODE)
    page.goto(path.as_uri())
    page.get_by_test_id("job-J1").wait_for()
    wait_for_fit(page.get_by_test_id("job-builder"))  # laid out in the page, then fitted
    expect(page.get_by_test_id("job-builder")).to_contain_text("read-only")

    # Edits are off, visibly: no delete buttons, no "Add job", undo greyed.
    expect(page.locator("[data-testid^='delete-']")).to_have_count(0)
    expect(page.get_by_test_id("add-job")).to_have_count(0)
    expect(page.get_by_test_id("undo")).to_be_disabled()

    # The inspector reads the snapshot: inputs, then the parameters, not editable.
    page.get_by_test_id("job-J10").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_have_attribute("data-job", "J10")
    page.get_by_test_id("inspector-tab-params").click()
    symmetry = page.get_by_test_id("param-refine_symmetry")
    expect(symmetry).to_be_visible()
    expect(symmetry.locator("input, select").first).to_be_disabled()
    page.screenshot(path=screenshot_dir() / "standalone-inspector.png")

    # The code panel holds the lines given.
    page.get_by_test_id("toggle-code").click()
    expect(page.get_by_test_id("code-line-0")).to_contain_text(CODE[0])
    assert refused == [] and errors == []


def test_a_200_job_project_fits_in_3_mb(tmp_path: Path) -> None:
    with Project.create(tmp_path / "P1", title="Two hundred") as project:
        source = project.import_dataset(
            particles(50, ["blob", "ctf"], seed=0), "particle", "particles"
        )
        for i in range(199):
            job = project.create_job("homo_refine_new", position=(450 * (i // 20), 480 * (i % 20)))
            job.connect("particles", source.uid, "particles")
        path = cryoweave.export_html(project, tmp_path / "p.html")
    size = os.path.getsize(path)
    assert size <= 3_000_000, f"{size:,} bytes"
    page = path.read_text(encoding="utf-8")
    start = page.index('id="cryoweave-snapshot">') + len('id="cryoweave-snapshot">')
    snapshot = json.loads(page[start : page.index("</script>", start)])
    assert len(snapshot["graph"]["jobs"]) == 200 and snapshot["graph"]["read_only"] is True
    assert len(snapshot["param_lists"]) <= 2  # the refinements share one list


def test_a_page_is_not_written_into_a_missing_folder(tmp_path: Path) -> None:
    with (
        Project.create(tmp_path / "P1") as project,
        pytest.raises(FileNotFoundError, match="does not exist"),
    ):
        cryoweave.export_html(project, tmp_path / "nowhere" / "p.html")
    assert not (tmp_path / "nowhere").exists()
