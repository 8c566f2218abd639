"""A project as one HTML page: the job builder's canvas with no kernel and no network.

``export_html(project, "t20s.html")`` writes a single file: the bundled front end
(``static/builder.js``) and its layout engine (``static/layout-engine.js``) inlined, and a
snapshot of the project (the ``graph`` trait, the catalog, every job's parameters, and
optionally the canvas's code lines) embedded as JSON. Opened from disk, the page draws the
canvas read-only: pan, zoom, select, the inspector's inputs, outputs and parameters, and the
code panel. The class averages of each 2D classification are kept too (``galleries``: the
``class_gallery`` reply and its uint8 tiles, a few kilobytes each, up to ``GALLERY_BYTES`` in
all). Previews, other pictures and downloads need the rows, which stay in the project's files,
and so a kernel.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from ..data.atomic import atomic_write
from ..graph import Project
from .builder_data import InputData
from .builder_graph import catalog_view, graph_view
from .builder_params import params_reply
from .builder_pictures import Pictures
from .job_builder import BUNDLE_PATH, LAYOUT_ENGINE_PATH

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - cryoweave</title>
<style>
html, body {{ margin: 0; height: 100%; font-family: system-ui, sans-serif; }}
#cryoweave {{ box-sizing: border-box; height: 100vh; padding: 8px; }}
#cryoweave .cw-builder {{ height: 100%; }}
#cryoweave .cw-canvas {{ flex: 1; height: auto; min-height: 0; }}
</style>
</head>
<body>
<div id="cryoweave"></div>
<script type="application/json" id="cryoweave-snapshot">{snapshot}</script>
<script type="text/plain" id="cryoweave-bundle">{bundle}</script>
<script type="text/plain" id="cryoweave-layout-engine">{layout_engine}</script>
<script type="module">
// The bundle is an ES module: loaded from a blob, as a page opened from disk may not
// import files beside it.
const text = document.getElementById("cryoweave-bundle").textContent;
const url = URL.createObjectURL(new Blob([text], {{ type: "text/javascript" }}));
const builder = await import(url);
const snapshot = JSON.parse(document.getElementById("cryoweave-snapshot").textContent);
// ELK's worker script, for a layout: read from the page when one is first needed.
const engine = () => document.getElementById("cryoweave-layout-engine").textContent;
builder.renderSnapshot(document.getElementById("cryoweave"), snapshot, engine);
</script>
</body>
</html>
"""


GALLERY_BYTES = 512 << 10
"""Tiles of class averages kept in a page at most (the page stays within 3 MB): galleries
past it are left out, and the page says a kernel is needed to show them."""


def galleries(project: Project) -> dict[str, dict[str, Any]]:
    """``{"J7/class_averages": ClassGalleryReply + {"tiles": base64}}`` of every completed
    2D classification whose class averages can be read, up to ``GALLERY_BYTES`` of tiles."""
    pictures = Pictures(project, InputData(project))
    kept: dict[str, dict[str, Any]] = {}
    spent = 0
    for uid, state in project.states.items():
        particles = state.output("particles")
        if state.status != "completed" or state.output("class_averages") is None:
            continue
        if particles is None or particles.result("alignments2D") is None:
            continue
        try:
            reply, buffers = pictures.class_gallery(uid, "class_averages")
        except (OSError, ValueError):  # pixels missing or unreadable: a kernel would say why
            continue
        tiles = bytes(buffers[0])
        if spent + len(tiles) > GALLERY_BYTES:
            break
        spent += len(tiles)
        kept[f"{uid}/class_averages"] = {**reply, "tiles": base64.b64encode(tiles).decode()}
    return kept


def snapshot(project: Project, code: Sequence[str] = ()) -> dict[str, Any]:
    """What the page holds (``Snapshot`` of js/src/builder/snapshot.ts): the graph marked
    read-only, the catalog, the code lines, and each job's parameters, each distinct list
    stored once."""
    graph = dict(graph_view(project, 0))
    graph["read_only"] = True
    graph["can_undo"] = graph["can_redo"] = False
    graph["undo_label"] = graph["redo_label"] = ""
    params: dict[str, dict[str, Any]] = {}
    lists: list[Any] = []
    index: dict[str, int] = {}
    for uid in project.states:
        reply = params_reply(project, uid)
        key = json.dumps(reply["params"], sort_keys=True)
        if key not in index:
            index[key] = len(lists)
            lists.append(reply["params"])
        params[uid] = {"type_title": reply["type_title"], "list": index[key]}
    return {
        "graph": graph,
        "catalog": catalog_view(),
        "code_lines": list(code),
        "params": params,
        "param_lists": lists,
        "galleries": galleries(project),
    }


def export_html(project: Project, path: str | os.PathLike[str], code: Sequence[str] = ()) -> Path:
    """Write ``project`` as one self-contained HTML page (see the module's docstring) and
    return its path. ``code`` adds lines to the page's code panel (``builder.code()``).

    >>> export_html(project, "t20s.html", code=builder.code())   # doctest: +SKIP
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"{target}: its folder {target.parent} does not exist")
    for part in (BUNDLE_PATH, LAYOUT_ENGINE_PATH):
        if not part.is_file():
            raise RuntimeError(
                f"The job builder's front end is missing ({part}): reinstall with "
                "`pip install -e .` (Node.js and npm on PATH) to build it."
            )
    bundle = BUNDLE_PATH.read_text(encoding="utf-8")
    engine = LAYOUT_ENGINE_PATH.read_text(encoding="utf-8")
    data = json.dumps(snapshot(project, code), separators=(",", ":"))
    page = _PAGE.format(
        title=escape(project.title),
        # Neither may end its <script> early: "</" is "<\/" in JSON and in JavaScript alike.
        snapshot=data.replace("</", "<\\/"),
        bundle=bundle.replace("</script", "<\\/script"),
        layout_engine=engine.replace("</script", "<\\/script"),
    )
    encoded = page.encode("utf-8")
    atomic_write(str(target), lambda f: f.write(encoded), durable=True)
    return target
