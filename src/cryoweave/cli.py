"""The ``cryoweave`` command line."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .data import CsFormatError, Dataset
from .data.summary import dataset_summary, format_summary

DEMO_PARTICLES = 10_000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cryoweave", description="cryoweave's command line")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser(
        "inspect",
        help="summarise .cs files: rows, and fields grouped by result",
        description="Summarise .cs files. With no file, writes and inspects a demo particle stack.",
    )
    inspect.add_argument("files", nargs="*", metavar="FILE.cs")
    args = parser.parse_args(argv)

    if not args.files:
        return _inspect_demo()
    status = 0
    for path in args.files:
        try:
            ds = Dataset.load(path)
        except (CsFormatError, OSError) as err:
            print(f"cryoweave: {err}", file=sys.stderr)
            status = 1
            continue
        print(format_summary(dataset_summary(ds)))
    return status


def _inspect_demo() -> int:
    from .demo import particles

    with tempfile.TemporaryDirectory(prefix="cryoweave-demo-") as tmp:
        path = Path(tmp) / "J12_particles_demo.cs"
        particles(DEMO_PARTICLES).save(path)
        print(f"No file given: inspecting a demo stack of {DEMO_PARTICLES:,} particles.\n")
        print(format_summary(dataset_summary(Dataset.load(path))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
