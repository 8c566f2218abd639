"""Result groups (``.csg``): how CryoSPARC moves results between projects.

A ``.csg`` file is YAML: the group (name, type, title, description), and per
result its type, item count and metafile, a ``.cs`` file whose path starts with
``>`` when relative. Exports put the ``.cs`` file beside the ``.csg`` file, so
``>`` paths are resolved against the ``.csg`` file's folder.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..data import CsFormatError, Dataset
from ..data.atomic import atomic_write
from ..data.files import FileMissing, FileRefused, read_regular
from .errors import JobError
from .paths import PathOutsideProject, confined

CSG_VERSION = "v4.4.1"  # the CryoSPARC version whose layout the files follow
# A .csg lists a few results in a few hundred bytes; anything near this is not one.
CSG_LIMIT = 1 << 20


@dataclass(frozen=True)
class CsgResult:
    name: str
    type: str
    metafile: Path
    num_items: int


@dataclass(frozen=True)
class ResultGroupFile:
    """The contents of a ``.csg`` file, with metafiles resolved to paths."""

    path: Path
    name: str
    type: str
    title: str
    description: str
    results: tuple[CsgResult, ...]


def read_csg(path: str | os.PathLike[str]) -> ResultGroupFile:
    """Read and check a ``.csg`` file; every problem names the file and what is wrong."""
    path = Path(path)
    try:
        text = read_regular(path, CSG_LIMIT).decode("utf-8")
    except FileRefused as err:
        raise JobError(f"{path}: not a readable result group file ({err.reason})") from None
    except UnicodeDecodeError as err:
        raise JobError(f"{path}: not a readable result group file ({err})") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise JobError(f"{path}: not a readable result group file ({err})") from None
    except RecursionError:
        raise JobError(f"{path}: not a result group file (its YAML is nested too deeply)") from None
    group = doc.get("group") if isinstance(doc, dict) else None
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(group, dict) or not isinstance(results, dict) or not results:
        raise JobError(f"{path}: a result group file needs 'group' and 'results' sections")
    for key in ("name", "type"):
        if not isinstance(group.get(key), str) or not group[key]:
            raise JobError(f"{path}: group.{key} is missing")
    parsed = []
    for name, entry in results.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("metafile"), str):
            raise JobError(f"{path}: result {name!r} has no metafile")
        kind, count = entry.get("type"), entry.get("num_items")
        if not isinstance(kind, str) or not kind.startswith(f"{group['type']}."):
            raise JobError(f"{path}: result {name!r} has type {kind!r}, not a {group['type']} type")
        if not isinstance(count, int) or count < 0:
            raise JobError(f"{path}: result {name!r} has no valid num_items ({count!r})")
        parsed.append(CsgResult(str(name), kind, _resolve(path, entry["metafile"]), count))
    return ResultGroupFile(
        path=path,
        name=group["name"],
        type=group["type"],
        title=str(group.get("title") or group["name"]),
        description=str(group.get("description") or ""),
        results=tuple(parsed),
    )


def load_result(group: ResultGroupFile, result: CsgResult) -> Dataset:
    """One result's fields from its metafile, checked against the ``.csg``'s claims."""
    try:
        dataset = Dataset.load(result.metafile)
    except FileMissing:
        raise JobError(
            f"{group.path}: result {result.name!r} names {result.metafile}, which does not exist"
        ) from None
    except FileRefused as err:
        raise JobError(
            f"{group.path}: result {result.name!r} names {result.metafile}, which {err.reason}"
        ) from None
    except CsFormatError as err:
        raise JobError(f"{group.path}: result {result.name!r}: {err}") from None
    if result.name not in dataset.prefixes():
        raise JobError(
            f"{group.path}: result {result.name!r}: {result.metafile} holds no "
            f"{result.name}/ fields (it has {dataset.prefixes()})"
        )
    if len(dataset) != result.num_items:
        raise JobError(
            f"{group.path}: result {result.name!r}: {result.metafile} holds {len(dataset)} "
            f"items, the file says {result.num_items}"
        )
    return dataset.filter_prefixes([result.name])


def write_csg(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    name: str,
    item_type: str,
    types: dict[str, str],
    title: str = "",
    description: str = "",
    stem: str | None = None,
) -> Path:
    """Export ``dataset`` as ``<stem>.csg`` and ``<stem>_exported.cs`` in ``folder``.

    ``types`` maps each result (field prefix) to its result type. Both files are
    written atomically; the ``.cs`` file first, so a ``.csg`` never names a missing file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or name
    metafile = f"{stem}_exported.cs"
    missing = [prefix for prefix in dataset.prefixes() if prefix not in types]
    if missing:
        raise JobError(f"cannot export {name}: no result type for {missing}")
    dataset.save(folder / metafile)
    doc: dict[str, Any] = {
        "created": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f"),
        "group": {
            "description": description,
            "name": name,
            "title": title or name,
            "type": item_type,
        },
        "results": {
            prefix: {"metafile": f">{metafile}", "num_items": len(dataset), "type": types[prefix]}
            for prefix in dataset.prefixes()
        },
        "version": CSG_VERSION,
    }
    text = yaml.safe_dump(doc, sort_keys=True, default_flow_style=False).encode()
    target = folder / f"{stem}.csg"
    atomic_write(str(target), lambda f: f.write(text))
    return target


def _resolve(csg: Path, metafile: str) -> Path:
    """A metafile of a ``.csg`` is in the ``.csg``'s folder (``>``-relative, as exports
    write it); one that is absolute or leaves that folder is refused, never read."""
    try:
        return confined(csg.parent, metafile, "the .csg file's folder")
    except PathOutsideProject as err:
        raise JobError(f"{csg}: metafile {err}") from None
