"""A job's parameters for the canvas's parameters panel: each with its value and default,
as ``job.params`` has them; the panel edits them through ``job.set_param``."""

from __future__ import annotations

from typing import Any

from ..graph import Project


def params_reply(project: Project, uid: str) -> dict[str, Any]:
    """``ParamsReply``: the job's parameters in the catalog's order (sections as CryoSPARC
    groups them), and whether they can be edited (a building job of this project)."""
    job = project.job(uid)
    state = job.state
    editable = state.status == "building" and not project.read_only and not project.is_external(uid)
    return {
        "job": uid,
        "type_title": state.type_title,
        "editable": editable,
        "params": [
            {
                "key": key,
                "title": param.spec.title,
                "type": param.spec.type,
                "value": param.value,
                "default": param.default,
                "is_set": param.is_set,
                "changed": param.changed,
                "section": param.spec.section,
                "advanced": param.spec.advanced,
                "help": param.spec.help,
                "choices": list(param.spec.choices),
                "minimum": param.spec.minimum,
                "maximum": param.spec.maximum,
                "optional": param.spec.optional,
            }
            for key, param in job.params.items()
        ],
    }
