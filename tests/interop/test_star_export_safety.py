"""STAR export with the paths real users have: spaces, ``#`` and quotes are quoted so that
``starfile`` reads back the very same text, what no STAR file can hold is refused naming the
row and the field, and a failed write leaves the previous file whole."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import starfile

from cryoweave import Dataset, DatasetError
from cryoweave.demo import particles
from cryoweave.interop import write_relion_star

AWKWARD = [
    "J12/extract/plain.mrc",
    "J12/extract/with space.mrc",
    "J12/extract/hash#1.mrc",
    'J12/extract/say "hi".mrc',
    "J12/extract/both # and  two spaces.mrc",
    "_leading_underscore.mrc",
    "data_looks_like_a_block.mrc",
    "loop_.mrc",
    "µ-scope/é.mrc",
    "",
]


def with_paths(blob: list[str], micrographs: list[str]) -> Dataset:
    ds = particles(len(blob), ("blob", "ctf", "location"), seed=7)
    width = max(len(s.encode()) for s in [*blob, *micrographs]) + 1
    layout = [
        (n, f"S{width}" if n.endswith("_path") or n == "blob/path" else ds.array.dtype[n])
        for n in ds.fields()
    ]
    out = Dataset(ds.array.astype(layout))
    out["blob/path"][:] = [s.encode() for s in blob]
    out["location/micrograph_path"][:] = [s.encode() for s in micrographs]
    return out


def test_awkward_paths_read_back_exactly_with_starfile(tmp_path: Path) -> None:
    ds = with_paths(AWKWARD, AWKWARD[::-1])
    path = write_relion_star(ds, tmp_path / "p.star")
    table = starfile.read(path, always_dict=True)["particles"]
    names = [f"{i + 1:06d}@{p}" for i, p in zip(ds["blob/idx"], AWKWARD, strict=True)]
    assert table["rlnImageName"].tolist() == names
    assert table["rlnMicrographName"].tolist() == AWKWARD[::-1]
    np.testing.assert_allclose(table["rlnDefocusU"], ds["ctf/df1_A"], rtol=1e-6)
    assert len(table.columns) == 9  # no alignments3D in this dataset


@pytest.mark.parametrize(
    ("bad", "what"),
    [("\n", "a line break"), ("\t", "a tab"), ("\r", "a carriage return"), ("\x1b", "'\\x1b'")],
)
def test_what_no_star_file_can_hold_is_refused_naming_row_and_field(
    tmp_path: Path, bad: str, what: str
) -> None:
    micrographs = ["ok.mrc"] * 6
    micrographs[4] = f"J9/mic{bad}4.mrc"
    ds = with_paths(["J12/p.mrc"] * 6, micrographs)
    uid = int(ds["uid"][4])
    target = tmp_path / "p.star"
    with pytest.raises(
        DatasetError,
        match=rf"row 4 \(uid {uid}\): field 'location/micrograph_path' holds {re.escape(what)}",
    ):
        write_relion_star(ds, target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    """A real failure mid-write: the child process may not grow a file past 64 kB (as on a
    full disk), and writes a STAR file of 2,000 particles over a small one."""
    target = tmp_path / "p.star"
    write_relion_star(particles(10, ("blob", "ctf"), seed=1), target)
    before = target.read_bytes()
    child = textwrap.dedent(
        f"""
        import resource, signal
        from cryoweave.demo import particles
        from cryoweave.interop import write_relion_star
        ds = particles(2000, ("blob", "ctf", "location", "alignments3D"), seed=2)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
        try:
            write_relion_star(ds, {str(target)!r})
        except OSError as err:
            print("refused", err.errno)
        """
    )
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
    assert run.stdout.startswith("refused"), run.stderr
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.star"], "a temporary file remains"
