"""A local stand-in for CryoSPARC's API, for cryosparc-tools' real client over real HTTP.

No CryoSPARC can run here (it needs a licence and its own database). ``TestServer`` answers
on 127.0.0.1 the endpoints cryosparc-tools 5.0.3 calls to connect, find a project, create,
connect and parameterise jobs, queue them, and create External jobs (step by step, or in one
call as ``save_external_result`` does) and upload their data.
Its ``/openapi.json`` names each endpoint by the ``summary`` that cryosparc-tools' ``APIClient``
turns into a method, with the arguments ``cryosparc/api.pyi`` types (path parameters in
order, the rest as query or body); its answers are ``cryosparc.models`` documents that the
client validates. Its state is a CryoSPARC-like project: the jobs of a CryoSPARC project
folder (their ``job.json`` read with ``cryosparc.models.job.Job``) and every job the client
makes, with connections, results, parameters, lanes and uploaded datasets.

It refuses, as CryoSPARC would, what cannot be done (an unknown project, workspace, job,
input, output, result or job type; an edit of a job that is not building; a slot that is
required; a dataset lacking its output's results), and ``refuse_call(n)`` makes the ``n``-th
counted call (0-based, connecting not counted) fail before it changes anything, or, with
``after=True``, after.

Job types are CryoSPARC's: the inputs and outputs of each come from cryoweave's catalog (the
guide's pages), standing in for the job register of a real instance.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryosparc.dataset import Dataset
from cryosparc.models.job import Job

from .cryosparc_state import (
    TOKEN,
    VERSION,
    Handlers,
    OutputsOf,
    Refused,
    State,
    catalog_outputs,
)

API = "/api/cmd"


@dataclass(frozen=True)
class Endpoint:
    """One API method: ``summary`` is the client's name for it, ``path`` its path
    parameters in the client's positional order, ``query`` its keyword arguments with how
    each is read from the URL, ``body`` how the request body comes."""

    summary: str
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # "json:<title>", "form", "dataset", or None
    returns: str = "Job"  # a cryosparc.models name, or "string"


J = "/projects/{project_uid}/jobs/{job_uid}"
ENDPOINTS = (
    Endpoint("login", "post", "/login", body="form", returns="Token"),
    Endpoint("users.me", "get", "/users/me", returns="User"),
    Endpoint("config.get_version", "get", "/config/version", returns="string"),
    Endpoint("projects.find_one", "get", "/projects/{project_uid}", returns="Project"),
    Endpoint("jobs.find_one", "get", J),
    Endpoint(
        "jobs.find",
        "get",
        "/jobs",
        {
            **{k: "strs" for k in ("project_uid", "workspace_uid", "type", "status", "category")},
            **{
                f"{k}_at": "strs"
                for k in (
                    "created",
                    "updated",
                    "queued",
                    "started",
                    "completed",
                    "waiting",
                    "killed",
                    "failed",
                    "exported",
                )
            },
            "order": "int",
            "after": "str",
            "limit": "int",
        },
        returns="Job[]",
    ),
    Endpoint(
        "jobs.create",
        "post",
        "/projects/{project_uid}/workspaces/{workspace_uid}/jobs",
        {"type": "str", "title": "str", "description": "str", "created_by_job_uid": "str"},
        body="json:Params",
    ),
    Endpoint(
        "jobs.connect",
        "post",
        J + "/connect/{input_name}",
        {"source_job_uid": "str", "source_output_name": "str"},
    ),
    Endpoint(
        "jobs.connect_result",
        "post",
        J + "/connect/{input_name}/{connection_index}/{result_name}",
        {
            "source_job_uid": "str",
            "source_output_name": "str",
            "source_result_name": "str",
            "source_result_version": "version",
        },
    ),
    Endpoint(
        "jobs.disconnect_result",
        "delete",
        J + "/connect/{input_name}/{connection_index}/{result_name}",
    ),
    Endpoint("jobs.set_param", "put", J + "/params/{param}", body="json:Value"),
    Endpoint(
        "jobs.enqueue",
        "post",
        J + "/enqueue",
        {"lane": "str", "hostname": "str", "gpus": "int", "no_check_inputs_ready": "bool"},
    ),
    Endpoint(
        "jobs.create_external_result",
        "post",
        "/projects/{project_uid}/workspaces/{workspace_uid}/external_results",
        body="json:ExternalOutputSpec",
    ),
    Endpoint(
        "jobs.add_external_input", "post", J + "/external/inputs/{input_name}", body="json:Body"
    ),
    Endpoint(
        "jobs.add_external_output", "post", J + "/external/outputs/{output_name}", body="json:Body"
    ),
    Endpoint("jobs.mark_running", "patch", J + "/mark_running", {"status": "str"}),
    Endpoint(
        "jobs.save_output",
        "post",
        J + "/outputs/{output_name}/dataset",
        {"filename": "str", "version": "int"},
        body="dataset",
    ),
    Endpoint("jobs.mark_completed", "patch", J + "/mark_completed"),
    Endpoint("jobs.mark_failed", "patch", J + "/mark_failed", {"error": "str"}),
)
HANDSHAKE = {"login", "users.me", "config.get_version"}  # connecting: never refused


def openapi() -> dict[str, Any]:
    """The schema the client reads at connect, every endpoint named by its summary."""
    paths: dict[str, dict[str, Any]] = {}
    for ep in ENDPOINTS:
        params = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_names(ep.path)
        ]
        params += [
            {"name": name, "in": "query", "required": False, "schema": {}} for name in ep.query
        ]
        answer: dict[str, Any] = {"$ref": f"#/components/schemas/{ep.returns.rstrip('[]')}"}
        if ep.returns == "string":
            answer = {"type": "string"}
        elif ep.returns.endswith("[]"):
            answer = {"type": "array", "items": answer}
        schema: dict[str, Any] = {
            "summary": ep.summary,
            "parameters": params,
            "responses": {
                "200": {"content": {"application/json": {"schema": answer}}},
                **{
                    str(code): {"content": {"application/json": {"schema": {}}}}
                    for code in (401, 404, 422)
                },
            },
        }
        if ep.body == "form":
            schema["requestBody"] = {"content": {"application/x-www-form-urlencoded": {}}}
        elif ep.body == "dataset":
            schema["requestBody"] = {"content": {Dataset.media_type: {"schema": {}}}}
        elif ep.body is not None:
            title = ep.body.split(":", 1)[1]
            content = {"application/json": {"schema": {"title": title}}}
            schema["requestBody"] = {"content": content, "required": True}
        paths.setdefault(ep.path, {})[ep.method] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "test", "version": VERSION},
        "paths": paths,
        "components": {"schemas": {}},
    }


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


# -- HTTP ------------------------------------------------------------------------------------


def _query_value(kind: str, values: list[str]) -> Any:
    if kind == "strs":
        return values
    if kind == "int" and len(values) > 1:
        return [int(v) for v in values]
    value = values[0]
    if kind == "int":
        return int(value)
    if kind == "bool":
        return value == "true"
    if kind == "version":
        return value if value == "F" else int(value)
    return value


def _match(ep: Endpoint, path: str) -> list[str] | None:
    want, got = ep.path.strip("/").split("/"), path.strip("/").split("/")
    if len(want) != len(got):
        return None
    found = []
    for pattern, part in zip(want, got, strict=True):
        if pattern.startswith("{"):
            found.append(unquote(part))
        elif pattern != part:
            return None
    return found


class TestServer:
    """The server, started on 127.0.0.1 with ``running()``; ``state`` is what it holds."""

    __test__ = False  # not a test class

    def __init__(
        self,
        folder: Path,
        workspaces: tuple[str, ...] = ("W1", "W2"),
        outputs_of: OutputsOf = catalog_outputs,
    ) -> None:
        self.state = State(folder, workspaces)
        self.handlers = Handlers(self.state, outputs_of)
        self.lock = threading.Lock()
        self.url = ""

    def refuse_call(self, index: int | None, *, after: bool = False) -> None:
        """Refuse the ``index``-th counted call from now (0-based); None refuses none.
        ``after``: do what it asks first, then answer an error (500), as a server that
        fails after its change, or an answer lost on the way, leaves it."""
        with self.lock:
            self.state.refuse_at, self.state.counted = index, 0
            self.state.refuse_after = after
            self.state.log.clear()

    def answer(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        url = urlsplit(raw_path)
        path = url.path.removeprefix(API)
        if method == "get" and path == "/openapi.json":
            return 200, openapi()
        for ep in ENDPOINTS:
            args = _match(ep, path) if ep.method == method else None
            if args is not None:
                break
        else:
            return 404, {"detail": f"no endpoint {method.upper()} {path}"}
        if ep.summary != "login" and headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"detail": "not authenticated"}
        query = parse_qs(url.query)
        unknown = set(query) - set(ep.query)
        if unknown:
            return 422, {"detail": f"{ep.summary}: unknown query parameters {sorted(unknown)}"}
        kwargs = {k: _query_value(ep.query[k], v) for k, v in query.items()}
        with self.lock:
            if ep.summary not in HANDSHAKE:
                index = self.state.counted
                self.state.counted += 1
                self.state.log.append(ep.summary)
                refused = index == self.state.refuse_at
                why = f"refused by the test server: call {index}, {ep.summary}"
                if refused and not self.state.refuse_after:
                    return 422, {"detail": why}
            handler = getattr(self.handlers, ep.summary.replace(".", "_"))
            try:
                if ep.body == "form":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    result = handler(form)
                elif ep.body == "dataset":
                    result = handler(*args, body, **kwargs)
                elif ep.body is not None:
                    result = handler(*args, json.loads(body or b"null"), **kwargs)
                else:
                    result = handler(*args, **kwargs)
            except Refused as refusal:
                return refusal.status, {"detail": str(refusal)}
            if ep.summary not in HANDSHAKE and refused:
                return 500, {"detail": why + " (after doing it)"}
            if isinstance(result, Job):
                return 200, result.model_dump(mode="json")
            if isinstance(result, list):
                return 200, [job.model_dump(mode="json") for job in result]
            return 200, result

    @contextmanager
    def running(self) -> Iterator[TestServer]:
        """Serve on a free port of 127.0.0.1 until the block ends; ``url`` is the base URL."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def _handler(owner: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a stalled client never holds the server

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = self._chunked()
            else:
                body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = owner.answer(self.command.lower(), self.path, headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _chunked(self) -> bytes:
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
