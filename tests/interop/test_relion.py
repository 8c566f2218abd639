"""RELION export: the pose conversion against hand and scipy, and the STAR tables."""

from __future__ import annotations

import numpy as np
import pytest
import starfile
from scipy.spatial.transform import Rotation

from cryoweave import Dataset
from cryoweave.demo import particles
from cryoweave.graph import Project
from cryoweave.interop import export_star, pose_to_relion_euler, write_relion_star


@pytest.mark.parametrize(
    ("pose", "euler"),
    [
        # 60 degrees about y: a pure tilt.
        ([0.0, np.pi / 3, 0.0], [0.0, 60.0, 0.0]),
        # 90 degrees about x: Rx(90) = Rz(-90) Ry(90) Rz(90).
        ([np.pi / 2, 0.0, 0.0], [-90.0, 90.0, 90.0]),
        # 30 degrees about z: gimbal lock, all of it goes to rot.
        ([0.0, 0.0, np.pi / 6], [30.0, 0.0, 0.0]),
        # the identity
        ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    ],
)
def test_poses_computed_by_hand(pose, euler):
    np.testing.assert_allclose(pose_to_relion_euler(np.array([pose]))[0], euler, atol=1e-9)


def test_poses_agree_with_scipy():
    rotvecs = Rotation.random(2000, random_state=1).as_rotvec()
    ours = pose_to_relion_euler(rotvecs)
    theirs = Rotation.from_rotvec(rotvecs).as_euler("ZYZ", degrees=True)
    np.testing.assert_allclose(ours, theirs, atol=1e-7)
    # and the angles rebuild the same rotations
    rebuilt = Rotation.from_euler("ZYZ", ours, degrees=True).as_matrix()
    np.testing.assert_allclose(rebuilt, Rotation.from_rotvec(rotvecs).as_matrix(), atol=1e-9)


def test_star_file_tables(tmp_path):
    ds = particles(400)
    ds["blob/path"][:] = b">J12/extract/mic_001_particles.mrc"
    ds["blob/idx"][:2] = [0, 41]
    ds["ctf/exp_group_id"][:100] = 2
    path = write_relion_star(ds, tmp_path / "particles.star", project_dir="/data/P3")
    tables = starfile.read(path, always_dict=True)
    optics, table = tables["optics"], tables["particles"]
    assert list(optics["rlnOpticsGroup"]) == [1, 2]
    assert optics["rlnVoltage"].tolist() == [300.0, 300.0]
    assert optics["rlnImagePixelSize"].iloc[0] == pytest.approx(1.06)
    assert optics["rlnImageSize"].iloc[0] == 256
    assert len(table) == 400
    assert table["rlnImageName"].iloc[0] == "000001@/data/P3/J12/extract/mic_001_particles.mrc"
    assert table["rlnImageName"].iloc[1].startswith("000042@")
    assert table["rlnOpticsGroup"].iloc[0] == 2 and table["rlnOpticsGroup"].iloc[200] == 1
    np.testing.assert_allclose(table["rlnDefocusU"], ds["ctf/df1_A"], rtol=1e-6)
    np.testing.assert_allclose(
        table["rlnDefocusAngle"], np.degrees(ds["ctf/df_angle_rad"]), rtol=1e-5
    )
    np.testing.assert_allclose(
        table[["rlnAngleRot", "rlnAngleTilt", "rlnAnglePsi"]].to_numpy(),
        pose_to_relion_euler(ds["alignments3D/pose"]),
        atol=1e-4,
    )
    np.testing.assert_allclose(
        table["rlnOriginXAngst"], ds["alignments3D/shift"][:, 0] * 1.06, atol=1e-5
    )
    np.testing.assert_allclose(
        table["rlnCoordinateX"],
        ds["location/center_x_frac"] * ds["location/micrograph_shape"][:, 1],
        rtol=1e-5,
    )


def test_export_from_a_job_and_refusal(tmp_path):
    with Project.create(tmp_path / "P") as project:
        job = project.import_dataset(particles(50, ["blob", "ctf"]), "particle", "particles")
        refine = project.create_job("homo_refine_new")
        refine.connect("particles", job.uid, "particles")
        star = export_star(refine, "particles", tmp_path / "out.star")
        assert len(starfile.read(star, always_dict=True)["particles"]) == 50
    no_ctf = Dataset(particles(5, ["blob"]).array)
    with pytest.raises(ValueError, match=r"needs results \['ctf'\]"):
        write_relion_star(no_ctf, tmp_path / "x.star")
