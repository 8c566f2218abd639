"""DatasetView rendered by JupyterLab in Chromium, from a notebook run top to bottom."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from .jupyter_host import Notebook


def test_dataset_view_shows_the_row_count(notebook: Callable[..., Notebook]) -> None:
    opened = notebook(
        [
            "import cryoweave.demo\n"
            "from cryoweave.widget import DatasetView\n"
            "ds = cryoweave.demo.particles(2000)",
            "DatasetView.of(ds)",
        ],
        wait_for_testid="dataset-summary",
    )
    summary = opened.page.get_by_test_id("dataset-summary")
    expect(summary).to_contain_text("2,000 rows")
    expect(opened.page.get_by_test_id("group-blob")).to_be_visible()
    summary.scroll_into_view_if_needed()
    assert opened.console_errors == []
