"""ELK's worker script travels on request, out of the bundle every view loads: the
``layout_engine`` request, and the page of ``export_html`` that carries its own copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cryoweave
from cryoweave.graph import Project
from cryoweave.widget import JobBuilder, job_builder


def ask(widget: JobBuilder, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], list[Any]]:
    sent: list[tuple[dict[str, Any], list[Any]]] = []
    monkeypatch.setattr(
        widget, "send", lambda content, buffers=None: sent.append((content, buffers))
    )
    widget._handle_custom_msg({"id": 5, "type": "layout_engine"}, [])
    assert len(sent) == 1
    return sent[0][0], list(sent[0][1] or [])


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.create(tmp_path / "P1", title="Layout")


def test_the_layout_engine_is_sent_as_one_buffer_on_request(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not job_builder.LAYOUT_ENGINE_PATH.is_file():
        pytest.skip("the front end is not built")
    reply, buffers = ask(JobBuilder(project), monkeypatch)
    assert reply == {"id": 5, "ok": True}
    assert buffers == [job_builder.LAYOUT_ENGINE_PATH.read_bytes()]
    # ELK's worker, not in the bundle every view loads.
    assert b"org.eclipse.elk" in buffers[0]
    assert b"org.eclipse.elk" not in job_builder.BUNDLE_PATH.read_bytes()


def test_a_missing_layout_engine_is_refused_saying_how_to_build_it(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(job_builder, "LAYOUT_ENGINE_PATH", tmp_path / "layout-engine.js")
    reply, buffers = ask(JobBuilder(project), monkeypatch)
    assert reply["ok"] is False and buffers == []
    assert "layout-engine.js is missing" in reply["error"] and "pip install -e ." in reply["error"]


def test_the_standalone_page_carries_the_layout_engine(project: Project, tmp_path: Path) -> None:
    if not job_builder.LAYOUT_ENGINE_PATH.is_file():
        pytest.skip("the front end is not built")
    page = cryoweave.export_html(project, tmp_path / "p.html").read_text(encoding="utf-8")
    start = page.index('id="cryoweave-layout-engine">') + len('id="cryoweave-layout-engine">')
    engine = page[start : page.index("</script>", start)]
    assert engine == job_builder.LAYOUT_ENGINE_PATH.read_text(encoding="utf-8").replace(
        "</script", "<\\/script"
    )
