"""The CryoSPARC-like project behind ``TestServer``: job types, jobs, and what each API
endpoint does to them, refusing what CryoSPARC would refuse (``Refused``).

Job types are CryoSPARC's: the inputs and outputs of each come from cryoweave's catalog (the
guide's pages), standing in for the job register of a real instance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from cryosparc.dataset import Dataset
from cryosparc.models.external import ExternalOutputSpec
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


class Refused(Exception):
    """A request CryoSPARC would refuse: answered with ``status`` and ``{"detail": ...}``."""

    def __init__(self, detail: str, status: int = 422) -> None:
        super().__init__(detail)
        self.status = status


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
        self.refuse_after = False
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

    def jobs_find(self, **q: Any) -> list[Job]:
        """Jobs by project, workspace and type (other filters are not used by the tests),
        in uid order or its reverse (``order=-1``), ``limit`` at most (one page: the
        projects here are small)."""
        found = [
            job
            for job in sorted(self.state.jobs.values(), key=lambda j: j.uid_num)
            if job.project_uid in q.get("project_uid", [job.project_uid])
            and set(q.get("workspace_uid", job.workspace_uids)) & set(job.workspace_uids)
            and job.spec.type in q.get("type", [job.spec.type])
        ]
        if q.get("order") == -1:
            found.reverse()
        if q.get("after"):  # the client asks for a next page only after a full one
            return []
        return found[: q.get("limit", 100)]

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

    def jobs_create_external_result(self, project_uid: str, workspace_uid: str, body: Any) -> Job:
        """``ExternalOutputSpec``: an External job with one output; with a ``connection``,
        an input (named by the output's ``passthrough``, else the connection's output)
        connected to that output, reading all of its results, passed through where the
        output holds none of its own."""
        external = ExternalOutputSpec.model_validate(body)
        job = self.jobs_create(project_uid, workspace_uid, {}, type="snowflake")
        spec = external.spec
        if external.connection is not None:
            source = self.state.job(project_uid, external.connection.job_uid)
            output = self._output(source, external.connection.output)
            if output.type != spec.type:
                raise Refused(f"the connection is {output.type}; the output is {spec.type}")
            name = spec.passthrough or external.connection.output
            slots = [{"name": r.name, "dtype": r.dtype} for r in output.results]
            self.jobs_add_external_input(
                project_uid, job.uid, name, {"type": output.type, "title": name, "slots": slots}
            )
            self.jobs_connect(
                project_uid,
                job.uid,
                name,
                source_job_uid=source.uid,
                source_output_name=external.connection.output,
            )
            spec = spec.model_copy(update={"passthrough": name})
        return self.jobs_add_external_output(
            project_uid, job.uid, external.name, spec.model_dump(mode="json")
        )

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
