"""Resolving a job's input against the dataset layer's join on the same data.

Run: ``python benchmarks/bench_resolve.py`` (``--rows N`` for a smaller run).
A refinement-like job's particle input is connected to an import of blob+ctf and
two slots are overridden from two other jobs (alignments3D, shuffled; location,
shuffled and 10% short): resolving it reads three files and joins them. The
peer is ``Dataset.innerjoin_many`` of the same three files, opened the same way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from cryoweave import Dataset
from cryoweave.graph import InputSpec, JobSpec, Project, SlotSpec
from timing import best, join_inputs, scratch_dir

TARGET = 1.20  # resolution may cost at most 20% more than the join

CONSUMER = JobSpec(
    "consumer",
    "Consumer",
    "Benchmark",
    "Reads particles with four results",
    inputs=(
        InputSpec(
            "particles",
            "particle",
            "Particles",
            (
                SlotSpec("blob", "particle.blob"),
                SlotSpec("ctf", "particle.ctf"),
                SlotSpec("alignments3D", "particle.alignments3D", required=False),
                SlotSpec("location", "particle.location", required=False),
            ),
        ),
    ),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = args.rows
    base = scratch_dir(4 * 512 * rows)
    with tempfile.TemporaryDirectory(prefix="cryoweave-resolve-", dir=base) as tmp:
        project = Project.create(Path(tmp) / "P1")
        jobs = [project.import_dataset(d, "particle", "particles") for d in join_inputs(rows)]
        consumer = project.add_job(CONSUMER)
        consumer.connect("particles", jobs[0].uid, "particles")
        for job, slot in zip(jobs[1:], ("alignments3D", "location"), strict=True):
            consumer.connect_result("particles", 0, slot, job.uid, "particles", slot)

        files = [project.root / f"{job.uid}/{job.uid}_particles.cs" for job in jobs]
        resolved = consumer.resolve_input("particles")
        joined = Dataset.innerjoin_many(*[Dataset.load(f) for f in files])
        assert len(resolved) == len(joined) == rows - rows // 10
        assert set(resolved.fields()) == set(joined.fields())

        ours = best(lambda: consumer.resolve_input("particles"), 5)
        join = best(lambda: Dataset.innerjoin_many(*[Dataset.load(f) for f in files]), 5)
        project.close()
    ratio = ours / join
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"resolve {rows:,} particles from 3 jobs: {ours * 1e3:.1f} ms")
    print(f"innerjoin_many of the same 3 files:   {join * 1e3:.1f} ms")
    print(f"ratio {ratio:.2f} (target <= {TARGET:.2f})  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
