"""Jobs made from data brought in: a dataset, or a ``.csg`` result group with its files.

Each function writes the job's files into its folder and returns the completed job's
state; the ``Project`` adds it as one edit.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from ..data import Dataset
from ..data.atomic import atomic_write
from ..data.files import FileRefused, open_regular
from .catalog import CATALOG
from .errors import JobError
from .model import JobState, OutputGroup, OutputResult
from .result_groups import ResultGroupFile, load_result
from .result_types import result_type_for
from .specs import OutputSpec, ResultSpec

# CryoSPARC's import job for each item type; other items come as an imported result group.
_IMPORT_TYPES = {"particle": "import_particles", "volume": "import_volumes"}


def dataset_job(root: Path, uid: str, dataset: Dataset, item_type: str, name: str) -> JobState:
    """A completed import job whose output ``name`` holds one result per field prefix of
    ``dataset``, saved as ``<uid>/<uid>_<name>.cs``."""
    metafile = f"{uid}/{uid}_{name}.cs"
    (root / uid).mkdir(exist_ok=True)
    dataset.save(root / metafile)
    results = [
        OutputResult(
            prefix, result_type_for(item_type, prefix), name, [0], [metafile], [len(dataset)]
        )
        for prefix in dataset.prefixes()
    ]
    output = OutputSpec(name, item_type, name, tuple(ResultSpec(r.name, r.type) for r in results))
    kind = _IMPORT_TYPES.get(item_type, "import_result_group")
    catalog = CATALOG.get(kind)
    return JobState(
        uid=uid,
        type=kind,
        title=f"Import {name}",
        status="completed",
        inputs=[],
        outputs=[OutputGroup(output, results, len(dataset))],
        section="Import",
        type_title=catalog.title if catalog else "Import Result Group",
    )


def result_group_job(root: Path, uid: str, group: ResultGroupFile) -> JobState:
    """A completed job holding a ``.csg`` result group, its ``.cs`` files copied in (each
    file is checked against the ``.csg`` before anything is written; a copy that fails
    takes the copies made before it away, so a refused import leaves no file).

    Raises
    ------
    JobError
        When a file does not match the ``.csg``, or cannot be copied (naming it and why).
    """
    for result in group.results:
        load_result(group, result)
    folder = root / uid
    folder.mkdir(exist_ok=True)
    copies: dict[Path, str] = {}
    try:
        for result in group.results:
            if result.metafile not in copies:
                # Two metafiles of one name in different folders get two names, never one.
                copies[result.metafile] = _free_name(uid, result.metafile, set(copies.values()))
                _copy_file(result.metafile, root / copies[result.metafile])
    except BaseException:
        for copy in copies.values():
            (root / copy).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # only when empty: another attempt's files stay
            folder.rmdir()
        raise
    results = [
        OutputResult(r.name, r.type, group.name, [0], [copies[r.metafile]], [r.num_items])
        for r in group.results
    ]
    output = OutputSpec(
        group.name, group.type, group.title, tuple(ResultSpec(r.name, r.type) for r in results)
    )
    return JobState(
        uid=uid,
        type="import_result_group",
        title=f"Import {group.title}",
        status="completed",
        inputs=[],
        outputs=[OutputGroup(output, results, max(r.num_items for r in results))],
        section="Import",
        type_title="Import Result Group",
    )


def _free_name(uid: str, source: Path, taken: set[str]) -> str:
    """``J7/J7_<name>`` for the copy of ``source``, numbered (``J7/J7_<stem>_2.cs``) when
    another file of the same name was copied already."""
    name = f"{uid}/{uid}_{source.name}"
    number = 1
    while name in taken:
        number += 1
        name = f"{uid}/{uid}_{source.stem}_{number}{source.suffix}"
    return name


def _copy_file(source: Path, target: Path) -> None:
    try:
        original = open_regular(source)
    except FileRefused as err:  # checked by load_result; changed since
        raise JobError(f"cannot copy {source}: it {err.reason}") from None
    with original:
        try:
            atomic_write(str(target), lambda f: shutil.copyfileobj(original, f))
        except OSError as err:  # a full disk, a file size limit, no permission
            raise JobError(f"cannot copy {source} to {target}: {err.strerror or err}") from None
