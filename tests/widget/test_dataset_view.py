"""The widget's bundle is built at install time, and the widget carries the summary it is given."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest

from cryoweave.widget import DatasetView, dataset_view

SUMMARY: dict[str, Any] = {
    "rows": 2019,
    "path": "J12/particles.cs",
    "groups": [
        {"prefix": "", "fields": [{"name": "uid", "dtype": "<u8", "shape": []}]},
        {
            "prefix": "blob",
            "fields": [
                {"name": "blob/path", "dtype": "|O", "shape": []},
                {"name": "blob/shape", "dtype": "<u4", "shape": [2]},
            ],
        },
    ],
}


def bundle_text() -> str:
    assert dataset_view.BUNDLE_PATH.is_file(), (
        f"{dataset_view.BUNDLE_PATH} was not built: reinstall with `pip install -e .`"
    )
    return dataset_view.BUNDLE_PATH.read_text(encoding="utf-8")


def test_bundle_is_an_es_module_with_a_default_export() -> None:
    text = bundle_text()
    # React and react-dom alone are well over 100 kB minified; a stub would be tiny.
    assert len(text) > 100_000
    assert re.search(r"export\s*\{[^}]*\bas default\s*\}", text)
    assert "render:" in text


def test_bundle_is_this_widget() -> None:
    text = bundle_text()
    assert "dataset-summary" in text
    assert ".cw-summary" in text, "styles.css should be bundled as text"
    assert "react-dom" in text or "react.production" in text


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_bundle_default_export_has_render_function() -> None:
    script = (
        "const m = await import(process.argv[1]);"
        "console.log(JSON.stringify({render: typeof m.default?.render}));"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script, dataset_view.BUNDLE_PATH.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"render": "function"}


def test_trait_holds_the_summary() -> None:
    view = DatasetView(SUMMARY)
    assert view.summary == SUMMARY
    assert view.get_state()["summary"] == SUMMARY


def test_widget_serves_the_bundle() -> None:
    view = DatasetView(SUMMARY)
    assert view.get_state()["_esm"] == bundle_text()


def test_summary_is_copied() -> None:
    given = dict(SUMMARY)
    view = DatasetView(given)
    given["rows"] = 0
    assert view.summary["rows"] == 2019


def test_summary_without_its_keys_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\['groups', 'path'\]"):
        DatasetView({"rows": 3})


def test_missing_bundle_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset_view, "_BUNDLE_FOUND", False)
    with pytest.raises(RuntimeError, match=r"pip install -e \."):
        DatasetView(SUMMARY)


def test_the_widget_of_a_dataset_carries_its_summary() -> None:
    from cryoweave.demo import particles

    view = DatasetView.of(particles(50, ["blob", "ctf"]))
    assert view.summary["rows"] == 50
    assert [g["prefix"] for g in view.summary["groups"]] == ["", "blob", "ctf"]
    blob_path = view.summary["groups"][1]["fields"][0]
    assert blob_path["name"] == "blob/path"
    assert blob_path["dtype"].startswith("|S")
