"""Fixtures of the browser tests: one JupyterLab server for the session, Debian's Chromium
driven by Playwright, notebooks opened and run in it, and a client on their kernels.

Every test here is marked ``browser``. Without Chromium they are skipped on a developer's
machine and fail in CI (``CI`` set), so a CI run never passes without them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from .jupyter_host import (
    CHROMIUM,
    JupyterServer,
    Notebook,
    chromium_launch_args,
    open_notebook,
)

HERE = Path(__file__).parent
REPO = HERE.parents[1]

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_SERVER = pytest.StashKey[JupyterServer]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CRYOWEAVE_SCREENSHOTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    server = item.config.stash.get(_SERVER, None)
    if report.failed and server is not None and HERE in item.path.parents:
        report.sections.append(("JupyterLab server log (end)", server.log_tail(8_000)))
    return report


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium: Playwright's own download cannot reach its servers here."""
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if in_ci():
            pytest.fail(f"CI is set and {reason}; browser tests must not be skipped in CI")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium: Path
) -> dict[str, Any]:
    return {**browser_type_launch_args, **chromium_launch_args()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(scope="session")
def jupyter_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[JupyterServer]:
    server = JupyterServer.start(tmp_path_factory.mktemp("jupyter"))
    pytestconfig.stash[_SERVER] = server
    try:
        yield server
    finally:
        server.stop()
        del pytestconfig.stash[_SERVER]


@pytest.fixture(autouse=True)
def _screenshot(page: Page, request: pytest.FixtureRequest) -> Iterator[None]:
    """A screenshot of the page at the end of every test, named ``-failed`` on failure."""
    page.set_default_timeout(30_000)
    yield
    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    folder = screenshot_dir()
    (folder / f"{name}{'' if failed else '-failed'}.png").unlink(missing_ok=True)  # a stale one
    page.screenshot(path=folder / f"{name}{'-failed' if failed else ''}.png")


@pytest.fixture
def notebook(
    jupyter_server: JupyterServer, page: Page, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Notebook]]:
    """``notebook(cells, wait_for_testid=...)``: open the cells as a notebook named after the
    test in JupyterLab, run them all, and wait for the widget with that test id."""
    opened: list[Notebook] = []

    def open_cells(cells: list[str], wait_for_testid: str | None = None) -> Notebook:
        name = re.sub(r"[^\w-]+", "_", request.node.name) + f"_{len(opened)}.ipynb"
        opened.append(open_notebook(jupyter_server, page, name, cells, wait_for_testid))
        return opened[-1]

    yield open_cells
    for each in opened:
        each.close()
    jupyter_server.close_sessions()
