"""Pixels for the demo project, made from a seed: every ``.mrc`` the tutorial chain names.

A D7 barrel (the 20S proteasome's four stacked rings of seven subunits) is built from
Gaussian blobs. Each 2D class of J7 is one view of it (top to side), or junk (ice, a
fragment) for the classes J8 leaves out. The micrographs (J2) hold each picked particle
of its class's view at its pick, plus noise; J5's stacks are boxes cut from them at the
picks, J6's are those binned down, J7's class averages are the averages of each class's
J6 particles at each iteration, and the volumes of J9 to J12 are the barrel, with two
half maps of different noise, their mean, a sharpened map and masks.

Where each image goes is read from the project's own datasets (``blob/path``,
``blob/idx``, ``blob/shape``, ``micrograph_blob/path`` ...), so the pixels agree with
what the ``.cs`` files say by construction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import mrcfile  # type: ignore[import-untyped]
import numpy as np

from ..data import Dataset
from ..graph import Project

# The barrel, in Angstrom: four rings of seven subunits (alpha, beta, beta, alpha).
_RING_RADIUS_A = 42.0
_RING_SPACING_A = 36.0
_SUBUNIT_SIGMA_A = 11.0
_NOISE = 1.2  # of the micrographs, against a particle's peak of about 1


def write_images(project: Project, seed: int) -> None:
    """Write the images of the tutorial chain (``tutorial_project`` calls this last)."""
    rng = np.random.default_rng(seed + 18)
    micrographs = project.job("J2").load_output("micrographs", slots=["micrograph_blob"])
    picks = project.job("J5").load_output("particles", slots=["blob", "location"])
    small = project.job("J6").load_output("particles", slots=["blob"])
    classes = project.job("J7").load_output("particles", slots=["alignments2D"])
    n_classes = len(project.job("J7").load_output("class_averages", slots=["blob"]))
    good = _good_classes(project, n_classes)
    psize = float(picks["blob/psize_A"][0])
    box = int(picks["blob/shape"][0][0])
    views = _views(n_classes, good, box, psize, rng)

    klass = _by_uid(classes, picks["uid"], "alignments2D/class")
    full = _write_micrographs(project, micrographs, picks, views, klass, rng)
    _write_stacks(project, picks, full)
    binned = _binned(full, int(small["blob/shape"][0][0]))
    _write_stacks(project, _rows_of(small, picks["uid"]), binned)
    _write_class_averages(project, n_classes, binned, picks["uid"])
    _write_volumes(project, rng)


# -- the barrel ---------------------------------------------------------------------------


def _subunits() -> np.ndarray:
    """Centres of the 28 subunits, ``(28, 3)`` as (z, y, x) in Angstrom."""
    angles = 2 * np.pi * np.arange(7) / 7
    rings = []
    for level, twist in zip((-1.5, -0.5, 0.5, 1.5), (0.0, 0.5, 0.5, 0.0), strict=True):
        phi = angles + twist * 2 * np.pi / 7
        radius = _RING_RADIUS_A * (0.9 if abs(level) > 1 else 1.0)
        rings.append(
            np.stack(
                [np.full(7, level * _RING_SPACING_A), radius * np.sin(phi), radius * np.cos(phi)],
                axis=1,
            )
        )
    return np.concatenate(rings)


def _projection(tilt: float, spin: float, box: int, psize: float) -> np.ndarray:
    """The barrel seen tilted by ``tilt`` (0: down its axis, pi/2: from the side), turned
    by ``spin`` in the plane: a sum of 2D Gaussians at the projected subunits."""
    z, y, x = _subunits().T
    y, z = y * np.cos(tilt) - z * np.sin(tilt), y * np.sin(tilt) + z * np.cos(tilt)
    y, x = y * np.cos(spin) - x * np.sin(spin), y * np.sin(spin) + x * np.cos(spin)
    return _blobs(np.stack([y, x], axis=1) / psize, _SUBUNIT_SIGMA_A / psize, (box, box))


def _blobs(centres: np.ndarray, sigma: float, shape: tuple[int, ...]) -> np.ndarray:
    """Sum of unit-peak Gaussians at ``centres`` (pixels from the middle of ``shape``)."""
    axes = [np.arange(n) - n / 2 for n in shape]
    image = np.zeros(shape, np.float32)
    for centre in centres:
        profile = [
            np.exp(-((a - c) ** 2) / (2 * sigma**2)) for a, c in zip(axes, centre, strict=True)
        ]
        image += np.einsum(
            ",".join("abc"[: len(shape)]) + "->" + "abc"[: len(shape)], *profile
        ).astype(np.float32)
    return image / 2.0


def _views(
    n_classes: int, good: np.ndarray, box: int, psize: float, rng: np.random.Generator
) -> np.ndarray:
    """One full-size image per class: views of the barrel from top to side for the good
    classes, junk (a blob of ice, a piece of a ring) for the others."""
    views = np.zeros((n_classes, box, box), np.float32)
    tilts = np.linspace(0, np.pi / 2, max(len(good), 1))
    for k, tilt in zip(good, tilts, strict=False):
        views[k] = _projection(tilt, rng.uniform(0, 2 * np.pi), box, psize)
    for k in np.setdiff1d(np.arange(n_classes), good):
        count = int(rng.integers(1, 5))
        centres = rng.normal(0, box / 8, (count, 2))
        views[k] = _blobs(centres, box / rng.uniform(6, 12), (box, box)) * rng.uniform(0.5, 1.5)
    return views


def _good_classes(project: Project, n_classes: int) -> np.ndarray:
    """The classes J8 selected: the rows of J7's class averages whose uid it kept."""
    averages = project.job("J7").load_output("class_averages", slots=["blob"])
    kept = project.job("J8").load_output("templates_selected", slots=["blob"])
    return np.flatnonzero(np.isin(averages["uid"], kept["uid"]))[:n_classes]


# -- micrographs and stacks ----------------------------------------------------------------


def _write_micrographs(
    project: Project,
    micrographs: Dataset,
    picks: Dataset,
    views: np.ndarray,
    klass: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Write each micrograph with the view of each particle's class at its pick; returns
    the full-size boxes cut at the picks (noise and neighbours included), in ``picks``' row
    order."""
    box = views.shape[-1]
    boxes = np.empty((len(picks), box, box), np.float16)
    on = picks["location/micrograph_uid"]
    paths = micrographs.strings("micrograph_blob/path")
    for row, uid in enumerate(micrographs["uid"]):
        ny, nx = (int(n) for n in micrographs["micrograph_blob/shape"][row])
        padded = np.zeros((ny + 2 * box, nx + 2 * box), np.float32)
        rows = np.flatnonzero(on == uid)
        ys = (picks["location/center_y_frac"][rows] * ny).astype(int) + box // 2
        xs = (picks["location/center_x_frac"][rows] * nx).astype(int) + box // 2
        for r, y, x in zip(rows, ys, xs, strict=True):
            padded[y : y + box, x : x + box] += views[klass[r]]
        padded[box:-box, box:-box] += _NOISE * rng.standard_normal((ny, nx), np.float32)
        for r, y, x in zip(rows, ys, xs, strict=True):
            boxes[r] = padded[y : y + box, x : x + box]
        _write(project.root / str(paths[row]), padded[box:-box, box:-box].astype(np.float16))
    return boxes


def _write_stacks(project: Project, particles: Dataset, frames: np.ndarray) -> None:
    """One stack per ``blob/path``, frame ``blob/idx`` of each row from ``frames``."""
    for path, rows in _groups(particles.strings("blob/path")):
        idx = particles["blob/idx"][rows]
        stack = np.zeros((int(idx.max()) + 1, *frames.shape[1:]), frames.dtype)
        stack[idx] = frames[rows]
        _write(project.root / path, stack, stack=True)


def _binned(frames: np.ndarray, size: int) -> np.ndarray:
    """Frames binned down to ``size`` (the full size a multiple of it), as float32."""
    factor = frames.shape[-1] // size
    binned = np.zeros((len(frames), size, size), np.float32)
    for dy in range(factor):
        for dx in range(factor):
            binned += frames[:, dy::factor, dx::factor]
    binned /= factor * factor
    return binned


def _write_class_averages(
    project: Project, n_classes: int, binned: np.ndarray, uids: np.ndarray
) -> None:
    """Each saved iteration's class averages: the mean of its classes' J6 particles."""
    job = project.job("J7")
    result = job.state.output("class_averages")
    assert result is not None
    for version in result.results[0].versions:
        averages = job.load_output("class_averages", version, slots=["blob"])
        members = job.load_output("particles", version, slots=["alignments2D"])
        klass = _by_uid(members, uids, "alignments2D/class")
        order = np.argsort(klass, kind="stable")
        counts = np.bincount(klass, minlength=n_classes)
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        sums = np.zeros((n_classes, *binned.shape[1:]), np.float32)
        filled = counts > 0
        sums[filled] = np.add.reduceat(binned[order], starts[filled], axis=0)
        means = sums / np.maximum(counts, 1)[:, None, None]
        for path, rows in _groups(averages.strings("blob/path")):
            stack = np.zeros((int(averages["blob/idx"][rows].max()) + 1, *means.shape[1:]))
            stack[averages["blob/idx"][rows]] = means[rows]
            _write(project.root / path, stack, stack=True)


# -- volumes ------------------------------------------------------------------------------


def _write_volumes(project: Project, rng: np.random.Generator) -> None:
    """Every volume result of the chain: the barrel, its half maps, masks."""
    for job in project.jobs:
        for group in job.state.outputs:
            if group.spec.type != "volume" or not group.results:
                continue
            volume = job.load_output(group.spec.name)
            names = [r.name for r in group.results if f"{r.name}/path" in volume.fields()]
            shape = tuple(int(n) for n in volume[f"{names[0]}/shape"][0])
            psize = float(volume[f"{names[0]}/psize_A"][0])
            maps = _maps(shape, psize, rng, low_pass=job.type == "homo_abinit")
            for name in names:
                _write(project.root / str(volume.strings(f"{name}/path")[0]), maps[_kind(name)])


def _kind(result: str) -> str:
    for kind in ("half_A", "half_B", "sharp", "mask", "locres", "precision"):
        if kind in result:
            return kind
    return "map"


def _maps(
    shape: tuple[int, ...], psize: float, rng: np.random.Generator, low_pass: bool
) -> dict[str, np.ndarray]:
    sigma = _SUBUNIT_SIGMA_A * (2.0 if low_pass else 1.0) / psize
    clean = _blobs(_subunits() / psize, sigma, shape)
    half_a = clean + rng.normal(0, 0.03, shape).astype(np.float32)
    half_b = clean + rng.normal(0, 0.03, shape).astype(np.float32)
    full = (half_a + half_b) / 2
    blurred = _blobs(_subunits() / psize, 1.6 * sigma, shape) * (1 / 1.6) ** 3
    mask = (_blobs(_subunits() / psize, 2 * sigma, shape) > 0.05).astype(np.float32)
    radius = np.sqrt(
        sum(np.square(a) for a in np.indices(shape) - np.array(shape)[:, None, None, None] / 2)
    )
    return {
        "map": full,
        "half_A": half_a,
        "half_B": half_b,
        "sharp": full + 1.5 * (full - blurred),
        "mask": mask,
        "locres": (2 * psize + 0.3 * radius * psize).astype(np.float32),
        "precision": np.full(shape, 1 / 0.03**2, np.float32),
    }


# -- helpers ------------------------------------------------------------------------------


def _groups(paths: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """Each distinct path with the rows that name it."""
    names, inverse = np.unique(np.asarray(paths).astype(str), return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(names) + 1))
    for k, name in enumerate(names):
        yield str(name), order[bounds[k] : bounds[k + 1]]


def _by_uid(dataset: Dataset, uids: np.ndarray, field: str) -> np.ndarray:
    """``dataset[field]`` for each of ``uids`` (all present)."""
    order = np.argsort(dataset["uid"])
    where = order[np.searchsorted(dataset["uid"], uids, sorter=order)]
    values: np.ndarray = dataset[field][where]
    return values


def _rows_of(dataset: Dataset, uids: np.ndarray) -> Dataset:
    """``dataset``'s rows in the order of ``uids``."""
    order = np.argsort(dataset["uid"])
    return dataset.take(order[np.searchsorted(dataset["uid"], uids, sorter=order)])


def _write(path: Path, data: np.ndarray, stack: bool = False) -> None:
    """Write ``data`` as an MRC file beside ``path``, then rename it into place. The
    statistics of the header are found in float32 (numpy's float16 sums are slow)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    if data.dtype != np.float16:
        data = data.astype(np.float32, copy=False)
    with mrcfile.new_mmap(partial, data.shape, mrc_mode=_MODES[data.dtype], overwrite=True) as mrc:
        if stack:
            mrc.set_image_stack()
        mrc.data[...] = data
        values = data.astype(np.float32, copy=False)
        mrc.header.dmin, mrc.header.dmax = values.min(), values.max()
        mrc.header.dmean = values.mean(dtype=np.float64)
        mrc.header.rms = values.std(dtype=np.float64)
    os.replace(partial, path)


_MODES = {np.dtype(np.float32): 2, np.dtype(np.float16): 12}
