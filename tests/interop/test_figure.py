"""``export_svg``: the job graph, or a branch of it, as an SVG figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

import cryoweave
from cryoweave.demo import particles
from cryoweave.graph import JobError, Project
from cryoweave.graph.commands import SetPositions

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """J1: imported particles; J2: an external job that ran (its own particles);
    J3: a refinement being built from J2, its blob overridden from J1; J4: another import."""
    with Project.create(tmp_path / "P", title="Figure") as p:
        p.import_dataset(particles(300, ["blob", "ctf"], seed=1), "particle", "particles")
        extract = p.create_external_job("Extract <ROI> & co")
        extract.add_output("particle", "particles", slots=["blob", "ctf"])
        with extract.run():
            extract.save_output("particles", particles(40, ["blob", "ctf"], seed=0))
        refine = p.create_job("homo_refine_new")
        refine.connect("particles", "J2", "particles")
        refine.connect_result("particles", 0, "blob", "J1", "particles", "blob")
        p.import_dataset(particles(10, ["blob"], seed=2), "particle", "particles")
        yield p


def svg_root(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> set[str]:
    """Every text run: whole ``<text>`` elements and their ``<tspan>`` parts."""
    found = set()
    for element in root.iter(f"{NS}text"):
        found.add("".join(element.itertext()))
        found.update(e.text or "" for e in element.iter())
    return found


def edges(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iter(f"{NS}path") if "edge" in (p.get("class") or "").split()]


def test_the_figure_holds_every_job_as_text(project: Project, tmp_path: Path) -> None:
    written = cryoweave.export_svg(project, tmp_path / "figure.svg")
    assert written == tmp_path / "figure.svg"
    root = svg_root(written)
    found = texts(root)
    for state in project.states.values():
        assert state.uid in found and state.title in found
    assert "Extract <ROI> & co" in found  # escaped in the file, the same text when read
    assert "J2  Extract <ROI> & co" not in written.read_text()
    assert "300 particles" in found and "40 particles" in found  # output counts
    # Sized and framed: the viewBox holds every card with a margin.
    x, y, width, height = map(float, root.get("viewBox", "").split())
    assert (root.get("width"), root.get("height")) == (f"{width:g}", f"{height:g}")
    for rect in root.iter(f"{NS}rect"):
        assert x <= float(rect.get("x", "0")) and y <= float(rect.get("y", "0"))
        assert float(rect.get("x", "0")) + float(rect.get("width", "0")) <= x + width
        assert float(rect.get("y", "0")) + float(rect.get("height", "0")) <= y + height


def test_edges_follow_connections_and_overrides_are_dashed(
    project: Project, tmp_path: Path
) -> None:
    root = svg_root(cryoweave.export_svg(project, tmp_path / "figure.svg"))
    drawn = edges(root)
    # J2 -> J3 (the connection) and J1 -> J3 (the blob override); J4 has none.
    assert len(drawn) == 2
    plain = [e for e in drawn if "override" not in (e.get("class") or "")]
    dashed = [e for e in drawn if e.get("stroke-dasharray")]
    assert len(plain) == 1 and len(dashed) == 1 and dashed[0] not in plain
    assert dashed[0].get("stroke") == "#e07b00"
    assert "blob override" in texts(root)
    for edge in drawn:
        assert edge.get("d", "").count("C") == 1  # a cubic Bézier
        marker = edge.get("marker-end", "")
        assert marker.startswith("url(#") and root.find(f".//{NS}marker[@id='{marker[5:-1]}']")


def test_a_branch_draws_only_its_jobs(project: Project, tmp_path: Path) -> None:
    root = svg_root(cryoweave.export_svg(project, tmp_path / "branch.svg", jobs=["J2", "J3"]))
    found = texts(root)
    assert {"J2", "J3"} <= found and not {"J1", "J4"} & found
    assert not any("J1" in text or "J4" in text for text in found)
    # The override from J1, not drawn, is left out; the connection from J2 stays.
    assert len(edges(root)) == 1 and not any(e.get("stroke-dasharray") for e in edges(root))
    assert "blob override" not in found


def test_words_are_text_and_paths_are_only_shapes(project: Project, tmp_path: Path) -> None:
    root = svg_root(cryoweave.export_svg(project, tmp_path / "figure.svg"))
    assert list(root.iter(f"{NS}text"))
    markers = {p for m in root.iter(f"{NS}marker") for p in m.iter(f"{NS}path")}
    for path in root.iter(f"{NS}path"):
        assert path in markers or (path.get("class") or "").split()[0] in ("edge", "stripe")
    # Nothing outside the file: no links, images or fonts to fetch.
    assert not list(root.iter(f"{NS}image")) and "href" not in ET.tostring(root, "unicode")
    # Each card has its status stripe in the status colour.
    stripes = [p.get("fill") for p in root.iter(f"{NS}path") if p.get("class") == "stripe"]
    assert stripes == ["#2e9d5b", "#2e9d5b", "#7b8aa5", "#2e9d5b"]


def test_unlaid_jobs_are_placed_in_columns(project: Project, tmp_path: Path) -> None:
    project.apply(SetPositions(tuple((uid, 0.0, 0.0) for uid in project.states)))  # 0.1's
    root = svg_root(cryoweave.export_svg(project, tmp_path / "figure.svg"))
    corners = {
        g.get("id"): (float(r.get("x", "0")), float(r.get("y", "0")))
        for g in root.iter(f"{NS}g")
        if g.get("class") == "card"
        for r in g.iter(f"{NS}rect")
    }
    assert len(set(corners.values())) == 4  # no two cards on top of each other
    # J1, J2 and J4 read nothing drawn: the first column; J3 reads J2 (and J1): the next.
    assert corners["job-J1"][0] == corners["job-J2"][0] == corners["job-J4"][0]
    assert corners["job-J3"][0] > corners["job-J2"][0]


def test_positions_from_the_canvas_are_kept(project: Project, tmp_path: Path) -> None:
    for uid, (x, y) in {"J1": (0, 0), "J2": (500, 300), "J3": (1000, 0), "J4": (0, 600)}.items():
        project.job(uid).set_position(x, y)
    root = svg_root(cryoweave.export_svg(project, tmp_path / "figure.svg"))
    card = root.find(f".//{NS}g[@id='job-J2']/{NS}rect")
    assert card is not None and (card.get("x"), card.get("y")) == ("500.5", "300.5")


def test_an_unknown_job_or_a_missing_folder_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(JobError, match="there is no job J9"):
        cryoweave.export_svg(project, tmp_path / "figure.svg", jobs=["J1", "J9"])
    missing = tmp_path / "nowhere" / "figure.svg"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        cryoweave.export_svg(project, missing)
    with pytest.raises(ValueError, match="no job selected"):
        cryoweave.export_svg(project, tmp_path / "figure.svg", jobs=[])
    assert not (tmp_path / "figure.svg").exists()
