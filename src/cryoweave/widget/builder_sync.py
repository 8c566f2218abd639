"""The ``graph`` trait kept current by patches: after an edit, only the jobs it changed.

A job's view (``JobWire``) depends on the job and on the jobs upstream of it (input status,
item counts), so an edit can change the views of the jobs it touched and of everything
downstream of them, and of nothing else. Those are rebuilt and compared with what was sent;
the patch (``GraphPatch`` of protocol.ts) carries the ones that differ, the uids that are
gone and the specs that are new. Its size follows the edit, not the project: one connection
in a 2,000-job project is a few hundred bytes where the whole graph is 1.5 MB.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..graph import Project
from ..graph.catalog import CATALOG
from ..graph.model import JobState, uid_number
from .builder_graph import graph_header, job_view
from .wire import GraphPatch, GraphWire, JobWire, SpecWire


class GraphSync:
    """The last ``graph`` sent, job by job, and the patches that bring it up to date."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.revision = 0
        self._root = project.root.resolve()
        self._specs: dict[str, SpecWire] = {}
        self._views: dict[str, JobWire] = {}
        for uid, state in project.states.items():
            self._views[uid] = job_view(project, self._root, state, self._specs)
        self._header = graph_header(project, self._root, self.revision)

    def snapshot(self) -> GraphWire:
        """The whole ``graph`` trait (``GraphWire``), from the views and header already built
        (by the last ``update``)."""
        jobs = [self._views[uid] for uid in self.project.states]
        used = {job["spec"] for job in jobs}
        specs = {key: spec for key, spec in self._specs.items() if key in used}
        return {**self._header, "specs": specs, "jobs": jobs}

    def update(self, changed: Iterable[str], from_canvas: bool = False) -> GraphPatch:
        """Bring the views up to date after an edit that changed the jobs ``changed``; return
        the patch from the previous revision to the new one. An edit not ``from_canvas`` (a
        notebook cell's) that made jobs names the last of them (``made_in_python``)."""
        base, self.revision = self.revision, self.revision + 1
        states = self.project.states
        jobs: list[JobWire] = []
        removed: list[str] = []
        specs: dict[str, SpecWire] = {}
        changed = set(changed)
        made = ""
        for uid in sorted(self.project.downstream(changed) | changed, key=uid_number):
            state = states.get(uid)
            if state is None:
                if self._views.pop(uid, None) is not None:
                    removed.append(uid)
                continue
            view, new_specs = self._view(state)
            for key, spec in new_specs.items():
                if self._specs.get(key) != spec:
                    self._specs[key] = specs[key] = spec
            if uid not in self._views and not from_canvas:
                made = uid  # uids come in job order: the last made
            if self._views.get(uid) != view:
                self._views[uid] = view
                jobs.append(view)
        self._header = graph_header(self.project, self._root, self.revision, made)
        return {
            "type": "graph_patch",
            "base": base,
            **self._header,
            "specs": specs,
            "jobs": jobs,
            "removed": removed,
        }

    def _view(self, state: JobState) -> tuple[JobWire, dict[str, SpecWire]]:
        """The job's view and the specs it names. Catalog specs never change, so those
        already known are not built again; a job's own spec (keyed by its uid) is."""
        specs = {key: spec for key, spec in self._specs.items() if key in CATALOG}
        view = job_view(self.project, self._root, state, specs)
        key = view["spec"]
        return view, {key: specs[key]}
