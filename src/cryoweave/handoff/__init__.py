"""Handing built jobs to CryoSPARC: plans of cryosparc-tools calls, as a script or applied.

Tested through cryosparc-tools 5.0.3's real client, over HTTP, against a local server
answering its API schema (tests/handoff); not tried on a live CryoSPARC instance (one needs
a licence and its own server).
"""

from .plan import Applied, Call, Export, Plan, PlanRefused, Ref, Step, plan
from .workflow import (
    WORKFLOW_SCHEMA,
    AppliedWorkflow,
    WorkflowRefused,
    apply_workflow,
    export_workflow,
    read_workflow,
    workflow_document,
)

__all__ = [
    "WORKFLOW_SCHEMA",
    "Applied",
    "AppliedWorkflow",
    "Call",
    "Export",
    "Plan",
    "PlanRefused",
    "Ref",
    "Step",
    "WorkflowRefused",
    "apply_workflow",
    "export_workflow",
    "plan",
    "read_workflow",
    "workflow_document",
]
