"""The command line: ``cryoweave inspect``."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REAL = Path(__file__).parents[2] / "shared" / "data" / "real_cs"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cryoweave.cli", *args], capture_output=True, text=True, check=False
    )


def test_inspect_prints_rows_and_fields_grouped_by_result():
    result = run("inspect", str(REAL / "cryodrgn__cryosparc_P12_J24_001_particles.cs"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2,019 rows" in out
    assert "  blob  (5 fields)" in out
    assert "alignments3D/pose" in out and "<f4 x3" in out
    assert "ctf/type" in out and "|S" in out


def test_inspect_without_a_file_shows_the_demo_stack():
    result = run("inspect")
    assert result.returncode == 0, result.stderr
    assert "demo stack of 10,000 particles" in result.stdout
    assert "10,000 rows" in result.stdout
    assert "location/micrograph_path" in result.stdout


def test_inspect_reports_a_bad_file_and_goes_on(tmp_path):
    bad = tmp_path / "bad.cs"
    bad.write_bytes(b"not a cs file at all")
    good = REAL / "cryodrgn__empiar_10076_7.cs"
    result = run("inspect", str(bad), str(good))
    assert result.returncode == 1
    assert f"{bad}: unknown .cs layout" in result.stderr
    assert "7 rows" in result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_lab_starts_where_jupyter_lab_can_and_opens_the_tour(tmp_path):
    """`cryoweave lab` for real (as root too, as in most containers): the server answers on
    loopback and serves the tour notebook; then it is stopped."""
    port = _free_port()
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        lab = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cryoweave.cli",
                "lab",
                "--no-browser",
                "--port",
                str(port),
                "--demo",
                str(tmp_path / "demo"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
        )
    try:
        token = None
        deadline = time.monotonic() + 90
        while token is None and time.monotonic() < deadline:
            assert lab.poll() is None, f"cryoweave lab exited:\n{log.read_text()}"
            found = re.search(
                rf"http://(?:localhost|127\.0\.0\.1):{port}/lab\?token=(\w+)", log.read_text()
            )
            token = found.group(1) if found else None
            time.sleep(0.5)
        assert token, f"no server address in the output:\n{log.read_text()}"
        url = f"http://127.0.0.1:{port}/api/contents/job_builder_tour.ipynb?token={token}"
        with urllib.request.urlopen(url, timeout=30) as reply:
            notebook = json.load(reply)
        assert notebook["type"] == "notebook" and notebook["content"]["cells"]
        page = f"http://127.0.0.1:{port}/lab/tree/job_builder_tour.ipynb?token={token}"
        with urllib.request.urlopen(page, timeout=30) as reply:
            assert reply.status == 200 and b"JupyterLab" in reply.read()
        if os.geteuid() == 0:
            assert "Running as root: JupyterLab is started with --allow-root." in log.read_text()
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
