"""Saving edits all or nothing: cryoweave's journal against SQLite on the same documents.

Run: ``python benchmarks/bench_edits.py`` (``--jobs N`` for a smaller project).

A project of N jobs (an import, then ab-initio jobs of three classes, each with a
refinement of its third class) is edited: a parameter of an ab-initio that removes the
class its refinement reads (two job documents and nothing else), a move (the project
document only) and a new job (a document and the project document). Each edit's files are
saved two ways, in the same run, on the same disk (the system's temporary folder, where
``fsync`` does real work):

- the journal (``graph.journal.commit``): the new contents in one flushed file, then each
  document replaced atomically and flushed, then the journal removed;
- SQLite as the store (WAL, ``synchronous=FULL``): the contents committed in one
  transaction, then the document files CryoSPARC's tools read written from it, replaced
  atomically, not flushed (after a crash they would be written again from the database).

Then opening: reading every job document back, from the files against one query of the
database (both then validate the same bytes with cryosparc-tools' models; that part is
timed alone as ``Project.open``).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from cryoweave.data.atomic import atomic_write
from cryoweave.demo import particles
from cryoweave.graph import Project, journal, storage
from timing import best


def build(root: Path, n_jobs: int) -> Project:
    project = Project.create(root)
    project.import_dataset(particles(200, ("blob", "ctf")), "particle", "particles")
    while len(project.states) < n_jobs:
        abinit = project.create_job("homo_abinit")
        abinit.connect("particles", "J1", "particles")
        abinit.set_param("abinit_K", 3)
        refine = project.create_job("homo_refine_new")
        refine.connect("particles", abinit.uid, "particles_class_2")
        refine.connect("volume", abinit.uid, "volume_class_2")
    return project


def files_of(project: Project, uids: list[str], with_project_document: bool) -> dict[str, bytes]:
    files = {
        storage.job_file(uid): (project.root / storage.job_file(uid)).read_bytes() for uid in uids
    }
    if with_project_document:
        files[storage.PROJECT_FILE] = (project.root / storage.PROJECT_FILE).read_bytes()
    return files


class SqliteStore:
    """The other design: documents kept in SQLite, the files written from it."""

    def __init__(self, root: Path, project: Project) -> None:
        self.root = root
        root.mkdir()
        self.db = sqlite3.connect(root / "store.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE IF NOT EXISTS documents (path TEXT PRIMARY KEY, data BLOB)")
        every = files_of(project, list(project.states), with_project_document=True)
        self.commit(every)

    def commit(self, files: dict[str, bytes]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?)", files.items())
        self.db.execute("COMMIT")
        for name, data in files.items():
            target = self.root / name
            target.parent.mkdir(exist_ok=True)
            atomic_write(str(target), lambda f, data=data: f.write(data))

    def read_all(self) -> list[bytes]:
        return [row[0] for row in self.db.execute("SELECT data FROM documents")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        project = build(Path(tmp) / "P1", args.jobs)
        n = len(project.states)
        print(f"{n:,} jobs built in {time.perf_counter() - start:.1f} s")
        abinit, refine = "J2", "J3"
        edits = {
            "parameter (2 job documents)": files_of(project, [abinit, refine], False),
            "move (project document)": files_of(project, [], True),
            "new job (document + project document)": files_of(project, [refine], True),
        }
        store = SqliteStore(Path(tmp) / "sqlite", project)
        print(f"{'save of one edit':<40} {'journal':>10} {'SQLite':>10} {'ratio':>7}")
        for label, files in edits.items():
            jr = best(lambda files=files: journal.commit(project.root, files), 5, 1.0)
            sq = best(lambda files=files: store.commit(files), 5, 1.0)
            print(f"{label:<40} {jr * 1e3:8.2f}ms {sq * 1e3:8.2f}ms {jr / sq:6.2f}x")

        def whole_edit() -> None:
            project.job(abinit).set_param("abinit_K", 2)
            project.undo()

        print(f"{'set_param + undo, journal (whole edit)':<40} {best(whole_edit, 5) * 1e3:8.2f}ms")
        paths = [project.root / storage.job_file(uid) for uid in project.states]
        read_files = best(lambda: [p.read_bytes() for p in paths])
        read_db = best(store.read_all)
        project.close()
        opened = best(lambda: Project.open(project.root, read_only=True).close())
        print(
            f"{'read every document':<40} {read_files * 1e3:8.2f}ms {read_db * 1e3:8.2f}ms "
            f"{read_files / read_db:6.2f}x"
        )
        print(f"{'Project.open, read-only (read + validate)':<40} {opened * 1e3:8.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
