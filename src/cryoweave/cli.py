"""The ``cryoweave`` command line."""

from __future__ import annotations

import argparse
import os
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
    lab = commands.add_parser(
        "lab",
        help="open JupyterLab on the job builder tour, with a demo project made on first use",
        description="Open JupyterLab on notebooks/job_builder_tour.ipynb. The T20S demo project "
        "is made on first use in --demo (default: $CRYOWEAVE_DEMO or ~/cryoweave_demo).",
    )
    lab.add_argument("--demo", type=Path, default=None, metavar="FOLDER")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument(
        "--prepare-only",
        action="store_true",
        help="make the demo project, print where it and the notebook are, and exit",
    )
    args = parser.parse_args(argv)

    if args.command == "lab":
        return _lab(args.demo, args.port, args.no_browser, args.prepare_only)
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


TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "job_builder_tour.ipynb"


def _lab(demo: Path | None, port: int, no_browser: bool, prepare_only: bool) -> int:
    from .demo import default_demo_path, demo_project
    from .graph import JobError

    root = (demo or default_demo_path()).expanduser().resolve()
    made = not root.exists()
    try:
        demo_project(root).close()
    except JobError as err:
        print(f"cryoweave: {err}", file=sys.stderr)
        return 1
    print(f"{'Made' if made else 'Using'} the demo project {root}")
    if not TOUR.is_file():
        print(
            f"cryoweave: the tour notebook is not at {TOUR}; `cryoweave lab` runs from a clone "
            "of the repository installed with `pip install -e .`",
            file=sys.stderr,
        )
        return 1
    print(f"Notebook: {TOUR}")
    if prepare_only:
        return 0
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        str(TOUR),
        f"--ServerApp.root_dir={TOUR.parent}",
        f"--ServerApp.port={port}",
    ]
    if no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # As in most containers. JupyterLab refuses root unless told, and exits at once.
        command.append("--allow-root")
        print("Running as root: JupyterLab is started with --allow-root.")
    print(
        "JupyterLab prints the address to open below "
        f"(http://localhost:{port}/lab?token=...); stop it with Ctrl+C."
    )
    sys.stdout.flush()
    os.environ["CRYOWEAVE_DEMO"] = str(root)
    try:
        os.execv(sys.executable, command)
    except OSError as err:
        print(f"cryoweave: cannot start JupyterLab ({err})", file=sys.stderr)
        return 1
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
