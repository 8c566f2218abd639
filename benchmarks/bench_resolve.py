"""Resolving a job's input against the dataset layer's join on the same data.

Run: ``python benchmarks/bench_resolve.py`` (``--rows N`` for a smaller run).
A refinement-like job's particle input is connected to an import of blob+ctf and
two slots are overridden from two other jobs (alignments3D, shuffled; location,
shuffled and 10% short): resolving it reads three files and joins them. The
peer is ``Dataset.innerjoin_many`` of the same three files, opened the same way.

Then one slot of that input: ``resolve_input("particles", slots=["blob"])`` reads only
the import's file. It is timed against the whole input (target: at least 5x faster)
and against its floor, ``Dataset.load`` of that one file and taking its blob rows
(``filter_prefixes``) (target: within 1.2x). Both ways a caller meets the result:
as returned (the slot and the floor are views of the memory-mapped file, nothing read
yet) and with the rows in memory (each result given a packed copy of its fields,
``repack_fields``, inside its timing; the joined input already is one). The blob
result carries the 112-byte path and is about a third of the input's bytes, so with
the rows in memory the whole input costs about 3x the slot, whatever the join costs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from numpy.lib import recfunctions

from cryoweave import Dataset
from cryoweave.graph import InputSpec, JobSpec, Project, SlotSpec
from timing import best, join_inputs, scratch_dir

TARGET = 1.20  # resolution may cost at most 20% more than the join
SLOT_SPEEDUP = 5.0  # one slot resolves at least 5x faster than the whole input
SLOT_TARGET = 1.20  # and costs at most 20% more than opening its file and taking its rows

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

        slot_view = best(lambda: consumer.resolve_input("particles", slots=["blob"]))
        floor_view = best(lambda: Dataset.load(files[0]).filter_prefixes(["blob"]))

        def whole() -> np.ndarray:
            return materialised(consumer.resolve_input("particles"))

        def one_slot() -> np.ndarray:
            return materialised(consumer.resolve_input("particles", slots=["blob"]))

        def floor() -> np.ndarray:
            return materialised(Dataset.load(files[0]).filter_prefixes(["blob"]))

        assert len(one_slot()) == rows and one_slot().dtype == floor().dtype
        assert np.array_equal(one_slot(), floor())
        slot_copy = best(one_slot, 5)
        floor_copy = best(floor, 5)
        whole_copy = best(whole, 5)
        project.close()
    ratio = ours / join
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"resolve {rows:,} particles from 3 jobs: {ours * 1e3:.1f} ms")
    print(f"innerjoin_many of the same 3 files:   {join * 1e3:.1f} ms")
    print(f"ratio {ratio:.2f} (target <= {TARGET:.2f})  {verdict}")
    header = "one slot of that input, slots=['blob'] (1 file of 3)"
    print(f"\n{header:<52}{'as returned':>14}{'rows in memory':>18}")
    for name, view, copy in (
        ("resolve slots=['blob']", slot_view, slot_copy),
        ("resolve the whole input", ours, whole_copy),
        ("load the file + its blob rows (floor)", floor_view, floor_copy),
    ):
        print(f"  {name:<50}{view * 1e3:11.2f} ms{copy * 1e3:15.1f} ms")
    speedups = (ours / slot_view, whole_copy / slot_copy)
    cells = "".join(f"{x:9.1f}x {_verdict(x >= SLOT_SPEEDUP):<7}" for x in speedups)
    print(f"  {f'whole / slot (target >= {SLOT_SPEEDUP:g}x)':<50}{cells}".rstrip())
    ratios = (slot_view / floor_view, slot_copy / floor_copy)
    cells = "".join(f"{x:9.2f}x {_verdict(x <= SLOT_TARGET):<7}" for x in ratios)
    print(f"  {f'slot / floor (target <= {SLOT_TARGET:g}x)':<50}{cells}".rstrip())
    return 0


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def materialised(dataset: Dataset) -> np.ndarray:
    """The rows in memory: a packed copy of a view (a joined dataset already is one)."""
    array: np.ndarray = recfunctions.repack_fields(dataset.array)
    return array


if __name__ == "__main__":
    sys.exit(main())
