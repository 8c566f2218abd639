"""The JobBuilder's pictures: pages of particle tiles, a 2D classification's class
averages by particle count, a volume's central slices, a micrograph with its picks.

Pixels travel only here, in a request's answer, as uint8 buffers: the contrast of each
picture is set in Python (its 1st to 99th percentile spread over 0..255), and pictures are
shrunk by averaging blocks of pixels, never enlarged, so that a tile costs at most one byte
per pixel drawn. Refusals of the files themselves (missing, not MRC, a frame past the end
of its stack) come from ``data.images`` and name the file.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..graph import Job, Project
from ..graph.job import dataset_images
from .builder_data import InputData
from .builder_requests import Fields, Refused

Reply = dict[str, Any]
Array = np.ndarray[Any, np.dtype[Any]]

TILE_PX = 96
"""A tile's largest side: larger particle boxes are shrunk by averaging blocks of pixels."""
MAX_TILES = 100
"""Tiles in one page at most, whatever the front end asks for."""
MICROGRAPH_PX = 512
"""A micrograph's largest side as sent."""
SLICE_PX = 256
"""A volume slice's largest side as sent."""
PICTURES = ("tiles", "class_gallery", "volume_slices", "micrograph")
"""The request types answered here (``Pictures.answer``)."""
HALF_MAPS = ("map", "map_half_A", "map_half_B")
"""The volumes shown side by side, those an output holds, in this order."""


def contrast(pictures: Array) -> Array:
    """Each picture of ``(n, ny, nx)`` as uint8, its 1st to 99th percentile spread over
    0..255 (a flat picture is mid-grey).

    Examples
    --------
    >>> contrast(np.arange(200, dtype=np.float32).reshape(1, 10, 20))[0, 0, :3].tolist()
    [0, 0, 0]
    """
    n = len(pictures)
    flat = pictures.reshape(n, -1).astype(np.float32, copy=False)
    if flat.shape[1] == 0:
        return np.zeros(pictures.shape, np.uint8)
    low, high = np.percentile(flat, (1.0, 99.0), axis=1)
    spread = high - low
    flat_ones = ~(spread > 0)
    scale = np.where(flat_ones, 0.0, 255.0 / np.where(flat_ones, 1.0, spread))
    out = (flat - low[:, None]) * scale[:, None].astype(np.float32)
    out[flat_ones] = 127.0
    result: Array = np.clip(out, 0, 255).astype(np.uint8).reshape(pictures.shape)
    return result


def shrink(pictures: Array, limit: int) -> Array:
    """``(n, ny, nx)`` pictures with their larger side at most ``limit``: blocks of ``f x f``
    pixels averaged (``f`` the smallest whole factor that fits; the last rows and columns
    that do not fill a block are cut). Pictures that fit are returned as they are.

    Examples
    --------
    >>> shrink(np.ones((2, 200, 100), np.float32), 96).shape
    (2, 66, 33)
    """
    n, ny, nx = pictures.shape
    factor = math.ceil(max(ny, nx) / limit)
    if factor <= 1:
        return pictures
    hy, hx = ny // factor, nx // factor
    cut = pictures[:, : hy * factor, : hx * factor].astype(np.float32, copy=False)
    blocks: Array = cut.reshape(n, hy, factor, hx, factor).mean(axis=(2, 4), dtype=np.float32)
    return blocks


class Pictures:
    """The pictures of one project's jobs, served to the front end.

    ``data`` is the widget's ``InputData``: an input's tiles count its rows from the input
    it already resolved for the preview.
    """

    def __init__(self, project: Project, data: InputData) -> None:
        self.project = project
        self.data = data
        # The last output's volumes and their contrast, keyed by (job, output, revision): a
        # slider moving through z asks again and again for the same maps.
        self._volumes: tuple[tuple[str, str, int], list[tuple[str, Array, float, float]]] | None
        self._volumes = None

    def answer(self, kind: str, what: Fields, revision: int) -> tuple[Reply, list[Any]]:
        """The reply to a request of type ``kind`` (one of ``PICTURES``) and its buffers;
        ``revision`` is the graph's, as for the preview."""
        job = what.text("job")
        if kind == "tiles":
            side, name, slot = what.text("side"), what.text("name"), what.text("slot")
            offset, limit = what.index("offset"), what.index("limit")
            return self.tiles(job, side, name, slot, offset, limit, revision)
        if kind == "class_gallery":
            return self.class_gallery(job, what.text("output"))
        if kind == "volume_slices":
            z = None if what.content.get("z") is None else what.index("z")
            return self.volume_slices(job, what.text("output"), z, revision)
        if kind == "micrograph":
            return self.micrograph(job, what.text("output"), what.index("index"))
        raise Refused(f"{kind!r} is not a picture; pictures are {', '.join(PICTURES)}")

    def tiles(
        self,
        uid: str,
        side: str,
        name: str,
        slot: str,
        offset: int,
        limit: int,
        revision: int,
    ) -> tuple[Reply, list[Any]]:
        """``TilesReply``: the images of rows ``offset`` to ``offset + limit`` (at most
        ``MAX_TILES``) of output ``name`` (``side`` "output") or resolved input ``name``
        (``side`` "input", overrides honoured) as one uint8 buffer ``(count, h, w)``."""
        job = self.project.job(uid)
        if side == "output":
            group = job.state.output(name)
            if group is None:
                raise Refused(f"{uid} has no output {name!r}")
            total = group.num_items
            rows = _page(offset, limit, total)
            images = job.load_images(name, slot, rows)
        elif side == "input":  # the input the preview resolved, not resolved again per page
            dataset = self.data.resolved(uid, name, revision).dataset
            total = len(dataset)
            rows = _page(offset, limit, total)
            images = dataset_images(self.project, dataset, slot, rows, f"{uid}.{name}")
        else:
            raise Refused(f"request 'tiles' needs 'side' as 'input' or 'output', got {side!r}")
        box = list(images.shape[1:]) if len(rows) else []
        tiles = contrast(shrink(images, TILE_PX)) if len(rows) else np.zeros((0, 0, 0), np.uint8)
        reply = {
            "offset": rows.start,
            "count": len(rows),
            "total": total,
            "box": box,
            "size": list(tiles.shape[1:]),
        }
        return reply, [tiles.tobytes()]

    def class_gallery(self, uid: str, output: str) -> tuple[Reply, list[Any]]:
        """``ClassGalleryReply``: the class averages of a 2D classification's ``output``
        (``class_averages``), most particles first, each with its class number and particle
        count (from the job's ``particles``' ``alignments2D/class``), as one uint8 buffer."""
        job = self.project.job(uid)
        particles = job.state.output("particles")
        if particles is None or particles.result("alignments2D") is None:
            raise Refused(
                f"{uid}.{output} is not the class averages of a 2D classification: {uid} has "
                "no particles with alignments2D to count them"
            )
        averages = job.load_images(output)
        classes = job.load_output("particles", slots=["alignments2D"])["alignments2D/class"]
        known = classes[(classes >= 0) & (classes < len(averages))]
        counts = np.bincount(known.astype(np.int64), minlength=len(averages))
        order = np.argsort(-counts, kind="stable")
        tiles = contrast(shrink(averages[order], TILE_PX))
        reply = {
            "classes": order.tolist(),
            "counts": counts[order].tolist(),
            "particles": len(classes),
            "box": list(averages.shape[1:]),
            "size": list(tiles.shape[1:]),
        }
        return reply, [tiles.tobytes()]

    def volume_slices(
        self, uid: str, output: str, z: int | None, revision: int = 0
    ) -> tuple[Reply, list[Any]]:
        """``VolumeSlicesReply``: of the map and the half maps the output holds, the slice
        ``z`` (the central one by default) and the central xz and yz slices, one buffer
        per volume (xy, then xz, then yz, each ``SLICE_PX`` at most); the contrast is set
        per volume, so that moving through z keeps it. The volumes are read once per graph
        ``revision``."""
        maps, buffers = [], []
        at = 0
        for slot, volume, low, high in self._read_volumes(uid, output, revision):
            nz, ny, nx = volume.shape
            at = nz // 2 if z is None else z
            if at >= nz:
                raise Refused(
                    f"{uid}.{output}.{slot} has {nz} slices in z; slice {at} is past the end"
                )
            cuts = [volume[at], volume[:, ny // 2, :], volume[:, :, nx // 2]]
            scale = 255.0 / (high - low) if high > low else 0.0
            parts = []
            for cut in cuts:
                small = shrink(cut[np.newaxis], SLICE_PX)[0]
                scaled = np.clip((small - low) * scale, 0, 255) if scale else small * 0 + 127
                parts.append(scaled.astype(np.uint8))
            maps.append(
                {"slot": slot, "shape": [nz, ny, nx], "sizes": [list(p.shape) for p in parts]}
            )
            buffers.append(b"".join(p.tobytes() for p in parts))
        return {"maps": maps, "z": at}, buffers

    def _read_volumes(
        self, uid: str, output: str, revision: int
    ) -> list[tuple[str, Array, float, float]]:
        """``(slot, volume, low, high)`` of each of ``HALF_MAPS`` the output holds, ``low``
        and ``high`` its 1st and 99th percentiles (of a strided sample of a large map)."""
        key = (uid, output, revision)
        if self._volumes is not None and self._volumes[0] == key:
            return self._volumes[1]
        job = self.project.job(uid)
        group = job.state.output(output)
        if group is None:
            raise Refused(f"{uid} has no output {output!r}")
        slots = [slot for slot in HALF_MAPS if group.result(slot) is not None]
        if not slots:
            raise Refused(
                f"{uid}.{output} holds no map (results: {[r.name for r in group.results]})"
            )
        self._volumes = None  # let the last output's maps go before reading these
        volumes = []
        for slot in slots:
            volume = job.load_volume(output, slot)
            step = [max(1, n // 64) for n in volume.shape]
            sample = volume[:: step[0], :: step[1], :: step[2]]
            low, high = np.percentile(sample, (1.0, 99.0))
            volumes.append((slot, volume, float(low), float(high)))
        self._volumes = key, volumes
        return volumes

    def micrograph(self, uid: str, output: str, index: int) -> tuple[Reply, list[Any]]:
        """``MicrographReply``: exposure ``index`` of ``output`` shrunk to ``MICROGRAPH_PX`` at
        most, and the picks of this exposure in the job's particle outputs (``location``)
        in the shrunk picture's pixels, as a float32 buffer of ``x, y`` pairs."""
        job = self.project.job(uid)
        group = job.state.output(output)
        if group is None:
            raise Refused(f"{uid} has no output {output!r}")
        if index >= group.num_items:
            raise Refused(
                f"{uid}.{output} has {group.num_items} exposures; {index} is past the end"
            )
        exposures = job.load_output(output, slots=["micrograph_blob"])
        image = job.load_images(output, "micrograph_blob", [index])
        small = contrast(shrink(image, MICROGRAPH_PX))[0]
        ny, nx = small.shape
        psize = float(image.shape[2]) / nx  # of the shrunk picture, in the micrograph's pixels
        picks, radius = _picks(job, int(exposures["uid"][index]), (ny, nx), psize)
        reply = {
            "index": index,
            "total": group.num_items,
            "path": str(exposures.strings("micrograph_blob/path")[index]),
            "shape": list(image.shape[1:]),
            "size": [ny, nx],
            "picks": len(picks),
            "radius": radius,
        }
        return reply, [small.tobytes(), picks.astype("<f4").tobytes()]


def _picks(job: Job, exposure: int, size: tuple[int, int], binning: float) -> tuple[Array, float]:
    """The picks on ``exposure`` as ``(n, 2)`` x, y in a picture of ``size`` (``ny, nx``)
    ``binning`` times coarser than the micrograph, from the first of the job's particle
    outputs with ``location`` (the others repeat them), and a circle's radius in its pixels:
    half the picker's minimum distance, or 0 when not known."""
    for group in job.state.outputs:
        if group.spec.type != "particle" or group.result("location") is None:
            continue
        location = job.load_output(group.spec.name, slots=["location"])
        here = location["location/micrograph_uid"] == exposure
        xy = np.stack(
            [location["location/center_x_frac"][here] * size[1],
             location["location/center_y_frac"][here] * size[0]],
            axis=1,
        )  # fmt: skip
        radius = 0.0
        if here.any() and "location/min_dist_A" in location.fields():
            psize = float(location["location/micrograph_psize_A"][here][0]) * binning
            radius = float(location["location/min_dist_A"][here][0]) / 2 / psize
        return xy, radius
    return np.zeros((0, 2)), 0.0


def _page(offset: int, limit: int, total: int) -> range:
    """Rows ``offset`` to ``offset + limit`` (at most ``MAX_TILES``) of ``total``."""
    return range(min(offset, total), min(offset + min(limit, MAX_TILES), total))
