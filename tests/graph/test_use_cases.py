"""The job builder guide's two advanced cases, end to end, on real files."""

from __future__ import annotations

import numpy as np
import pytest

from cryoweave import Dataset
from cryoweave.demo import particles
from cryoweave.graph import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "P1") as p:
        yield p


def test_downsampled_particles_refined_with_full_size_blobs(project):
    # J1: 10,000 imported particles, full size.
    j1 = project.import_dataset(particles(10_000, ["blob", "ctf"], seed=1), "particle", "particles")

    # J2: downsample (an external job): smaller images, larger pixels; ctf passes through.
    j2 = project.create_external_job("Downsample")
    j2.add_input("particle", "particles", min=1, slots=["blob", "ctf"])
    j2.connect("particles", j1.uid, "particles")
    j2.add_output("particle", "particles", slots=["blob"], passthrough="particles")
    with j2.run():
        full = j2.resolve_input("particles").filter_prefixes(["blob"]).take(np.arange(10_000))
        full["blob/shape"][:] //= 4
        full["blob/psize_A"][:] *= 4
        j2.save_output("particles", full)

    # J3: 2D classification keeps 6,000 of them and adds alignments2D (external job).
    j3 = project.create_external_job("Classify 2D and select")
    j3.add_input("particle", "particles", min=1, slots=["blob", "ctf"])
    j3.connect("particles", j2.uid, "particles")
    j3.add_output("particle", "particles", slots=["alignments2D"], passthrough="particles")
    with j3.run():
        kept = j3.resolve_input("particles")["uid"][2_000:8_000]
        alignments2d = np.zeros(
            6_000, [("uid", "<u8"), ("alignments2D/pose", "<f4"), ("alignments2D/class", "<u4")]
        )
        alignments2d["uid"] = kept
        alignments2d["alignments2D/class"] = np.arange(6_000) % 50
        j3.save_output("particles", Dataset(alignments2d))

    # J4: refinement of J3's particles, with J1's full-size blob in the blob slot.
    j4 = project.create_job("homo_refine_new")
    j4.connect("particles", j3.uid, "particles")
    j4.connect_result("particles", 0, "blob", j1.uid, "particles", "blob")

    resolution = j4.resolve("particles")
    resolved = resolution.dataset
    assert len(resolved) == 6_000
    originals = j1.load_output("particles")
    np.testing.assert_array_equal(resolved["blob/shape"][0], originals["blob/shape"][0])
    assert resolved["blob/psize_A"][0] == originals["blob/psize_A"][0]
    assert {"blob", "ctf", "alignments2D"} <= set(resolved.prefixes())
    (blob,) = resolution.provenance["blob/shape"]
    (alignments,) = resolution.provenance["alignments2D/class"]
    (ctf,) = resolution.provenance["ctf/df1_A"]
    assert (blob.job_uid, blob.result) == (j1.uid, "blob")
    assert alignments.job_uid == j3.uid
    assert ctf.job_uid == j3.uid  # J3 passes on J2's passthrough of J1's ctf
    assert ctf.file == f"{j1.uid}/{j1.uid}_particles.cs"
    np.testing.assert_array_equal(resolved["uid"], j3.load_output("particles")["uid"])


def volume_group(project, title, seed):
    job = project.create_external_job(title)
    job.add_output("volume", "volume", slots=["map", "map_half_A", "map_half_B"])
    fields = [("uid", "<u8")]
    for result in ("map", "map_half_A", "map_half_B"):
        fields += [
            (f"{result}/path", "S40"),
            (f"{result}/shape", "<u4", (3,)),
            (f"{result}/psize_A", "<f4"),
        ]
    volume = np.zeros(1, fields)
    volume["uid"] = seed
    for result in ("map", "map_half_A", "map_half_B"):
        volume[f"{result}/path"] = f"{job.uid}/{job.uid}_volume_{result}.mrc".encode()
        volume[f"{result}/shape"] = 256
        volume[f"{result}/psize_A"] = 1.06
    with job.run():
        job.save_output("volume", Dataset(volume))
    return job


def test_half_maps_from_two_refinements(project):
    first = volume_group(project, "Refinement A", seed=111)
    second = volume_group(project, "Refinement B", seed=222)
    local = project.create_job("local_resolution")
    local.connect("volume", first.uid, "volume")
    local.connect_result("volume", 0, "map_half_B", second.uid, "volume", "map_half_B")
    assert local.input_status("volume").state == "ready"

    resolution = local.resolve("volume")
    resolved = resolution.dataset
    assert len(resolved) == 1
    assert resolved["uid"][0] == 111  # the connection's own volume
    assert resolved.strings("map_half_A/path")[0].startswith(first.uid)
    assert resolved.strings("map_half_B/path")[0].startswith(second.uid)
    assert resolution.provenance["map_half_B/path"][0].job_uid == second.uid
    assert resolution.provenance["map_half_A/path"][0].job_uid == first.uid
