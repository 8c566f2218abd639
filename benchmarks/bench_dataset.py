"""Dataset-layer speed against cryosparc-tools and pandas, side by side on the same data.

Run: ``python benchmarks/bench_dataset.py`` (``--rows N`` for a smaller run).
Prints, per operation, each peer's time and the ratio to cryoweave, and whether
the target ratio is met. Times are the best of a few repeats in this one process.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cryosparc
import cryosparc.dataset as cst
import numpy as np
import pandas as pd

from cryoweave import Dataset
from cryoweave.demo import particles
from timing import best, best_fresh, join_inputs, scratch_dir

ALL = ["blob", "ctf", "alignments3D", "location"]


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, float | None, str]] = []
        self.failed = 0
        self.reasons: list[tuple[str, str]] = []

    def ratio(self, task: str, peer: str, ours: float, theirs: float, target: float) -> None:
        ratio = theirs / ours
        ok = ratio >= target
        self.failed += not ok
        verdict = f"{ratio:7.1f}x  target >= {target:g}x  {'ok' if ok else 'MISSED'}"
        self.rows.append((task, peer, ours, theirs, verdict))

    def at_most(self, task: str, peer: str, ours: float, theirs: float, limit: float) -> None:
        ratio = ours / theirs
        ok = ratio <= limit
        self.failed += not ok
        verdict = f"{ratio:7.2f} of it  target <= {limit:g}x  {'ok' if ok else 'MISSED'}"
        self.rows.append((task, peer, ours, theirs, verdict))

    def absolute(self, task: str, ours: float, limit: float) -> None:
        ok = ours <= limit
        self.failed += not ok
        verdict = f"target < {limit * 1e3:g} ms  {'ok' if ok else 'MISSED'}"
        self.rows.append((task, "-", ours, None, verdict))

    def info(self, task: str, ours: float, text: str) -> None:
        self.rows.append((task, "-", ours, None, text))

    def why(self, task: str, reason: str) -> None:
        """Why a target may be missed, printed under the table."""
        self.reasons.append((task, reason))

    def print(self) -> None:
        print(f"\n{'operation':<40} {'peer':<26} {'cryoweave':>10} {'peer':>10}  ratio")
        for task, peer, ours, theirs, verdict in self.rows:
            peer_time = f"{theirs * 1e3:8.1f}ms" if theirs is not None else " " * 10
            print(f"{task:<40} {peer:<26} {ours * 1e3:8.1f}ms {peer_time}  {verdict}")
        for task, reason in self.reasons:
            missed = any(row[0] == task and "MISSED" in row[4] for row in self.rows)
            if missed:
                print(f"\n{task}: missed because {reason}.")


def bench_open_and_save(report: Report, full: Dataset, workdir: Path) -> None:
    path = workdir / "particles.cs"
    full.save(path)
    ours = best(lambda: Dataset.load(path), repeats=5)
    theirs = best(lambda: cst.Dataset.load(path), repeats=2)
    report.ratio("open numpy-format .cs", "cryosparc-tools load", ours, theirs, 100)

    peer = cst.Dataset.load(path)
    loaded = Dataset.load(path)
    ours = best(lambda: loaded.save(workdir / "ours.cs"), repeats=5)
    theirs = best(lambda: peer.save(workdir / "theirs.cs"), repeats=5)
    report.ratio("save numpy-format .cs", "cryosparc-tools save", ours, theirs, 2)


def bench_join(report: Report, rows: int, workdir: Path) -> None:
    inputs = join_inputs(rows)

    joined = Dataset.innerjoin_many(*inputs)
    join = f"inner join 3 x {rows:,} (2 shuffled)"
    ours = best(lambda: Dataset.innerjoin_many(*inputs), repeats=5)

    # The bare gather: numpy take of the same output bytes, row indices known.
    order = [np.argsort(d["uid"]) for d in inputs]
    indices = [
        o[np.searchsorted(d["uid"], joined["uid"], sorter=o)]
        for d, o in zip(inputs, order, strict=True)
    ]
    blocks = [
        d.array if i == 0 else d.array[d.fields(exclude_uid=True)] for i, d in enumerate(inputs)
    ]
    voids = [b.view(f"V{b.itemsize}") for b in blocks]
    out_bytes = sum(len(idx) * b.itemsize for idx, b in zip(indices, blocks, strict=True))
    assert out_bytes >= joined.array.nbytes
    bare = best(lambda: [np.take(v, idx) for v, idx in zip(voids, indices, strict=True)], 5)
    report.at_most(join, "bare numpy gather", ours, bare, 2)

    paths = []
    for i, d in enumerate(inputs):
        paths.append(workdir / f"join{i}.cs")
        d.save(paths[-1])
    peers = [cst.Dataset.load(p) for p in paths]
    theirs = best(lambda: cst.Dataset.innerjoin_many(*peers), repeats=2)
    report.ratio(join, "cryosparc-tools innerjoin", ours, theirs, 5)

    frames = [_natural_frame(d) for d in inputs]
    theirs = best(lambda: frames[0].merge(frames[1], on="uid").merge(frames[2], on="uid"), 2)
    # The 10x target against pandas.merge is retired: on 2 cores the bare gather alone is
    # about 8x; the ratio is still printed.
    report.rows.append((join, "pandas.merge", ours, theirs, f"{theirs / ours:7.1f}x  no target"))


def _natural_frame(ds: Dataset) -> pd.DataFrame:
    """The DataFrame a pandas user would hold: decoded strings, numeric columns."""
    frame = ds.to_pandas()
    for name in ds.fields():
        if ds.array.dtype[name].kind == "S":
            frame[name] = ds.strings(name)
    return frame


def bench_append(report: Report, full: Dataset, workdir: Path) -> None:
    quarter = len(full) // 4
    parts = [full.take(np.arange(i * quarter, (i + 1) * quarter)) for i in range(4)]
    Dataset.append_many(*parts)  # as for the join: the kernels load once per process
    ours = best(lambda: Dataset.append_many(*parts), repeats=5)
    paths = []
    for i, part in enumerate(parts):
        paths.append(workdir / f"part{i}.cs")
        part.save(paths[-1])
    peers = [cst.Dataset.load(p) for p in paths]
    theirs = best(lambda: cst.Dataset.append_many(*peers, repeat_allowed=False))
    report.ratio(f"append 4 x {quarter:,}, uid check", "cryosparc-tools append", ours, theirs, 5)


def bench_verbs(report: Report, full: Dataset, workdir: Path) -> None:
    """The cryosparc-tools verbs a notebook user reaches for, on the same file's data."""
    path = workdir / "verbs.cs"
    full.save(path)
    peer = cst.Dataset.load(path)
    ours = Dataset.load(path)
    rows = len(full)

    # Swap in longer paths (the mission's case), given as the peer's users make them: an
    # object array of str (the peer's best case: it keeps the pointers) and a list.
    longer = np.array(
        [f"J99/imported/full_size/{p}" for p in ours["blob/path"].tolist()], dtype=object
    )
    assign = lambda values: lambda d: d.__setitem__("blob/path", values)  # noqa: E731
    mine = best_fresh(lambda: Dataset.load(path), assign(longer))
    theirs = best_fresh(lambda: cst.Dataset.load(path), assign(longer))
    task = f"assign longer text, {rows:,} rows"
    report.ratio(task, "cryosparc-tools ds[f] = v", mine, theirs, 2)
    report.why(
        task,
        "the peer keeps pointers to the caller's str objects (a pointer copy); cryoweave "
        "stores the text as UTF-8 (numpy StringDType), which reads every string once. The "
        "saved file needs those bytes: see the row with the save",
    )
    listed = longer.tolist()
    mine = best_fresh(lambda: Dataset.load(path), assign(listed))
    theirs = best_fresh(lambda: cst.Dataset.load(path), assign(listed))
    report.ratio("assign longer text from a list", "cryosparc-tools ds[f] = v", mine, theirs, 2)
    report.why(
        "assign longer text from a list",
        "as above: the peer's numpy turns the list into an object array of the same "
        "pointers; cryoweave reads each str into its UTF-8 text",
    )
    out = workdir / "assigned.cs"
    mine = best_fresh(lambda: Dataset.load(path), lambda d: (assign(longer)(d), d.save(out)))
    theirs = best_fresh(
        lambda: cst.Dataset.load(path), lambda d: (assign(longer)(d), d.save(out)), repeats=1
    )
    report.ratio(
        "assign longer text, then save", "cryosparc-tools ds[f] = v; save", mine, theirs, 2
    )
    report.why(
        "assign longer text, then save",
        "both sides encode the new paths to fixed-width bytes at the save; "
        "cryoweave's cast from StringDType (numpy's str_len and astype, about 0.5 s here) "
        "is most of its time, the record layout and the write the rest",
    )

    where = {"blob/path": str(ours["blob/path"][rows // 2])}
    mine = best(lambda: ours.query(where), repeats=3)
    theirs = best(lambda: peer.query(where), repeats=3)
    report.ratio("query one blob/path", "cryosparc-tools query", mine, theirs, 2)

    field = "location/micrograph_path"
    mine = best(lambda: ours.split_by(field), repeats=2)
    theirs = best(lambda: peer.split_by(field), repeats=1)
    groups = len(ours.split_by(field))
    report.ratio(
        f"split_by micrograph ({groups:,} groups)", "cryosparc-tools split_by", mine, theirs, 2
    )

    half = rows // 2
    a, b = ours.slice(0, half + half // 2), ours.slice(half // 2)
    pa, pb = peer.slice(0, half + half // 2), peer.slice(half // 2)
    mine = best(lambda: a.union(b), repeats=3)
    theirs = best(lambda: pa.union(pb), repeats=2)
    report.ratio("union of two 3/4 overlapping", "cryosparc-tools union", mine, theirs, 2)

    added = [("extra/score", "f4"), ("extra/class", "u4"), ("extra/note", "O")]
    mine = best_fresh(lambda: Dataset.load(path), lambda d: d.add_fields(added))
    theirs = best_fresh(lambda: cst.Dataset.load(path), lambda d: d.add_fields(added), repeats=1)
    report.ratio("add_fields (3, one text)", "cryosparc-tools add_fields", mine, theirs, 2)

    renames = {f: f.replace("ctf/", "ctf_old/") for f in ours.fields() if f.startswith("ctf/")}
    mine = best_fresh(lambda: Dataset.load(path), lambda d: d.rename_fields(renames))
    theirs = best_fresh(
        lambda: cst.Dataset.load(path), lambda d: d.rename_fields(renames), repeats=1
    )
    report.ratio(
        f"rename_fields ({len(renames)})", "cryosparc-tools rename_fields", mine, theirs, 2
    )

    # Each dataset builds its rows at its first rows() call and keeps them (the peer too):
    # first a fresh dataset's call, as a notebook loop makes it, then the kept rows.
    small, small_peer = ours.slice(0, 10_000), peer.slice(0, 10_000)
    loop = lambda d: [r["ctf/df1_A"] for r in d.rows()]  # noqa: E731
    mine = best_fresh(lambda: small.slice(), loop, repeats=5)
    theirs = best_fresh(lambda: small_peer.slice(), loop, repeats=5)
    report.ratio(
        "rows() of 10,000, first call, one field", "cryosparc-tools rows()", mine, theirs, 2
    )
    report.why(
        "rows() of 10,000, first call, one field",
        "making 10,000 Row objects is Python object creation on both sides; cryoweave "
        "fetches each column at its first use instead of all 50 up front",
    )
    mine = best(lambda: loop(small), repeats=3)
    theirs = best(lambda: loop(small_peer), repeats=3)
    report.ratio("rows() of 10,000 again, one field", "cryosparc-tools rows()", mine, theirs, 2)
    report.why(
        "rows() of 10,000 again, one field",
        "both read row[f] as the same Python call, a dict look-up and a numpy index; "
        "no layout of the data makes that call cheaper",
    )


def bench_first_call(report: Report) -> None:
    """The one-off cost of a process's first join: numba loads the compiled uid
    kernels (from its on-disk cache after the first run). The timed runs above
    exclude it, so it is reported on its own."""
    script = (
        "import time, numpy as np\n"
        "from cryoweave.demo import particles\n"
        "a = particles(1000, ['blob'])\n"
        "b = particles(1000, ['ctf'], uids=a['uid'][::-1].copy())\n"
        "start = time.perf_counter()\n"
        "a.innerjoin(b)\n"
        "print(time.perf_counter() - start)\n"
    )
    command = [sys.executable, "-c", script]
    subprocess.run(command, check=True, capture_output=True)  # fills numba's cache if empty
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    report.info("first join in a new process", float(done.stdout), "one-off: loads the kernels")


def bench_pandas(report: Report, full: Dataset) -> None:
    numeric = full.filter_fields(lambda name: full.array.dtype[name].kind != "S")
    ours = best(numeric.to_pandas, repeats=5)
    report.absolute(f"to_pandas {len(full):,} x {len(numeric.fields())} numeric", ours, 0.010)
    text = numeric.copy()
    text["blob/path"] = Dataset(full)["blob/path"]  # full's own text is not taken
    ours = best(text.to_pandas, repeats=3)
    decoded = best(lambda: text["blob/path"].astype(object), repeats=3)
    report.at_most(
        "to_pandas, and one text column", "numpy decode to str objects", ours, decoded, 1
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"cryoweave dataset benchmark: {args.rows:,} particles, {time.strftime('%Y-%m-%d')}")
    print(
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"cryosparc-tools {cryosparc.__version__}"
    )
    report = Report()
    base = scratch_dir(8 * 512 * args.rows)
    print(f"files in: {base or tempfile.gettempdir()}")
    with tempfile.TemporaryDirectory(prefix="cryoweave-bench-", dir=base) as tmp:
        workdir = Path(tmp)
        full = particles(args.rows, ALL)
        print(f"data: {len(full.fields())} fields, {full.array.itemsize} bytes per particle")
        bench_open_and_save(report, full, workdir)
        bench_pandas(report, full)
        bench_append(report, full, workdir)
        bench_verbs(report, full, workdir)
        del full
        bench_join(report, args.rows, workdir)
    bench_first_call(report)
    report.print()
    targets = sum(1 for row in report.rows if "target" in row[4])
    print(f"\n{targets - report.failed} of {targets} targets met")
    if args.rows != 1_000_000:
        print(
            "(the targets are set for 1,000,000 particles; at other sizes the peers' costs "
            "scale differently, so a smaller run shows the benchmark works, not the targets)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
