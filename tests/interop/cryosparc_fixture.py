"""A small CryoSPARC project folder written the way CryoSPARC v4 lays one out.

Job documents follow the shapes in DOMAIN.md (cryosparc-tools 4.7's spec); the
``.cs`` files are a real refinement's particles (cryodrgn's P12 J24 sample) and
2D alignments for the same particles written by cryosparc-tools. It holds several
jobs, versions, passthroughs, a connection override and the usual damage: a job
whose ``.cs`` file is gone, a corrupt ``job.json`` and a job folder without one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from cryosparc.dataset import Dataset as ToolsDataset

REAL_CS_DIR = Path(
    os.environ.get(
        "CRYOWEAVE_REAL_CS_DIR", Path(__file__).parents[3] / "shared" / "data" / "real_cs"
    )
)
REAL_PARTICLES = "cryodrgn__cryosparc_P12_J24_001_particles.cs"


def _slot(name: str, type_: str, optional: bool = False) -> dict[str, Any]:
    return {"type": type_, "name": name, "title": name, "description": "", "optional": optional}


def _result(
    job: str,
    group: str,
    name: str,
    type_: str,
    versions: list[int],
    metafiles: list[str],
    num_items: int,
    passthrough: bool = False,
) -> dict[str, Any]:
    return {
        "uid": f"{job}-{group}-{name}",
        "type": type_,
        "name": name,
        "group_name": group,
        "title": name,
        "description": "",
        "versions": versions,
        "metafiles": metafiles,
        "min_fields": [],
        "num_items": num_items,
        "passthrough": passthrough,
    }


def _group(
    job: str,
    index: int,
    name: str,
    type_: str,
    results: list[dict[str, Any]],
    passthrough: str | bool,
    num_items: int,
) -> dict[str, Any]:
    return {
        "uid": f"{job}-G{index}",
        "type": type_,
        "name": name,
        "title": name.replace("_", " ").capitalize(),
        "description": "",
        "contains": [
            {
                "uid": r["uid"],
                "type": r["type"],
                "name": r["name"],
                "group_name": name,
                "passthrough": r["passthrough"],
            }
            for r in results
        ],
        "passthrough": passthrough,
        "num_items": num_items,
        "summary": {},
    }


def _particles_input(connections: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "particle",
        "name": "particles",
        "title": "Particles",
        "description": "",
        "count_min": 1,
        "count_max": None,
        "repeat_allowed": False,
        "slots": [
            _slot("blob", "particle.blob"),
            _slot("ctf", "particle.ctf"),
            _slot("alignments3D", "particle.alignments3D", optional=True),
        ],
        "connections": connections,
    }


def _entry(
    slot: str | None, job: str, group: str, result: str, type_: str, version: int | str = "F"
) -> dict[str, Any]:
    return {
        "slot_name": slot,
        "job_uid": job,
        "group_name": group,
        "result_name": result,
        "result_type": type_,
        "version": version,
    }


def _job(
    uid: str,
    type_: str,
    status: str,
    inputs: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    results: list[dict[str, Any]],
    x: int,
) -> dict[str, Any]:
    return {
        "uid": uid,
        "project_uid": "P12",
        "type": type_,
        "title": "",
        "description": "",
        "status": status,
        "created_at": "2024-03-01T10:00:00Z",
        "input_slot_groups": inputs,
        "output_result_groups": groups,
        "output_results": results,
        "params_spec": {},
        "ui_layouts": {"P12W1": {"show": True, "floater": False, "x": x, "y": 2}},
    }


def write_cryosparc_project(root: Path) -> Path:
    """Write the fixture project into ``root`` (made) and return it."""
    root.mkdir(parents=True)
    (root / "project.json").write_text(json.dumps({"uid": "P12", "title": "P12 sample"}))
    for uid in ("J24", "J25", "J26", "J27", "J28", "J29"):
        (root / uid).mkdir()

    # J24: a completed refinement, its particles the real sample file.
    refined = "J24/cryosparc_P12_J24_001_particles.cs"
    shutil.copyfile(REAL_CS_DIR / REAL_PARTICLES, root / refined)
    particles = ToolsDataset.load(root / refined)
    n = len(particles)
    results24 = [
        _result("J24", "particles", name, f"particle.{name}", [1], [refined], n)
        for name in ("blob", "ctf", "alignments3D")
    ]
    docs = {
        "J24": _job(
            "J24",
            "homo_refine_new",
            "completed",
            [],
            [_group("J24", 1, "particles", "particle", results24, "particles", n)],
            results24,
            0,
        ),
    }

    # J25: 2D classification of J24's particles, three versions of alignments2D
    # (one per saved iteration); blob, ctf and alignments3D pass through.
    rng = np.random.default_rng(25)
    metafiles = []
    for version in range(3):
        aligned = ToolsDataset.allocate(
            n, [("alignments2D/class", "<u4"), ("alignments2D/pose", "<f4")]
        )
        aligned["uid"] = particles["uid"]
        aligned["alignments2D/class"] = rng.integers(0, 20, n)
        aligned["alignments2D/pose"] = rng.uniform(0, 6.28, n)
        metafiles.append(f"J25/J25_{version:03d}_particles.cs")
        aligned.save(root / metafiles[-1])
    own = _result(
        "J25", "particles", "alignments2D", "particle.alignments2D", [0, 1, 2], metafiles, n
    )
    passed = [
        _result("J25", "particles", name, f"particle.{name}", [0], [refined], n, passthrough=True)
        for name in ("blob", "ctf", "alignments3D")
    ]
    connection = {
        "job_uid": "J24",
        "group_name": "particles",
        "slots": [
            _entry("blob", "J24", "particles", "blob", "particle.blob"),
            _entry("ctf", "J24", "particles", "ctf", "particle.ctf"),
            _entry(None, "J24", "particles", "alignments3D", "particle.alignments3D"),
        ],
    }
    docs["J25"] = _job(
        "J25",
        "class_2D_new",
        "completed",
        [_particles_input([connection])],
        [_group("J25", 1, "particles", "particle", [own, *passed], "particles", n)],
        [own, *passed],
        1,
    )

    # J26: a refinement being built in CryoSPARC, reading J25's particles with the
    # blob slot overridden by J24's, and alignments2D at version 1.
    override = {
        "job_uid": "J25",
        "group_name": "particles",
        "slots": [
            _entry("blob", "J24", "particles", "blob", "particle.blob"),
            _entry("ctf", "J25", "particles", "ctf", "particle.ctf"),
            _entry("alignments3D", "J25", "particles", "alignments3D", "particle.alignments3D"),
            _entry(None, "J25", "particles", "alignments2D", "particle.alignments2D", 1),
        ],
    }
    docs["J26"] = _job(
        "J26", "homo_refine_new", "building", [_particles_input([override])], [], [], 2
    )

    # J27: completed, but its output file was deleted.
    gone = _result("J27", "particles", "blob", "particle.blob", [0], ["J27/J27_particles.cs"], n)
    docs["J27"] = _job(
        "J27",
        "downsample_particles",
        "completed",
        [],
        [_group("J27", 1, "particles", "particle", [gone], False, n)],
        [gone],
        3,
    )

    for uid, doc in docs.items():
        (root / uid / "job.json").write_text(json.dumps(doc, indent=2))
    # J28: a job document cut short while being written; J29: none at all.
    (root / "J28" / "job.json").write_text(json.dumps(docs["J26"])[:200])
    return root
