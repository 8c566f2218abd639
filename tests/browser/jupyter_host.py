"""JupyterLab as a real host for the widgets: a server, a notebook opened in Chromium, and a
client on the notebook's kernel to check what Python holds after a drag.

Plain helpers with no pytest in them, so ``benchmarks/bench_widget.py`` drives the same host
as the tests. The facts behind each step are in ``shared/docs/BROWSER_TESTING.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
from jupyter_client import BlockingKernelClient
from playwright.sync_api import ConsoleMessage, Error, Page

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "cryoweave-browser-tests"

# Debian's Chromium, headless, kept off the network it cannot reach anyway.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

# Without this JupyterLab may cover the notebook with "Get notified about official Jupyter news?".
_QUIET_NOTIFICATIONS = {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

T = TypeVar("T")


def chromium_launch_args() -> dict[str, Any]:
    """Keyword arguments of ``BrowserType.launch`` for Debian's Chromium."""
    return {"executable_path": str(CHROMIUM), "args": list(CHROMIUM_ARGS), "headless": True}


def wait_until(
    probe: Callable[[], T | None], timeout: float = 30.0, what: str = "a condition"
) -> T:
    """Call ``probe`` until it returns something other than None or False; return that."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = probe()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class JupyterServer:
    """A JupyterLab server in its own process group, with every Jupyter folder in ``home``."""

    home: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    token: str = TOKEN

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def root_dir(self) -> Path:
        return self.home / "root"

    @property
    def runtime_dir(self) -> Path:
        return self.home / "runtime"

    @classmethod
    def start(cls, home: Path, timeout: float = 60.0) -> JupyterServer:
        """Start JupyterLab on a free port of 127.0.0.1 and wait until its API answers."""
        dirs = {
            name: home / name
            for name in ("root", "config", "data", "runtime", "lab-settings", "workspaces")
        }
        for folder in dirs.values():
            folder.mkdir(parents=True, exist_ok=True)
        notification = (
            dirs["lab-settings"]
            / "@jupyterlab"
            / "apputils-extension"
            / "notification.jupyterlab-settings"
        )
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps(_QUIET_NOTIFICATIONS), encoding="utf-8")
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_DATA_DIR": str(dirs["data"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "JUPYTERLAB_SETTINGS_DIR": str(dirs["lab-settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONUNBUFFERED": "1",
        }
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.allow_root=True",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={dirs['root']}",
            # No reaching for news or updates from the server side either.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        log_path = home / "jupyterlab.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=dirs["root"],
                start_new_session=True,  # its own process group, to kill it alone
            )
        server = cls(home, port, process, log_path)
        try:
            wait_until(server._answers, timeout, "JupyterLab's /api/status")
        except BaseException as error:
            server.stop()
            raise RuntimeError(f"JupyterLab did not start:\n{server.log_tail()}") from error
        return server

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with status {self.process.returncode}")
        try:
            self.api("GET", "/api/status")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return True

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API; returns the decoded JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def log_tail(self, chars: int = 20_000) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-chars:]

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then kill its process group."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError, urllib.error.URLError):
                self.api("POST", "/api/shutdown")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)

    def kernel_id(self, notebook: str) -> str:
        """The id of the kernel of the session that JupyterLab opened for ``notebook``."""

        def find() -> str | None:
            for session in self.api("GET", "/api/sessions"):
                if session.get("path") == notebook and session.get("kernel"):
                    return str(session["kernel"]["id"])
            return None

        return wait_until(find, 30, f"a kernel session for {notebook}")

    def close_sessions(self) -> None:
        """Shut down every session and its kernel, so kernels do not pile up across tests."""
        for session in self.api("GET", "/api/sessions"):
            with contextlib.suppress(urllib.error.URLError):
                self.api("DELETE", f"/api/sessions/{session['id']}")


class NotebookError(RuntimeError):
    """A cell of the notebook failed; the message is the traceback JupyterLab shows."""


class KernelError(RuntimeError):
    """Code run in the notebook's kernel raised; the message is its traceback."""


class Kernel:
    """A second client on the notebook's kernel, to run code there from the test process."""

    def __init__(self, connection_file: Path) -> None:
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)

    def run(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code`` in the kernel; returns what it printed to stdout."""
        printed: list[str] = []
        errors: list[str] = []

        def collect(message: dict[str, Any]) -> None:
            content = message["content"]
            if message["msg_type"] == "stream" and content["name"] == "stdout":
                printed.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(_ANSI.sub("", "\n".join(content["traceback"])))

        reply = self.client.execute_interactive(
            code,
            store_history=False,
            allow_stdin=False,
            timeout=timeout,
            output_hook=collect,
        )
        if reply["content"]["status"] != "ok":
            raise KernelError("\n".join(errors) or str(reply["content"]))
        return "".join(printed)

    def eval_json(self, expression: str) -> Any:
        """The value of a JSON-serialisable Python ``expression`` evaluated in the kernel."""
        marker = "@@cryoweave-json@@"
        printed = self.run(
            f"import json as _cw_json\nprint({marker!r} + _cw_json.dumps({expression}))"
        )
        return json.loads(printed.rsplit(marker, 1)[1])

    def close(self) -> None:
        self.client.stop_channels()


@dataclass
class Notebook:
    """A notebook open in JupyterLab in ``page``, with the console errors the page logged."""

    server: JupyterServer
    page: Page
    name: str
    console_errors: list[str] = field(default_factory=list)
    _kernel: Kernel | None = None

    @property
    def kernel(self) -> Kernel:
        """A client on this notebook's kernel (connected on first use)."""
        if self._kernel is None:
            kernel_id = self.server.kernel_id(self.name)
            self._kernel = Kernel(self.server.runtime_dir / f"kernel-{kernel_id}.json")
        return self._kernel

    def run_all_cells(self) -> None:
        """Run → Run All Cells, once the kernel is idle (a run sent earlier is dropped)."""
        wait_for_idle_kernel(self.page)
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    def close(self) -> None:
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None


def write_notebook(root_dir: Path, name: str, cells: list[str]) -> Path:
    """Write a notebook of code ``cells`` for the python3 kernel into the server's root."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = root_dir / name
    nbformat.write(notebook, path)
    return path


def watch_console(page: Page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions as they happen."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            errors.append(f"console.error: {message.text} ({location})")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught: {error.message}\n{error.stack or ''}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


def wait_for_idle_kernel(page: Page, timeout: float = 60_000) -> None:
    """Wait until the status bar shows the notebook's kernel connected and idle."""
    page.locator(".jp-StatusBar-Widget").get_by_text(re.compile(r"\|\s*Idle$")).first.wait_for(
        timeout=timeout
    )


def open_notebook(
    server: JupyterServer,
    page: Page,
    name: str,
    cells: list[str],
    wait_for_testid: str | None = None,
    timeout: float = 120_000,
) -> Notebook:
    """Write ``cells`` as notebook ``name``, open it in JupyterLab, run all its cells and, if
    given, wait for the element with ``data-testid=wait_for_testid`` (a widget's root)."""
    write_notebook(server.root_dir, name, cells)
    notebook = Notebook(server, page, name, watch_console(page))
    # ?reset: a fresh workspace, so notebooks of earlier tests are not reopened with it.
    page.goto(f"{server.url}/lab/tree/{name}?reset&token={server.token}")
    notebook.run_all_cells()
    if wait_for_testid is not None:
        widget = page.get_by_test_id(wait_for_testid).first
        # A traceback in any cell's output: fail at once with it rather than at the timeout.
        error = page.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
            has_text=re.compile(r"Traceback|Error"),
        ).first
        widget.or_(error).wait_for(timeout=timeout)
        if not widget.is_visible() and error.is_visible():
            raise NotebookError(
                f"{name} failed before showing {wait_for_testid}:\n{error.inner_text()}"
            )
    return notebook


@contextlib.contextmanager
def scratch_home(prefix: str = "cryoweave-jupyter-") -> Iterator[Path]:
    """A temporary folder for a server's folders, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)
