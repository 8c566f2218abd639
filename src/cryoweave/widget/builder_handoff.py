"""The JobBuilder's hand-off to CryoSPARC: the selected building jobs as a script, or as a
workflow file the browser saves. Both go through ``cryoweave.handoff``, as from Python."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..graph import Project
from ..handoff import plan, workflow_document

# Where the canvas writes outputs that exist only in cryoweave, for CryoSPARC to import:
# inside the project, which CryoSPARC's machine must then be able to read (the script says so).
EXPORT_FOLDER = "for_cryosparc"


def script_reply(project: Project, jobs: Sequence[str], workspace: str) -> dict[str, Any]:
    """``HandoffReply``: the cryosparc-tools script building ``jobs`` in ``workspace``;
    a plan that cannot be made is refused with every reason. Outputs only cryoweave has
    are exported to ``EXPORT_FOLDER`` of a project open for writing (never into an opened
    CryoSPARC folder)."""
    folder = None if project.read_only else project.root / EXPORT_FOLDER
    made = plan(project, jobs, workspace=workspace, export_folder=folder)
    return {"script": made.script(), "jobs": [step.uid for step in made.steps]}


def workflow_reply(project: Project, jobs: Sequence[str]) -> dict[str, Any]:
    """``WorkflowReply``: the workflow file of ``jobs``, named after the project, as text."""
    doc = workflow_document(project, jobs)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", project.title).strip("_") or "cryoweave"
    return {"filename": f"{stem}_workflow.json", "text": json.dumps(doc, indent=1)}
