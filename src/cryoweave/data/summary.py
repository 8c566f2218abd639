"""A plain-data summary of a dataset: rows and fields grouped by result."""

from __future__ import annotations

from typing import Any

from .dataset import Dataset


def dataset_summary(ds: Dataset) -> dict[str, Any]:
    """Rows, source path, and fields grouped by result prefix (``uid`` first, prefix "").

    The shape is JSON-ready: the widget shows it and ``cryoweave inspect`` prints it.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for name in ds.fields():
        field = ds.array.dtype[name]
        prefix = name.split("/", 1)[0] if "/" in name else ""
        groups.setdefault(prefix, []).append(
            {"name": name, "dtype": field.base.str, "shape": list(field.shape)}
        )
    return {
        "rows": len(ds),
        "path": ds.path,
        "groups": [{"prefix": prefix, "fields": fields} for prefix, fields in groups.items()],
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as text for a terminal."""
    lines = [f"{summary['path'] or '<dataset>'}: {summary['rows']:,} rows"]
    for group in summary["groups"]:
        fields = group["fields"]
        title = group["prefix"] or "(key)"
        lines.append(f"  {title}  ({len(fields)} field{'s' if len(fields) != 1 else ''})")
        width = max(len(f["name"]) for f in fields)
        for f in fields:
            shape = f" x{'x'.join(map(str, f['shape']))}" if f["shape"] else ""
            lines.append(f"    {f['name']:<{width}}  {f['dtype']}{shape}")
    return "\n".join(lines)
