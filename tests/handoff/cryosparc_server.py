"""A local stand-in for CryoSPARC's API, for cryosparc-tools' real client over real HTTP.

No CryoSPARC can run here (it needs a licence and its own database). ``TestServer`` answers
on 127.0.0.1 the endpoints cryosparc-tools 5.0.3 calls to connect, find a project, create,
connect and parameterise jobs, queue them, and create External jobs and upload their data.
Its ``/openapi.json`` names each endpoint by the ``summary`` that cryosparc-tools' ``APIClient``
turns into a method, with the arguments ``cryosparc/api.pyi`` types (path parameters in
order, the rest as query or body); its answers are ``cryosparc.models`` documents that the
client validates. Its state is a CryoSPARC-like project: the jobs of a CryoSPARC project
folder (their ``job.json`` read with ``cryosparc.models.job.Job``) and every job the client
makes, with connections, results, parameters, lanes and uploaded datasets.

It refuses, as CryoSPARC would, what cannot be done (an unknown project, workspace, job,
input, output, result or job type; an edit of a job that is not building; a slot that is
required; a dataset lacking its output's results), and ``refuse_call(n)`` makes the ``n``-th
counted call (0-based, connecting not counted) fail before it changes anything.

Job types are CryoSPARC's: the inputs and outputs of each come from cryoweave's catalog (the
guide's pages), standing in for the job register of a real instance.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryosparc.dataset import Dataset
from cryosparc.models.job import Job
from cryosparc.models.job_spec import (
    Connection,
    Input,
    InputResult,
    Inputs,
    InputSlot,
    InputSpec,
    JobSpec,
    Output,
    OutputResult,
    OutputSpec,
)
from cryosparc.models.resource import ResourceSpec

from cryoweave.graph.catalog import CATALOG, declared_outputs

TOKEN = "local-test-token"
VERSION = "v5.0.3"  # the CryoSPARC release cryosparc-tools 5.0.3 is made for
API = "/api/cmd"


class Refused(Exception):
    """A request CryoSPARC would refuse: answered with ``status`` and ``{"detail": ...}``."""

    def __init__(self, detail: str, status: int = 422) -> None:
        super().__init__(detail)
        self.status = status


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
        answer = (
            {"type": "string"}
            if ep.returns == "string"
            else {"$ref": f"#/components/schemas/{ep.returns}"}
        )
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


# -- job types --------------------------------------------------------------------------------

OutputsOf = Callable[[str, dict[str, Any]], dict[str, Output]]


def catalog_inputs(job_type: str) -> dict[str, Input]:
    """The input groups of a job type, as CryoSPARC's job register gives them."""
    if job_type not in CATALOG:
        return {}
    return {
        spec.name: Input(
            type=spec.type,  # type: ignore[arg-type]
            title=spec.title,
            slots=[
                InputSlot(name=s.name, dtype=s.type.split(".", 1)[1], required=s.required)
                for s in spec.slots
            ],
            count_min=spec.count_min,
            count_max="inf" if spec.count_max is None else spec.count_max,
        )
        for spec in CATALOG[job_type].inputs
    }


def catalog_outputs(job_type: str, params: dict[str, Any]) -> dict[str, Output]:
    """The output groups a job of this type declares with these parameters."""
    if job_type not in CATALOG:
        return {}
    return {
        spec.name: Output(
            type=spec.type,  # type: ignore[arg-type]
            title=spec.title,
            passthrough=spec.passthrough,
            results=[
                OutputResult(name=r.name, dtype=r.type.split(".", 1)[1]) for r in spec.results
            ],
        )
        for spec in declared_outputs(CATALOG[job_type], params)
    }


# -- the state ---------------------------------------------------------------------------------


class State:
    """A CryoSPARC-like project: jobs by uid, workspaces, uploaded datasets, and a log of
    every counted call."""

    def __init__(self, folder: Path, workspaces: tuple[str, ...]) -> None:
        project = json.loads((folder / "project.json").read_text())
        self.project_uid: str = project["uid"]
        self.project_title: str = project.get("title", "")
        self.folder = folder
        self.jobs: dict[str, Job] = {}
        for path in sorted(folder.glob("J*/job.json")):
            job = Job.model_validate_json(path.read_text())
            self.jobs[job.uid] = job
        self.seeded = set(self.jobs)
        self.workspaces = set(workspaces) | {
            w for j in self.jobs.values() for w in j.workspace_uids
        }
        self.datasets: dict[tuple[str, str], Dataset] = {}
        self.log: list[str] = []
        self.refuse_at: int | None = None
        self.counted = 0

    @property
    def made(self) -> dict[str, Job]:
        """The jobs the client made (not those of the folder)."""
        return {uid: job for uid, job in self.jobs.items() if uid not in self.seeded}

    def job(self, project_uid: str, job_uid: str) -> Job:
        self.project(project_uid)
        if job_uid not in self.jobs:
            raise Refused(f"job {project_uid}-{job_uid} does not exist", 404)
        return self.jobs[job_uid]

    def project(self, project_uid: str) -> None:
        if project_uid != self.project_uid:
            raise Refused(f"project {project_uid!r} does not exist", 404)

    def building(self, project_uid: str, job_uid: str) -> Job:
        job = self.job(project_uid, job_uid)
        if job.status != "building":
            raise Refused(f"{job_uid} is {job.status}; only a building job can be changed")
        return job

    def new_job(self, workspace: str, job_type: str, title: str, description: str) -> Job:
        number = max((j.uid_num for j in self.jobs.values()), default=0) + 1
        uid = f"J{number}"
        now = datetime.now(UTC)
        job = Job(
            uid=uid,
            project_uid=self.project_uid,
            workspace_uids=[workspace],
            spec=JobSpec(
                type=job_type,
                inputs=Inputs(catalog_inputs(job_type)),
                ui_tile_width=1,
                ui_tile_height=1,
                resource_spec=ResourceSpec(),
            ),
            job_dir=uid,
            job_dir_size_last_updated=now,
            uid_num=number,
            project_uid_num=int(self.project_uid[1:]) if self.project_uid[1:].isdigit() else 0,
            status_num=0,
            build_errors=[],
            title=title,
            description=description,
            status="building",
        )
        self.jobs[uid] = job
        return job

    def refresh_outputs(self, job: Job, outputs_of: OutputsOf) -> None:
        """A type's outputs follow its parameters; passthroughs follow its connections."""
        if job.spec.type == "snowflake":
            return
        params = job.spec.params.model_dump()
        outputs = outputs_of(job.spec.type, params)
        for output in outputs.values():
            source = job.spec.inputs.root.get(output.passthrough or "")
            if source is None or not source.connections:
                continue
            first = source.connections[0]
            parent = self.jobs[first.job_uid].spec.outputs.root.get(first.output)
            own = {r.name for r in output.results}
            for result in parent.results if parent is not None else []:
                if result.name not in own:
                    output.results.append(
                        OutputResult(name=result.name, dtype=result.dtype, passthrough=True)
                    )
        job.spec.outputs.root.clear()
        job.spec.outputs.root.update(outputs)


# -- the calls -------------------------------------------------------------------------------


class Handlers:
    """What each endpoint does to the state; each returns the answer's document."""

    def __init__(self, state: State, outputs_of: OutputsOf) -> None:
        self.state = state
        self.outputs_of = outputs_of

    def login(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("grant_type") != "password" or not form.get("username"):
            raise Refused("login needs grant_type=password, a username and a password", 401)
        return {"access_token": TOKEN, "token_type": "bearer"}

    def users_me(self) -> dict[str, Any]:
        return {"name": "tester", "first_name": "Test", "last_name": "User"}

    def config_get_version(self) -> str:
        return VERSION

    def projects_find_one(self, project_uid: str) -> dict[str, Any]:
        self.state.project(project_uid)
        return {
            "uid": project_uid,
            "project_dir": str(self.state.folder),
            "owner_user_id": "0" * 24,
            "title": self.state.project_title,
            "size_last_updated": datetime.now(UTC).isoformat(),
            "uid_num": int(project_uid[1:]) if project_uid[1:].isdigit() else 0,
        }

    def jobs_find_one(self, project_uid: str, job_uid: str) -> Job:
        return self.state.job(project_uid, job_uid)

    def jobs_create(self, project_uid: str, workspace_uid: str, body: Any, **q: Any) -> Job:
        self.state.project(project_uid)
        if workspace_uid not in self.state.workspaces:
            raise Refused(f"workspace {project_uid}-{workspace_uid} does not exist", 404)
        job_type = q.get("type") or ""
        if job_type not in CATALOG and job_type not in ("snowflake", "import_result_group"):
            raise Refused(f"unknown job type {job_type!r}")
        params = body or {}
        if not isinstance(params, dict):
            raise Refused("params must be an object")
        job = self.state.new_job(
            workspace_uid, job_type, q.get("title") or "", q.get("description") or ""
        )
        for key, value in params.items():
            setattr(job.spec.params, key, value)
        self.state.refresh_outputs(job, self.outputs_of)
        return job

    def jobs_connect(self, project_uid: str, job_uid: str, input_name: str, **q: Any) -> Job:
        job = self.state.building(project_uid, job_uid)
        target = self._input(job, input_name)
        source_uid, output_name = q.get("source_job_uid"), q.get("source_output_name")
        if source_uid is None or output_name is None:
            raise Refused("connect needs source_job_uid and source_output_name")
        output = self._output(self.state.job(project_uid, source_uid), output_name)
        if output.type != target.type:
            raise Refused(
                f"{source_uid}.{output_name} is {output.type}; {input_name} takes {target.type}"
            )
        limit = target.count_max
        if limit != "inf" and len(target.connections) >= limit:
            raise Refused(f"{job_uid}.{input_name} takes at most {limit} connection(s)")
        names = {r.name for r in output.results}
        results = [
            InputResult(
                name=s.name, dtype=s.dtype, job_uid=source_uid, output=output_name, result=s.name
            )
            for s in target.slots
            if s.name in names
        ]
        target.connections.append(
            Connection(job_uid=source_uid, output=output_name, results=results)
        )
        job.parents = sorted({*job.parents, source_uid})
        self.state.refresh_outputs(job, self.outputs_of)
        return job

    def jobs_connect_result(
        self, project_uid: str, job_uid: str, input_name: str, index: str, slot: str, **q: Any
    ) -> Job:
        job = self.state.building(project_uid, job_uid)
        connection, spec = self._slot(job, input_name, index, slot)
        source_uid, output_name = q.get("source_job_uid") or "", q.get("source_output_name") or ""
        result_name, version = (
            q.get("source_result_name") or "",
            q.get("source_result_version", "F"),
        )
        output = self._output(self.state.job(project_uid, source_uid), output_name)
        result = next((r for r in output.results if r.name == result_name), None)
        if result is None:
            raise Refused(f"{source_uid}.{output_name} has no result {result_name!r}")
        if result.dtype != spec.dtype:
            raise Refused(
                f"{source_uid}.{output_name}.{result_name} is {result.dtype}; "
                f"slot {slot} takes {spec.dtype}"
            )
        if version != "F" and version not in result.versions:
            raise Refused(f"{source_uid}.{output_name}.{result_name} has no version {version}")
        entry = InputResult(
            name=slot,
            dtype=spec.dtype,
            job_uid=source_uid,
            output=output_name,
            result=result_name,
            version=version,
        )
        connection.results = [r for r in connection.results if r.name != slot] + [entry]
        return job

    def jobs_disconnect_result(
        self, project_uid: str, job_uid: str, input_name: str, index: str, slot: str
    ) -> Job:
        job = self.state.building(project_uid, job_uid)
        connection, spec = self._slot(job, input_name, index, slot)
        if spec.required:
            raise Refused(f"slot {slot} of {job_uid}.{input_name} is required")
        connection.results = [r for r in connection.results if r.name != slot]
        return job

    def jobs_set_param(self, project_uid: str, job_uid: str, param: str, body: Any) -> Job:
        job = self.state.building(project_uid, job_uid)
        if body is not None and not isinstance(body, (bool, int, float, str)):
            raise Refused(f"parameter {param} takes a number, a string or a boolean")
        setattr(job.spec.params, param, body)
        self.state.refresh_outputs(job, self.outputs_of)
        return job

    def jobs_enqueue(self, project_uid: str, job_uid: str, **q: Any) -> Job:
        job = self.state.building(project_uid, job_uid)
        if job.spec.type == "snowflake":
            raise Refused(f"{job_uid} is an external job; it cannot be queued")
        for name, group in job.spec.inputs.root.items():
            if len(group.connections) < group.count_min:
                raise Refused(f"{job_uid}.{name} needs {group.count_min} connection(s)")
        job.status, job.queued_to_lane = "queued", q.get("lane")
        return job

    def jobs_add_external_input(self, project_uid: str, job_uid: str, name: str, body: Any) -> Job:
        job = self._external(project_uid, job_uid)
        spec = InputSpec.model_validate(body)
        job.spec.inputs.root[name] = Input(**spec.model_dump())
        return job

    def jobs_add_external_output(self, project_uid: str, job_uid: str, name: str, body: Any) -> Job:
        job = self._external(project_uid, job_uid)
        spec = OutputSpec.model_validate(body)
        slots = [s if not isinstance(s, str) else {"name": s, "dtype": s} for s in spec.slots]
        results = [
            OutputResult(
                name=s["name"] if isinstance(s, dict) else s.name,
                dtype=s["dtype"] if isinstance(s, dict) else s.dtype,
            )
            for s in slots
        ]
        if spec.passthrough is not None:
            source = job.spec.inputs.root.get(spec.passthrough)
            if source is None or not source.connections:
                raise Refused(
                    f"{job_uid} has no connected input {spec.passthrough!r} to pass through"
                )
            own = {r.name for r in results}
            results += [  # what the input reads, and the output does not hold itself
                OutputResult(name=r.name or r.result, dtype=r.dtype, passthrough=True)
                for r in source.connections[0].results
                if (r.name or r.result) not in own
            ]
        job.spec.outputs.root[name] = Output(
            type=spec.type, title=spec.title, passthrough=spec.passthrough, results=results
        )
        return job

    def jobs_mark_running(self, project_uid: str, job_uid: str, **q: Any) -> Job:
        job = self._external(project_uid, job_uid)
        job.status = q.get("status") or "running"
        return job

    def jobs_save_output(
        self, project_uid: str, job_uid: str, name: str, body: Any, **q: Any
    ) -> Job:
        job = self.state.job(project_uid, job_uid)
        if job.status not in ("running", "waiting"):
            raise Refused(f"{job_uid} is {job.status}; outputs are saved while it runs")
        output = self._output(job, name)
        dataset = Dataset.load(BytesIO(body))
        own = [r.name for r in output.results if not r.passthrough]
        missing = [r for r in own if r not in dataset.prefixes()]
        if missing:
            raise Refused(f"the dataset for {job_uid}.{name} lacks results {missing}")
        self.state.datasets[(job_uid, name)] = dataset
        version = int(q.get("version") or 0)
        for result in output.results:
            if not result.passthrough:
                result.versions, result.num_items = [version], [len(dataset)]
                result.metafiles = [f"{job_uid}/{job_uid}_{name}.cs"]
        output.num_items = len(dataset)
        return job

    def jobs_mark_completed(self, project_uid: str, job_uid: str) -> Job:
        job = self.state.job(project_uid, job_uid)
        job.status = "completed"
        return job

    def jobs_mark_failed(self, project_uid: str, job_uid: str, **q: Any) -> Job:
        job = self.state.job(project_uid, job_uid)
        job.status = "failed"
        return job

    # -- lookups

    def _external(self, project_uid: str, job_uid: str) -> Job:
        job = self.state.job(project_uid, job_uid)
        if job.spec.type != "snowflake":
            raise Refused(f"{job_uid} is not an external job")
        return job

    def _input(self, job: Job, name: str) -> Input:
        if name not in job.spec.inputs.root:
            raise Refused(f"{job.uid} has no input {name!r}")
        return job.spec.inputs.root[name]

    def _output(self, job: Job, name: str) -> Output:
        if name not in job.spec.outputs.root:
            raise Refused(f"{job.uid} has no output {name!r}")
        return job.spec.outputs.root[name]

    def _slot(
        self, job: Job, input_name: str, index: str, slot: str
    ) -> tuple[Connection, InputSlot]:
        group = self._input(job, input_name)
        if not index.isdigit() or int(index) >= len(group.connections):
            raise Refused(f"{job.uid}.{input_name} has no connection {index}")
        spec = next((s for s in group.slots if s.name == slot), None)
        if spec is None:
            raise Refused(f"{job.uid}.{input_name} has no slot {slot!r}")
        return group.connections[int(index)], spec


# -- HTTP ------------------------------------------------------------------------------------


def _query_value(kind: str, values: list[str]) -> Any:
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

    def refuse_call(self, index: int | None) -> None:
        """Refuse the ``index``-th counted call from now (0-based); None refuses none."""
        with self.lock:
            self.state.refuse_at, self.state.counted = index, 0
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
                if index == self.state.refuse_at:
                    return 422, {
                        "detail": f"refused by the test server: call {index}, {ep.summary}"
                    }
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
            except Refused as refused:
                return refused.status, {"detail": str(refused)}
            if isinstance(result, Job):
                return 200, result.model_dump(mode="json")
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
