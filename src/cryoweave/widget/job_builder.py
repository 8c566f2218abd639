"""``JobBuilder``: CryoSPARC's job builder in a notebook, drawn by ``js/src/builder/``.

Python owns the model. The ``graph`` trait is a snapshot of the project, kept current after
every edit, undo or redo, whoever makes it (a click on the canvas or ``job.connect(...)`` in
another cell). It is sent whole only when a view asks for the widget's state; after an edit
the views get a patch of what changed (``GraphPatch``, see builder_sync.py) as a custom
message, so an edit costs the same in a 20-job and in a 2,000-job project. The front end
never edits the graph: it sends requests (protocol.ts ``Request``) as custom messages, and
each is answered with one reply carrying the request's ``id``.
"""

from __future__ import annotations

import logging
import pathlib
from collections.abc import Callable, Sequence
from typing import Any, cast

import anywidget
import traitlets

from ..graph import Project
from .builder_code import command_code
from .builder_data import InputData
from .builder_edits import compatibility, run_command
from .builder_graph import catalog_view
from .builder_handoff import script_reply, workflow_reply
from .builder_params import params_reply
from .builder_pictures import PICTURES, Pictures
from .builder_requests import Fields, Refused
from .builder_sync import GraphSync

BUNDLE_PATH = pathlib.Path(__file__).parent.parent / "static" / "builder.js"
# ELK's worker script, sent when the canvas first needs a layout (a ``layout_engine``
# request): most of the front end's weight, kept out of the bundle every view loads.
LAYOUT_ENGINE_PATH = BUNDLE_PATH.with_name("layout-engine.js")

# As in dataset_view.py: anywidget reads a path ``_esm`` when the class is defined, so the
# bundle is looked for once, here. Without it the widget still works as a model (scripts,
# tests); only showing it in a notebook needs the bundle, and says how to get it.
_BUNDLE_FOUND = BUNDLE_PATH.is_file()

_log = logging.getLogger(__name__)


class JobBuilder(anywidget.AnyWidget):
    """Build jobs on a canvas: connect outputs to inputs by dragging, override slots,
    preview what an input resolves to, undo and redo.

    Every edit goes through the project, as if made from Python, and edits made from
    Python show on the canvas at once. Closing the widget stops it following the project.

    Parameters
    ----------
    project : Project
        The project to show and edit (opened read-only, it is only shown).

    Attributes
    ----------
    graph : dict
        ``GraphView`` of ``js/src/builder/protocol.ts``: the jobs, their connections and
        input status, what undo and redo would do, and a ``revision`` that grows with every
        change.
    catalog : list of dict
        ``CatalogEntry`` of every job type that can be added.
    code_lines : list of str
        Each edit made on the canvas in this widget's life, as its line of Python (see
        ``code()``).

    Examples
    --------
    >>> project = Project.open("my_project")       # doctest: +SKIP
    >>> JobBuilder(project)                         # doctest: +SKIP
    """

    _esm = BUNDLE_PATH if _BUNDLE_FOUND else ""

    graph = traitlets.Dict().tag(sync=True)
    catalog: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    code_lines: traitlets.List[str] = traitlets.List().tag(sync=True)

    _unsubscribe: Callable[[], None] | None = None
    _patching = False
    _requesting = False

    def __init__(self, project: Project) -> None:
        self.project = project
        self._sync = GraphSync(project)
        self._data = InputData(project)
        self._pictures = Pictures(project, self._data)
        super().__init__(graph=self._sync.snapshot(), catalog=catalog_view())
        self._unsubscribe = project.subscribe(self._changed)
        self.on_msg(self._on_request)

    def code(self) -> list[str]:
        """Every edit made on the canvas so far (moves aside), as the line of Python that
        makes it through the public API, oldest first, undo and redo included. Run in order
        on the project as it was before, they make the same edits.

        >>> builder.code()                                          # doctest: +SKIP
        ['project.job("J4").connect("particles", "J2", "particles")', 'project.undo()  # ...']
        """
        return list(self.code_lines)

    @property
    def _revision(self) -> int:
        return self._sync.revision

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        if not _BUNDLE_FOUND:
            raise RuntimeError(
                f"The cryoweave job builder bundle is missing ({BUNDLE_PATH}). It is built "
                "from js/ when the package is installed: reinstall with `pip install -e .` "
                "(Node.js and npm must be on PATH), then restart the kernel."
            )
        return super()._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop following the project and close the widget's views."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().close()

    def _changed(self, uids: set[str]) -> None:
        patch = self._sync.update(uids, from_canvas=self._requesting)
        self._patching = True  # the views get the patch, not the whole graph again
        try:
            self.graph = cast(dict[str, Any], self._sync.snapshot())  # a GraphWire
        finally:
            self._patching = False
        self.send(patch)

    def _should_send_property(self, key: str, value: Any) -> bool:
        # ipywidgets asks this before sending a changed trait; a view that asks for the
        # whole state (a new view, a reload) still gets the current graph.
        if key == "graph" and self._patching:
            return False
        return bool(super()._should_send_property(key, value))

    # -- requests -----------------------------------------------------------------------------

    def _on_request(self, widget: object, content: Any, buffers: Sequence[bytes]) -> None:
        self._requesting = True  # an edit made now is the canvas's, not a notebook cell's
        try:
            reply, out = self._answer(content)
        finally:
            self._requesting = False
        self.send(reply, out)

    def _answer(self, request: Any) -> tuple[dict[str, Any], list[Any]]:
        """The reply to one request and its binary buffers; never raises. A malformed or
        refused request is answered ``{"id", "ok": False, "error"}`` and changes nothing."""
        request_id = request.get("id") if isinstance(request, dict) else None
        if isinstance(request_id, bool) or not isinstance(request_id, int | float):
            request_id = None  # unanswerable by id; the front end waits for no such request
        try:
            if request_id is None:
                raise Refused(f"a request needs a number 'id', got {request!r:.100}")
            reply, buffers = self._dispatch(Fields(request, "request"))
        except Refused as err:
            return {"id": request_id, "ok": False, "error": str(err)}, []
        except (ValueError, KeyError, OSError) as err:  # the project's refusal, or a bad file
            message = err.args[0] if isinstance(err, KeyError) and err.args else err
            return {"id": request_id, "ok": False, "error": str(message)}, []
        except Exception as err:
            _log.exception("JobBuilder request failed: %r", request)
            error = f"internal error, please report it: {type(err).__name__}: {err}"
            return {"id": request_id, "ok": False, "error": error}, []
        return {"id": request_id, "ok": True, **reply}, buffers

    def _dispatch(self, request: Fields) -> tuple[dict[str, Any], list[Any]]:
        kind = request.text("type")
        what = Fields(request.content, f"request {kind!r}")
        if kind == "command":
            command = what.fields("command")
            reply = run_command(self.project, command)
            line = command_code(command, reply)
            if line is not None:
                self.code_lines = [*self.code_lines, line]
            return reply, []
        if kind == "compatibility":
            return {"targets": compatibility(self.project, what.fields("source"))}, []
        if kind == "preview":
            return self._data.preview(what.text("job"), what.text("input"), self._revision), []
        if kind == "rows":
            reply, columns = self._data.rows(
                what.text("job"),
                what.text("input"),
                what.index("offset"),
                what.index("limit"),
                self._revision,
            )
            return reply, list(columns)
        if kind == "download":
            reply, data = self._data.download(
                what.text("job"),
                what.text("output"),
                what.text("result"),
                what.version("version"),
                what.index("offset"),
            )
            return reply, list(data)
        if kind == "graph":
            return {"graph": self.graph}, []
        if kind == "params":
            return params_reply(self.project, what.text("job")), []
        if kind == "handoff":
            return script_reply(self.project, what.texts("jobs"), what.text("workspace")), []
        if kind == "workflow":
            return workflow_reply(self.project, what.texts("jobs")), []
        if kind == "layout_engine":
            return {}, [layout_engine()]
        if kind in PICTURES:
            return self._pictures.answer(kind, what, self._revision)
        raise Refused(
            f"unknown request type {kind!r}; types are command, compatibility, preview, rows, "
            "download, graph, params, handoff, workflow, layout_engine, " + ", ".join(PICTURES)
        )


def layout_engine() -> bytes:
    """ELK's worker script (``LAYOUT_ENGINE_PATH``), read when a view first lays out cards.

    Raises
    ------
    Refused
        The file is missing (the front end was not built), saying how to build it.
    """
    try:
        return LAYOUT_ENGINE_PATH.read_bytes()
    except FileNotFoundError:
        raise Refused(
            f"the layout engine {LAYOUT_ENGINE_PATH} is missing: reinstall with "
            "`pip install -e .` (Node.js and npm on PATH) to build the front end"
        ) from None
