"""A T20S-style demo project: the chain of CryoSPARC's introductory tutorial, made in seconds.

The jobs are the catalog's own job types, connected through the job model as a user
would connect them, and completed by writing the outputs CryoSPARC's workers write:
the same result names, field names and dtypes, realistic values (a 300 kV Krios-like
scope, 0.6575 A/px super-resolution movies), per-iteration versions for 2D
classification, and the passthrough results each output carries on. Every ``.mrc`` the
chain names is written too (``demo.images``): micrographs with the particles at their
picks, particle stacks, class averages and maps. To keep the demo small (20,000 particles
in well under 200 MB), the micrographs are binned 8x (5.26 A/px) and the particles are
extracted at 40 px and binned to 20 px.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..data import Dataset, new_uids
from ..graph import ExternalJob, Project, documents
from ..graph.result_types import result_type
from .images import write_images
from .particles import particles

# The scope and the data, as in the T20S proteasome tutorial (EMPIAR-10025).
MOVIE_PSIZE_A = 0.6575
MICROGRAPH_PSIZE_A = 8 * MOVIE_PSIZE_A  # binned 8x: small pictures of the whole field
MOVIE_SHAPE = (38, 7676, 7420)  # frames, y, x (super-resolution)
MICROGRAPH_SHAPE = (960, 928)  # y, x after binning 8x
EXTRACT_BOX = 40
SMALL_BOX = 20
SMALL_PSIZE_A = MICROGRAPH_PSIZE_A * EXTRACT_BOX / SMALL_BOX
N_CLASSES_2D = 50
CLASS_2D_ITERATIONS = 4  # versions saved by 2D classification; the last is "F"

# What each job of the chain is, in order; the notebooks and tests refer to these uids.
JOBS = {
    "J1": "import_movies",
    "J2": "patch_motion_correction_multi",
    "J3": "patch_ctf_estimation_multi",
    "J4": "blob_picker_gpu",
    "J5": "extract_micrographs_multi",
    "J6": "downsample_particles",
    "J7": "class_2D_new",
    "J8": "select_2D",
    "J9": "homo_abinit",
    "J10": "homo_refine_new",
    "J11": "local_resolution",
    "J12": "nonuniform_refine_new",
}


def tutorial_project(
    path: str | os.PathLike[str], n_particles: int = 20_000, *, seed: int = 0
) -> Project:
    """Make the tutorial chain in a new project folder and return the open project.

    J1 Import Movies, J2 Patch Motion Correction, J3 Patch CTF Estimation, J4 Blob
    Picker, J5 Extract From Micrographs (40 px), J6 Downsample Particles (20 px),
    J7 2D Classification (4 versions), J8 Select 2D Classes, J9 Ab-Initio
    Reconstruction, J10 Homogeneous Refinement (with half maps), J11 Local Resolution
    Estimation of J10's half maps, and J12 Non-uniform Refinement of the same particles
    (a second set of half maps). All are completed; ``n_particles`` is the number J5
    extracts.

    Examples
    --------
    >>> project = tutorial_project("t20s_demo")              # doctest: +SKIP
    >>> project.job("J10").load_output("volume")["map_half_A/path"]  # doctest: +SKIP
    """
    if n_particles < 100:
        raise ValueError(f"n_particles must be at least 100 (got {n_particles})")
    rng = np.random.default_rng(seed)
    project = Project.create(path, title="T20S proteasome (demo)", await_layout=True)
    try:
        _build(project, n_particles, rng, seed)
    except BaseException:
        project.close()
        raise
    return project


def _build(project: Project, n_particles: int, rng: np.random.Generator, seed: int) -> None:
    n_movies = max(4, n_particles // 1000)
    names = [
        f"14sep05c_c_{i // 4 + 1:05d}gr_{i % 4 + 1:05d}sq_{i:05d}hl_0000{i % 3}es"
        for i in range(n_movies)
    ]
    movies = _movies(n_movies, names, rng, seed)

    j1 = _job(project, "import_movies", "T20S movies")
    _complete(j1, {"imported_movies": [movies]})

    j2 = _job(project, "patch_motion_correction_multi")
    j2.connect("movies", "J1", "imported_movies")
    _complete(j2, {"micrographs": [_micrographs(movies, names, rng)]})

    j3 = _job(project, "patch_ctf_estimation_multi")
    j3.connect("exposures", "J2", "micrographs")
    ctf = _exposure_ctf(movies, rng)
    _complete(j3, {"exposures": [ctf]})

    # Blob picks: a few more than survive extraction (picks too close to an edge are dropped).
    n_picks = n_particles + n_particles // 30
    mic = np.sort(rng.integers(0, n_movies, n_picks))
    picks = particles(n_picks, ("location",), seed=seed, uids=new_uids(n_picks, seed + 1))
    picks = _with(
        picks,
        {
            "location/micrograph_uid": movies["uid"][mic],
            "location/exp_group_id": 1,
            "location/micrograph_path": np.array([_mic_path(n) for n in names], "S")[mic],
            "location/micrograph_shape": MICROGRAPH_SHAPE,
            "location/micrograph_psize_A": MICROGRAPH_PSIZE_A,
            "location/min_dist_A": 100.0,
        },
    )
    pick_stats = _table(
        picks["uid"],
        {"pick_stats": "particle.pick_stats"},
        {
            "pick_stats/ncc_score": rng.beta(5, 3, n_picks),
            "pick_stats/power": rng.gamma(6.0, 40.0, n_picks),
            "pick_stats/angle_rad": rng.uniform(0, 2 * np.pi, n_picks),
        },
        rng,
    )
    j4 = _job(project, "blob_picker_gpu")
    j4.connect("micrographs", "J3", "exposures")
    _complete(
        j4,
        {
            "micrographs": [_micrograph_blob(movies, names)],
            "particles": [picks.innerjoin(pick_stats)],
        },
    )

    # Extraction at 440 px: keep the picks whose box lies inside the micrograph.
    keep = np.sort(rng.choice(n_picks, n_particles, replace=False))
    uids = picks["uid"][keep]
    mic = mic[keep]
    extracted = particles(n_particles, ("blob", "ctf"), seed=seed, uids=uids)
    df = ctf["ctf/df1_A"][mic] + rng.normal(0, 150, n_particles)  # defocus over the ice
    astig = (ctf["ctf/df1_A"] - ctf["ctf/df2_A"])[mic]
    stack = np.array([f"J5/extract/{n}_patch_aligned_doseweighted_particles.mrc" for n in names])
    extracted = _with(
        extracted,
        {
            "blob/path": stack.astype("S")[mic],
            "blob/idx": _index_within(mic),
            "blob/shape": EXTRACT_BOX,
            "blob/psize_A": MICROGRAPH_PSIZE_A,
            "ctf/exp_group_id": 1,
            "ctf/df1_A": df,
            "ctf/df2_A": df - astig,
            "ctf/df_angle_rad": ctf["ctf/df_angle_rad"][mic],
        },
    )
    j5 = _job(project, "extract_micrographs_multi")
    j5.connect("micrographs", "J4", "micrographs")
    j5.connect("particles", "J4", "particles")
    location = picks.take(keep).filter_prefixes(["location"])
    _complete(
        j5,
        {
            "micrographs": [_micrograph_blob(movies, names)],
            "particles": [extracted.innerjoin(location)],
        },
    )

    j6 = _job(project, "downsample_particles")
    j6.connect("particles", "J5", "particles")
    small = _with(
        extracted.filter_prefixes(["blob"]),
        {
            "blob/path": np.char.replace(
                extracted.array["blob/path"], b"J5/extract/", b"J6/downsampled/"
            ),
            "blob/shape": SMALL_BOX,
            "blob/psize_A": SMALL_PSIZE_A,
        },
    )
    _complete(j6, {"particles": [small]})

    # 2D classification: one saved version per iteration, classes sharpening as it goes.
    j7 = _job(project, "class_2D_new")
    j7.connect("particles", "J6", "particles")
    quality = rng.uniform(0, 1, N_CLASSES_2D)  # how much of a proteasome each class holds
    true_class = rng.choice(N_CLASSES_2D, n_particles, p=quality / quality.sum())
    iterations = []
    for it in range(CLASS_2D_ITERATIONS):
        settled = rng.uniform(0, 1, n_particles) < (it + 1) / CLASS_2D_ITERATIONS
        klass = np.where(settled, true_class, rng.integers(0, N_CLASSES_2D, n_particles))
        iterations.append(_alignments2d(small, extracted, klass, rng))
    _complete(
        j7,
        {
            "particles": iterations,
            "class_averages": [
                _class_averages(N_CLASSES_2D, it, seed) for it in range(CLASS_2D_ITERATIONS)
            ],
        },
    )

    # Select 2D: the classes that look like the proteasome.
    good = np.flatnonzero(quality > 0.35)
    final = iterations[-1]
    chosen = np.isin(final["alignments2D/class"], good)
    averages = _class_averages(N_CLASSES_2D, CLASS_2D_ITERATIONS - 1, seed)
    j8 = _job(project, "select_2D")
    j8.connect("particles", "J7", "particles")
    j8.connect("templates", "J7", "class_averages")
    _complete(
        j8,
        {
            "particles_selected": [final.mask(chosen).filter_prefixes(["alignments2D"])],
            "particles_excluded": [final.mask(~chosen).filter_prefixes(["alignments2D"])],
            "templates_selected": [averages.mask(np.isin(np.arange(N_CLASSES_2D), good))],
            "templates_excluded": [averages.mask(~np.isin(np.arange(N_CLASSES_2D), good))],
        },
    )

    selected = final.mask(chosen)["uid"]
    pick = np.isin(extracted["uid"], selected)
    j9 = _job(project, "homo_abinit")
    j9.connect("particles", "J8", "particles_selected")
    abinit = _aligned3d(small.mask(pick), extracted.mask(pick), rng, error_scale=3.0)
    _complete(
        j9,
        {
            "particles_class_0": [abinit],
            "volume_class_0": [_volumes(9, {"map": "J9/J9_class_00_final_volume.mrc"})],
            "particles_all_classes": [abinit],
        },
    )

    j10 = _job(project, "homo_refine_new")
    j10.connect("particles", "J9", "particles_class_0")
    j10.connect("volume", "J9", "volume_class_0")
    refined = _aligned3d(small.mask(pick), extracted.mask(pick), rng, error_scale=1.0)
    maps = {
        "map": "J10/J10_008_volume_map.mrc",
        "map_sharp": "J10/J10_008_volume_map_sharp.mrc",
        "map_half_A": "J10/J10_008_volume_map_half_A.mrc",
        "map_half_B": "J10/J10_008_volume_map_half_B.mrc",
        "mask_refine": "J10/J10_008_volume_mask_refine.mrc",
        "mask_fsc": "J10/J10_008_volume_mask_fsc.mrc",
        "mask_fsc_auto": "J10/J10_008_volume_mask_fsc_auto.mrc",
        "precision": "J10/J10_008_volume_precision.mrc",
    }
    _complete(j10, {"volume": [_volumes(10, maps)], "particles": [refined]})

    j11 = _job(project, "local_resolution")
    j11.connect("volume", "J10", "volume")
    _complete(j11, {"volume": [_volumes(10, {"map_locres": "J11/J11_map_locres.mrc"})]})

    j12 = _job(project, "nonuniform_refine_new")
    j12.connect("particles", "J9", "particles_class_0")
    j12.connect("volume", "J9", "volume_class_0")
    nu_refined = _aligned3d(small.mask(pick), extracted.mask(pick), rng, error_scale=0.8)
    nu_maps = {
        name: path.replace("J10", "J12").replace("_008_", "_010_") for name, path in maps.items()
    }
    _complete(j12, {"volume": [_volumes(12, nu_maps)], "particles": [nu_refined]})
    write_images(project, seed)


# -- jobs ---------------------------------------------------------------------------------


def _job(project: Project, type_key: str, title: str | None = None) -> ExternalJob:
    """A new catalog job, driven through the external-job verbs to save its outputs."""
    return ExternalJob(project, project.create_job(type_key, title).uid)


def _complete(job: ExternalJob, outputs: Mapping[str, list[Dataset]]) -> None:
    """Run the job: save each output's versions in order (the last is final), then complete."""
    with job.run():
        for name, versions in outputs.items():
            for dataset in versions:
                job.save_output(name, dataset)


# -- tables -------------------------------------------------------------------------------


def _table(
    uids: Any, results: Mapping[str, str], values: Mapping[str, Any], rng: np.random.Generator
) -> Dataset:
    """A dataset with the fields of each ``{result: result type}``, filled from ``values``;
    other float fields get small positive statistics, other fields zeros."""
    descr: list[tuple[Any, ...]] = [("uid", "<u8")]
    for result, type_name in results.items():
        for field in result_type(type_name).fields:
            name, code = f"{result}/{field[0]}", field[1]
            if code == "S":
                code = np.asarray(values.get(name, b"")).astype("S").dtype.str
            descr.append((name, code, *field[2:]))
    array = np.zeros(len(uids), np.dtype(descr))
    array["uid"] = uids
    for name in array.dtype.names or ():
        if name == "uid":
            continue
        if name in values:
            array[name] = values[name]
        elif array[name].dtype.kind == "f":
            array[name] = rng.gamma(2.0, 0.5, array[name].shape)
    return Dataset(array)


def _with(dataset: Dataset, values: Mapping[str, Any]) -> Dataset:
    """A copy of ``dataset`` with some fields set; string fields are widened to fit."""
    descr: list[tuple[Any, ...]] = []
    for name, *rest in dataset.descr():
        code: Any = rest[0] if rest[0] != "|O" else dataset.array.dtype[name].str  # text
        if name in values and np.dtype(code).kind == "S":
            code = np.asarray(values[name]).astype("S").dtype.str
        descr.append((name, code, *rest[1:]))
    array = np.zeros(len(dataset), np.dtype(descr))
    for name in dataset.fields():
        array[name] = values[name] if name in values else dataset[name]
    return Dataset(array)


def _mic_path(name: str) -> str:
    return f"J2/motioncorrected/{name}_patch_aligned_doseweighted.mrc"


def _movies(n: int, names: list[str], rng: np.random.Generator, seed: int) -> Dataset:
    uids = new_uids(n, seed + 2)
    return _table(
        uids,
        {
            "movie_blob": "exposure.movie_blob",
            "mscope_params": "exposure.mscope_params",
            "gain_ref_blob": "exposure.gain_ref_blob",
        },
        {
            "movie_blob/path": [
                f"J1/imported/{u:020d}_{name}.frames.tif"
                for u, name in zip(uids, names, strict=True)
            ],
            "movie_blob/shape": MOVIE_SHAPE,
            "movie_blob/psize_A": MOVIE_PSIZE_A,
            "movie_blob/format": b"TIFF",
            "movie_blob/import_sig": rng.integers(0, 2**63, n, dtype=np.uint64),
            "mscope_params/accel_kv": 300.0,
            "mscope_params/cs_mm": 2.7,
            "mscope_params/total_dose_e_per_A2": 53.0,
            "mscope_params/exp_group_id": 1,
            "mscope_params/defect_path": b"",
            "gain_ref_blob/path": b"J1/imported/norm-amibox05-0.mrc",
            "gain_ref_blob/shape": MOVIE_SHAPE[1:],
        },
        rng,
    )


def _micrograph_blob(movies: Dataset, names: list[str]) -> Dataset:
    n = len(movies)
    return _table(
        movies["uid"],
        {"micrograph_blob": "exposure.micrograph_blob"},
        {
            "micrograph_blob/path": [_mic_path(name) for name in names],
            "micrograph_blob/shape": MICROGRAPH_SHAPE,
            "micrograph_blob/psize_A": MICROGRAPH_PSIZE_A,
            "micrograph_blob/format": b"MRC/1.0",
            "micrograph_blob/is_background_subtracted": 1,
            "micrograph_blob/vmin": np.full(n, -2.9),
            "micrograph_blob/vmax": np.full(n, 3.1),
        },
        np.random.default_rng(0),
    )


def _micrographs(movies: Dataset, names: list[str], rng: np.random.Generator) -> Dataset:
    folder = "J2/motioncorrected/"
    values = {
        "micrograph_blob_non_dw/path": [f"{folder}{n}_patch_aligned.mrc" for n in names],
        "micrograph_blob_non_dw/shape": MICROGRAPH_SHAPE,
        "micrograph_blob_non_dw/psize_A": MICROGRAPH_PSIZE_A,
        "micrograph_blob_non_dw/format": b"MRC/1.0",
        "background_blob/path": [f"{folder}{n}_background.mrc" for n in names],
        "background_blob/shape": (MICROGRAPH_SHAPE[0] // 4, MICROGRAPH_SHAPE[1] // 4),
        "background_blob/psize_A": 4 * MICROGRAPH_PSIZE_A,
        "rigid_motion/type": b"rigid",
        "rigid_motion/path": [f"{folder}{n}_rigid_traj.npy" for n in names],
        "spline_motion/type": b"spline",
        "spline_motion/path": [f"{folder}{n}_bending_traj.npy" for n in names],
    }
    rest = _table(
        movies["uid"],
        {
            "micrograph_blob_non_dw": "exposure.micrograph_blob_non_dw",
            "background_blob": "exposure.background_blob",
            "rigid_motion": "exposure.rigid_motion",
            "spline_motion": "exposure.spline_motion",
        },
        values,
        rng,
    )
    return _micrograph_blob(movies, names).innerjoin(rest)


def _exposure_ctf(movies: Dataset, rng: np.random.Generator) -> Dataset:
    n = len(movies)
    defocus = rng.uniform(10_000, 25_000, n)
    astig = rng.uniform(50, 600, n)
    return _table(
        movies["uid"],
        {"ctf": "exposure.ctf", "ctf_stats": "exposure.ctf_stats"},
        {
            "ctf/type": b"spline",
            "ctf/exp_group_id": 1,
            "ctf/accel_kv": 300.0,
            "ctf/cs_mm": 2.7,
            "ctf/amp_contrast": 0.1,
            "ctf/df1_A": defocus + astig / 2,
            "ctf/df2_A": defocus - astig / 2,
            "ctf/df_angle_rad": rng.uniform(0, np.pi, n),
            "ctf/phase_shift_rad": 0.0,
            "ctf/scale": 1.0,
            "ctf/scale_const": 0.0,
            "ctf/shift_A": 0.0,
            "ctf/tilt_A": 0.0,
            "ctf/trefoil_A": 0.0,
            "ctf/tetra_A": 0.0,
            "ctf/anisomag": (1.0, 0.0, 0.0, 1.0),
            "ctf/bfactor": 0.0,
            "ctf_stats/cross_corr_ctffind4": rng.uniform(0.08, 0.35, n),
            "ctf_stats/ice_thickness_rel": rng.normal(1.03, 0.02, n),
        },
        rng,
    )


def _index_within(groups: Any) -> Any:
    """Position of each row within its run of equal values (``groups`` sorted)."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run_lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, run_lengths)


def _alignments2d(
    small: Dataset, extracted: Dataset, klass: Any, rng: np.random.Generator
) -> Dataset:
    """2D classification's own results: the downsampled blob, the CTF and 2D alignments."""
    n = len(small)
    own = _table(
        small["uid"],
        {"alignments2D": "particle.alignments2D"},
        {
            "alignments2D/split": rng.integers(0, 2, n),
            "alignments2D/shift": rng.normal(0, 1.5, (n, 2)),
            "alignments2D/pose": rng.uniform(0, 2 * np.pi, n),
            "alignments2D/psize_A": SMALL_PSIZE_A,
            "alignments2D/class": klass,
            "alignments2D/class_posterior": rng.beta(8, 2, n),
            "alignments2D/class_ess": rng.uniform(1, 3, n),
        },
        rng,
    )
    return Dataset.innerjoin_many(small, extracted.filter_prefixes(["ctf"]), own)


def _class_averages(n: int, iteration: int, seed: int) -> Dataset:
    path = f"J7/J7_{iteration:03d}_class_averages.mrc"
    return _table(
        new_uids(n, seed + 3),
        {"blob": "template.blob"},
        {
            "blob/path": path.encode(),
            "blob/idx": np.arange(n),
            "blob/shape": SMALL_BOX,
            "blob/psize_A": SMALL_PSIZE_A,
            "blob/sign": -1.0,
        },
        np.random.default_rng(seed),
    )


def _aligned3d(
    small: Dataset, extracted: Dataset, rng: np.random.Generator, error_scale: float
) -> Dataset:
    """A 3D job's particles: blob and CTF as read, poses and shifts as found."""
    n = len(small)
    poses = particles(n, ("alignments3D",), seed=int(rng.integers(2**31)), uids=small["uid"])
    poses = _with(
        poses,
        {
            "alignments3D/psize_A": SMALL_PSIZE_A,
            "alignments3D/error": rng.gamma(4.0, error_scale, n),
            "alignments3D/class": 0,
        },
    )
    return Dataset.innerjoin_many(small, extracted.filter_prefixes(["ctf"]), poses)


def _volumes(seed: int, maps: Mapping[str, str]) -> Dataset:
    """One volume item whose results are the named maps (all at the downsampled size);
    jobs that refine or filter the same volume give it the same ``seed``, so its uid stays."""
    values: dict[str, Any] = {}
    for result, path in maps.items():
        values[f"{result}/path"] = path.encode()
        values[f"{result}/shape"] = (SMALL_BOX,) * 3
        values[f"{result}/psize_A"] = SMALL_PSIZE_A
    results = {result: "volume.blob" for result in maps}
    return _table(new_uids(1, seed), results, values, np.random.default_rng(seed))


def default_demo_path() -> Path:
    """Where the main job keeps its demo project: ``$CRYOWEAVE_DEMO`` or ``~/cryoweave_demo``."""
    return Path(os.environ.get("CRYOWEAVE_DEMO") or Path.home() / "cryoweave_demo")


def demo_project(path: str | os.PathLike[str] | None = None) -> Project:
    """The demo project, opened for editing; made (``tutorial_project``) on first use.

    ``path`` defaults to ``default_demo_path()``. A folder that exists but holds
    something else is refused rather than written into.
    """
    from ..graph import storage
    from ..graph.errors import JobError

    root = Path(path) if path is not None else default_demo_path()
    if (root / storage.PROJECT_FILE).is_file():
        return Project.open(root)
    if root.exists() and any(root.iterdir()):
        raise JobError(f"{root} is not a cryoweave project and not empty: no demo made there")
    return tutorial_project(root)


def cryosparc_tutorial_project(
    path: str | os.PathLike[str], n_particles: int = 20_000, *, seed: int = 0
) -> Path:
    """The same chain laid out as CryoSPARC 5 keeps a project folder, for trying
    ``open_cryosparc_project`` without data of one's own: ``project.json`` and one
    CryoSPARC v5 ``J<n>/job.json`` per job (no cryoweave files), beside the ``.cs`` files.

    Returns the folder (it must not exist yet, or be empty).
    """
    import json
    import shutil
    import tempfile

    target = Path(path)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"cannot make a demo CryoSPARC project in {target}: not empty")
    with tempfile.TemporaryDirectory() as scratch:
        project = tutorial_project(Path(scratch) / "p", n_particles, seed=seed)
        states = list(project.states.values())
        project.close()
        target.mkdir(parents=True, exist_ok=True)
        title = {"uid": "P1", "title": "T20S proteasome (demo)", "project_dir": str(target)}
        (target / "project.json").write_text(json.dumps(title, indent=1))
        for state in states:
            shutil.copytree(
                Path(scratch) / "p" / state.uid, target / state.uid, ignore=_only_cs_files
            )
            (target / state.uid / "job.json").write_bytes(documents.v5_bytes(state, "P1"))
    return target


def _only_cs_files(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if not name.endswith(".cs")]
