"""The command line: ``cryoweave inspect``."""

from __future__ import annotations

import subprocess
import sys
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
