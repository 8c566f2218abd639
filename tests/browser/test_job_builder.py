"""JobBuilder in JupyterLab: real pointer drags on the canvas, checked in the kernel's Project.

The project, made in the notebook's first cell with the public API:
J1 "Extract" (completed: particles with blob at full size and ctf), J2 "Downsample"
(completed: particles with a downsampled blob, ctf passed through from J1), J3 a homogeneous
refinement being built (inputs particles, volume, mask).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from .canvas_geometry import wait_for_fit
from .conftest import screenshot_dir
from .jupyter_host import Notebook, wait_until

PROJECT = """\
import tempfile
from pathlib import Path

import numpy as np

import cryoweave
from cryoweave.demo import particles
from cryoweave.graph import Project

project = Project.create(Path(tempfile.mkdtemp(dir=Path.cwd())) / "P1", title="Browser test")

extract = project.create_external_job("Extract")
extract.add_output("particle", "particles", slots=["blob", "ctf"])
with extract.run():
    extract.save_output("particles", particles(2000, ["blob", "ctf"], seed=1))

downsample = project.create_external_job("Downsample")
downsample.add_input("particle", "particles", min=1, slots=["blob", "ctf"])
downsample.connect("particles", extract.uid, "particles")
downsample.add_output("particle", "particles", slots=["blob"], passthrough="particles")
with downsample.run():
    small = downsample.resolve_input("particles").filter_prefixes(["blob"]).take(np.arange(2000))
    small["blob/shape"][:] //= 4
    small["blob/psize_A"][:] *= 4
    downsample.save_output("particles", small)

refine = project.create_job("homo_refine_new")
assert (extract.uid, downsample.uid, refine.uid) == ("J1", "J2", "J3")
"""

SHOW = "builder = cryoweave.JobBuilder(project)\nbuilder"

# What the kernel's Project holds for one input of J3: [(job, group, {slot: label})].
CONNECTIONS = (
    "[(c.job_uid, c.group_name, {{s.slot_name: s.label() for s in c.slots if s.slot_name}})"
    " for c in project.job('J3').state.input({input!r}).connections]"
)


def open_builder(notebook: Callable[..., Notebook], *more_setup: str) -> Notebook:
    opened = notebook([PROJECT, *more_setup, SHOW], wait_for_testid="job-J3")
    canvas = opened.page.get_by_test_id("job-builder")
    # The cards where the first view puts them (laid out, fitted), before any click or drag.
    wait_for_fit(canvas)
    # The whole canvas in the page's viewport, so that drags start and end on screen.
    canvas.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    for uid in ("J1", "J2", "J3"):
        expect(opened.page.get_by_test_id(f"job-{uid}")).to_be_in_viewport()
    return opened


def connections(opened: Notebook, input_name: str) -> list[Any]:
    return list(opened.kernel.eval_json(CONNECTIONS.format(input=input_name)))


def wait_for_connections(opened: Notebook, input_name: str, expected: list[Any]) -> None:
    """Poll the kernel until J3's input holds ``expected`` (its commands arrive async)."""
    expected = [list(each) for each in expected]  # as it comes back through JSON
    try:
        wait_until(
            lambda: connections(opened, input_name) == expected,
            timeout=15,
            what=f"J3.{input_name} to hold {expected}",
        )
    except TimeoutError as error:
        raise AssertionError(
            f"J3.{input_name} holds {connections(opened, input_name)}, expected {expected}"
        ) from error


def center(page: Page, testid: str) -> tuple[float, float]:
    """The centre of the element with test id ``testid``, which must be on screen."""
    element = page.get_by_test_id(testid)
    expect(element).to_be_in_viewport()
    box = element.bounding_box()
    assert box is not None, f"{testid} is not displayed"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(
    page: Page, source: str, target: str, while_dragging: Callable[[], None] | None = None
) -> None:
    """Press on the ``source`` test id, move in steps onto ``target``, release there."""
    x, y = center(page, source)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)  # past any drag threshold
    x, y = center(page, target)  # measured once dragging: targets may restyle
    page.mouse.move(x, y, steps=15)
    if while_dragging is not None:
        while_dragging()
    page.mouse.up()


def test_group_connection(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    assert connections(opened, "particles") == []
    expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-status", "unmet")

    def targets_marked() -> None:
        expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-drop", "accept")
        expect(page.get_by_test_id("input-J3-volume")).to_have_attribute("data-drop", "refuse")
        expect(page.get_by_test_id("input-J3-mask")).to_have_attribute("data-drop", "refuse")

    drag(page, "output-J1-particles", "input-J3-particles", targets_marked)

    wait_for_connections(
        opened,
        "particles",
        [("J1", "particles", {"blob": "J1.particles.blob", "ctf": "J1.particles.ctf"})],
    )
    expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-status", "met")
    expect(page.get_by_test_id("input-J3-particles")).not_to_have_attribute("data-drop", "accept")
    expect(page.get_by_test_id("canvas-error")).to_be_hidden()

    # The drop, as its line of Python: in the code panel and in builder.code().
    line = "project.job('J3').connect('particles', 'J1', 'particles')"
    expect(page.get_by_test_id("toggle-code")).to_have_text("Code (1)")
    page.get_by_test_id("toggle-code").click()
    expect(page.get_by_test_id("code-line-0")).to_contain_text(line)
    assert opened.kernel.eval_json("builder.code()") == [line]
    page.keyboard.press("Control+z")  # inside the canvas: an undo, and its line
    expect(page.get_by_test_id("code-line-1")).to_contain_text("project.undo()")
    assert opened.kernel.eval_json("builder.code()")[1].startswith("project.undo()  # connect")
    page.screenshot(path=screenshot_dir() / "code-panel.png")
    assert opened.console_errors == []


def test_full_size_blob_overrides_the_downsampled_one(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook, 'refine.connect("particles", downsample.uid, "particles")')
    page = opened.page
    downsampled = {"blob": "J2.particles.blob", "ctf": "J2.particles.ctf"}
    assert connections(opened, "particles") == [["J2", "particles", downsampled]]

    def slot_accepts() -> None:
        expect(page.get_by_test_id("slot-J3-particles-0-blob")).to_have_attribute(
            "data-drop", "accept"
        )
        # ctf is a different result type than the dragged particle.blob
        expect(page.get_by_test_id("slot-J3-particles-0-ctf")).to_have_attribute(
            "data-drop", "refuse"
        )

    if not page.get_by_test_id("result-J1-particles-blob").is_visible():
        page.get_by_test_id("expand-J1-particles").click()  # results shown folded
    expect(page.get_by_test_id("slot-J3-particles-0-blob")).to_have_count(0)  # compact inputs
    page.get_by_test_id("input-expand-J3-particles").click()  # the slots, to drop on one
    drag(page, "result-J1-particles-blob", "slot-J3-particles-0-blob", slot_accepts)

    wait_for_connections(
        opened, "particles", [("J2", "particles", {**downsampled, "blob": "J1.particles.blob"})]
    )
    overridden = opened.kernel.eval_json(
        "[c.is_override(s) for c in project.job('J3').state.input('particles').connections"
        " for s in c.slots if s.slot_name == 'blob']"
    )
    assert overridden == [True]
    expect(page.get_by_test_id("slot-J3-particles-0-blob")).to_contain_text("J1")
    # The override's dashed edge ends on its slot, and on the group's line once folded again
    # (an edge whose handle is missing is not drawn, and React Flow reports an error).
    override_edge = page.locator(".react-flow__edge.cw-edge-override")
    expect(override_edge).to_have_count(1)
    page.get_by_test_id("input-expand-J3-particles").click()
    expect(page.get_by_test_id("slot-J3-particles-0-blob")).to_have_count(0)
    expect(override_edge).to_have_count(1)
    assert opened.console_errors == []


def test_refused_drop_shows_its_reason(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    reason = opened.kernel.eval_json("project.can_connect('J3', 'volume', 'J1', 'particles')")
    assert reason[0] is False
    history = opened.kernel.eval_json("project.history")
    expect(page.get_by_test_id("canvas-error")).to_be_hidden()

    drag(page, "output-J1-particles", "input-J3-volume")

    error = page.get_by_test_id("canvas-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(reason[1])
    assert connections(opened, "volume") == []
    assert connections(opened, "particles") == []
    assert opened.kernel.eval_json("project.history") == history
    expect(page.get_by_test_id("input-J3-volume")).to_have_attribute("data-status", "unmet")


def test_undo_and_redo(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    connected = [("J1", "particles", {"blob": "J1.particles.blob", "ctf": "J1.particles.ctf"})]

    drag(page, "output-J1-particles", "input-J3-particles")
    wait_for_connections(opened, "particles", connected)

    page.get_by_test_id("undo").click()
    wait_for_connections(opened, "particles", [])
    expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-status", "unmet")

    page.get_by_test_id("redo").click()
    wait_for_connections(opened, "particles", connected)

    # The keyboard, with the focus inside the widget.
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("Control+z")
    wait_for_connections(opened, "particles", [])
    expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-status", "unmet")
    assert opened.console_errors == []


CHUNKED = """\
from cryoweave.widget import builder_data

builder_data.DOWNLOAD_CHUNK = 40_000  # J1's particle file then takes several replies
"""


def test_preview_rows_and_a_chunked_download(notebook: Callable[..., Notebook]) -> None:
    connect = 'refine.connect("particles", extract.uid, "particles")'
    opened = open_builder(notebook, connect, CHUNKED)
    page = opened.page
    page.get_by_test_id("input-head-J3-particles").click()
    table = page.get_by_test_id("preview-table")
    expect(table).to_be_visible()
    first_path = opened.kernel.eval_json(
        "str(project.job('J3').resolve_input('particles').strings('blob/path')[0])"
    )
    expect(table).to_contain_text(first_path)

    metafile = opened.kernel.eval_json(
        "str(project.root / project.state('J1').output('particles').result('blob').metafile('F'))"
    )
    expected = Path(metafile).read_bytes()
    assert len(expected) > 3 * 40_000
    page.get_by_test_id("expand-J1-particles").click()  # results are folded at first
    with page.expect_download() as arrived:
        page.get_by_test_id("download-J1-particles-blob").click()
    download = arrived.value
    assert download.suggested_filename == Path(metafile).name
    assert Path(download.path()).read_bytes() == expected
    expect(page.get_by_test_id("canvas-notice")).to_have_text(f"Downloaded {Path(metafile).name}")
    assert opened.console_errors == []


def test_a_building_jobs_output_is_dragged_like_a_completed_jobs(
    notebook: Callable[..., Notebook],
) -> None:
    setup = (
        'refine.connect("particles", downsample.uid, "particles")\n'
        'local = project.create_job("local_resolution")\n'
        'assert local.uid == "J4" and project.state("J3").status == "building"'
    )
    opened = open_builder(notebook, setup)
    page = opened.page
    page.get_by_test_id("job-J4").scroll_into_view_if_needed()

    def target_accepts() -> None:
        expect(page.get_by_test_id("input-J4-volume")).to_have_attribute("data-drop", "accept")

    drag(page, "output-J3-volume", "input-J4-volume", target_accepts)
    wait_until(
        lambda: (
            opened.kernel.eval_json(
                "[c.job_uid + '.' + c.group_name"
                " for c in project.job('J4').state.input('volume').connections]"
            )
            == ["J3.volume"]
        ),
        timeout=15,
        what="J4.volume to read J3.volume",
    )
    # Met, but J3 has not run: the input waits for it, and says so.
    expect(page.get_by_test_id("input-J4-volume")).to_have_attribute("data-status", "waiting")
    assert opened.console_errors == []


def test_selected_jobs_are_sent_to_cryosparc_as_a_script_and_saved_as_a_workflow(
    notebook: Callable[..., Notebook],
) -> None:
    setup = (
        'refine.connect("particles", downsample.uid, "particles")  # J3: no volume, unmet\n'
        'classify = project.create_job("class_2D_new")\n'
        'classify.connect("particles", extract.uid, "particles")\n'
        'assert classify.uid == "J4"'
    )
    opened = open_builder(notebook, setup)
    page = opened.page
    send = page.get_by_test_id("send-to-cryosparc")
    expect(send).to_be_disabled()
    header = {"x": 12, "y": 10}  # the card's header, away from its inputs and outputs
    page.get_by_test_id("job-J3").click(position=header)
    page.get_by_test_id("job-J4").click(position=header, modifiers=["Shift"])
    expect(send).to_be_enabled()
    send.click()
    error = page.get_by_test_id("handoff-error")
    expect(error).to_contain_text("J3.volume: needs at least 1 group(s), has 0")

    page.locator(".react-flow__pane").click(position={"x": 20, "y": 20})  # clears the selection
    expect(send).to_be_disabled()
    page.get_by_test_id("job-J4").click(position=header)  # J4 alone
    send.click()
    script = page.get_by_test_id("handoff-script")
    expect(script).to_contain_text("project.create_external_job(")  # J1 exists only in cryoweave
    expect(script).to_contain_text("'class_2D_new'")
    text = script.inner_text()
    assert text == opened.kernel.eval_json(
        "__import__('cryoweave.handoff').handoff.plan(project, ['J4'],"
        " export_folder=project.root / 'for_cryosparc').script()"
    )

    with page.expect_download() as arrived:
        page.get_by_test_id("save-workflow").click()
    saved = json.loads(Path(arrived.value.path()).read_text())
    assert list(saved["jobs"]) == ["J4"] and saved["jobs"]["J4"]["jobType"] == "class_2D_new"
    assert saved["jobs"]["J4"]["groups"] == [["J1.particles", "particles"]]

    # J1, a completed import only cryoweave has, goes as an External job; a workflow file
    # holds building jobs only, so saving J1 alone as one is not offered.
    page.get_by_test_id("job-J1").click(position=header)
    expect(page.get_by_test_id("save-workflow")).to_be_disabled()
    expect(send).to_be_enabled()
    send.click()
    expect(script).not_to_contain_text("'class_2D_new'")  # the script of J1 alone
    assert script.inner_text() == opened.kernel.eval_json(
        "__import__('cryoweave.handoff').handoff.plan(project, ['J1'],"
        " export_folder=project.root / 'for_cryosparc').script()"
    )
    assert opened.console_errors == []


def test_parameters_are_edited_in_their_panel(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    page.get_by_test_id("params-J3").click()
    panel = page.get_by_test_id("params-panel")
    expect(panel).to_contain_text("Homogeneous Refinement")
    row = page.get_by_test_id("param-refine_symmetry")
    expect(row).to_contain_text("default C1")
    box = page.get_by_test_id("param-input-refine_symmetry")
    box.fill("D7")
    box.press("Enter")
    wait_until(
        lambda: (
            opened.kernel.eval_json("project.job('J3').state.params") == {"refine_symmetry": "D7"}
        ),
        timeout=15,
        what="J3's symmetry to be D7",
    )
    expect(page.get_by_test_id("param-reset-refine_symmetry")).to_be_visible()
    # A value Python refuses is said on the canvas, and nothing changes.
    classes = page.get_by_test_id("param-input-refine_num_final_iterations")
    classes.fill("-3")
    classes.press("Enter")
    expect(page.get_by_test_id("canvas-error")).to_contain_text("must be at least 0")
    expect(classes).to_have_value("0")  # the box shows the job's value again
    assert opened.kernel.eval_json("project.job('J3').state.params") == {"refine_symmetry": "D7"}
    # Advanced parameters show on request.
    advanced = opened.kernel.eval_json(
        "[k for k, p in project.job('J3').params.items() if p.spec.advanced][0]"
    )
    expect(page.get_by_test_id(f"param-{advanced}")).to_have_count(0)
    page.get_by_test_id("params-advanced").check()
    expect(page.get_by_test_id(f"param-{advanced}")).to_have_count(1)
    page.get_by_test_id("param-reset-refine_symmetry").click()
    wait_until(
        lambda: opened.kernel.eval_json("project.job('J3').state.params") == {},
        timeout=15,
        what="J3's symmetry back to its default",
    )
    assert opened.console_errors == []


def test_find_a_job_with_ctrl_k(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("Control+k")
    search = page.get_by_test_id("job-search-input")
    expect(search).to_be_focused()
    search.fill("homogeneous")
    expect(page.get_by_test_id("job-search-J3")).to_be_visible()
    expect(page.get_by_test_id("job-search-J1")).to_have_count(0)
    search.fill("J2")
    search.press("Enter")
    expect(page.get_by_test_id("job-search")).to_have_count(0)
    node = page.get_by_test_id("rf__node-J2")
    expect(node).to_have_class(re.compile(r"\bselected\b"))
    expect(page.get_by_test_id("job-J2")).to_be_in_viewport()
    # Shown in the inspector, its card beside the panel rather than under it.
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_have_attribute("data-job", "J2")
    page.wait_for_function(BESIDE_THE_PANEL, arg="job-J2")
    # Escape closes it without going anywhere.
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("Control+k")
    page.get_by_test_id("job-search-input").press("Escape")
    expect(page.get_by_test_id("job-search")).to_have_count(0)
    assert opened.console_errors == []


def test_o_folds_and_unfolds_the_outputs_of_every_card(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook)
    page = opened.page
    results = page.get_by_test_id("results-J1-particles")
    expect(results).to_have_count(0)  # compact cards: results folded at first
    page.get_by_test_id("fit-view").focus()
    page.keyboard.press("o")
    expect(results).to_be_visible()
    expect(page.get_by_test_id("results-J3-volume")).to_be_visible()
    page.keyboard.press("o")
    expect(results).to_have_count(0)
    expect(page.get_by_test_id("results-J3-volume")).to_have_count(0)
    assert opened.console_errors == []


HEADER = {"x": 12, "y": 10}  # a card's header, away from its inputs and outputs
DOWNSAMPLED = 'refine.connect("particles", downsample.uid, "particles")'

BESIDE_THE_PANEL = """testid => {
    const box = id => document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
    const card = box(testid), panel = box("inspector");
    return Boolean(card && panel && card.right <= panel.left);
}"""


def test_the_inspector_shows_the_selected_job_and_edits_a_parameter(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_builder(notebook, DOWNSAMPLED)
    page = opened.page
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_have_count(0)
    page.get_by_test_id("job-J3").click(position=HEADER)
    expect(inspector).to_have_attribute("data-job", "J3")
    expect(inspector).to_have_attribute("data-tab", "inputs")
    expect(inspector).to_contain_text("Homogeneous Refinement")
    # Inputs: each group's status and reasons, its connections and slots.
    expect(page.get_by_test_id("inspect-input-J3-particles")).to_have_attribute(
        "data-status", "met"
    )
    blob = page.get_by_test_id("inspect-slot-J3-particles-0-blob")
    expect(blob).to_contain_text("J2.particles.blob")
    expect(blob).not_to_have_attribute("data-override", "true")
    volume = page.get_by_test_id("inspect-input-J3-volume")
    expect(volume).to_have_attribute("data-status", "unmet")
    expect(volume).to_contain_text("needs at least 1 group(s), has 0")
    # Parameters: J3's, edited in place; every change goes through job.set_param.
    page.get_by_test_id("inspector-tab-params").click()
    expect(page.get_by_test_id("param-refine_symmetry")).to_contain_text("default C1")
    box = page.get_by_test_id("param-input-refine_symmetry")
    box.fill("D7")
    box.press("Enter")
    wait_until(
        lambda: (
            opened.kernel.eval_json("project.job('J3').state.params") == {"refine_symmetry": "D7"}
        ),
        timeout=15,
        what="J3's symmetry to be D7",
    )
    expect(page.get_by_test_id("param-reset-refine_symmetry")).to_be_visible()
    page.screenshot(path=screenshot_dir() / "inspector-parameters.png")
    # Another job, found with Ctrl/Cmd+K (J3's card was panned beside the panel, J1 off the
    # canvas): a completed job's results, with copy path and download (at the inputs it was
    # showing, which J1 has not).
    page.get_by_test_id("inspector-tab-inputs").click()
    page.keyboard.press("Control+k")
    page.get_by_test_id("job-search-input").fill("J1")
    page.get_by_test_id("job-search-input").press("Enter")
    expect(inspector).to_have_attribute("data-job", "J1")
    expect(inspector).to_have_attribute("data-tab", "outputs")
    expect(page.get_by_test_id("inspect-result-J1-particles-ctf")).to_be_visible()
    expect(page.get_by_test_id("inspect-copy-J1-particles-blob")).to_be_visible()
    metafile = opened.kernel.eval_json(
        "str(project.root / project.state('J1').output('particles').result('blob').metafile('F'))"
    )
    with page.expect_download() as arrived:
        page.get_by_test_id("inspect-download-J1-particles-blob").click()
    assert Path(arrived.value.path()).read_bytes() == Path(metafile).read_bytes()
    page.screenshot(path=screenshot_dir() / "inspector-outputs.png")
    # Escape, outside a text box, closes it.
    page.get_by_test_id("inspector-tab-outputs").focus()
    page.keyboard.press("Escape")
    expect(inspector).to_have_count(0)
    assert opened.console_errors == []


def test_a_slot_is_overridden_from_the_inspector(notebook: Callable[..., Notebook]) -> None:
    opened = open_builder(notebook, DOWNSAMPLED)
    page = opened.page
    downsampled = {"blob": "J2.particles.blob", "ctf": "J2.particles.ctf"}
    assert connections(opened, "particles") == [["J2", "particles", downsampled]]
    page.get_by_test_id("fit-view").focus()  # J3 found with Ctrl/Cmd+K, beside the panel
    page.keyboard.press("Control+k")
    page.get_by_test_id("job-search-input").fill("J3")
    page.get_by_test_id("job-search-input").press("Enter")
    expect(page.get_by_test_id("inspector")).to_have_attribute("data-job", "J3")
    page.wait_for_function(BESIDE_THE_PANEL, arg="job-J3")
    picker = page.get_by_test_id("inspect-override-J3-particles-0-blob")
    choices = picker.locator("option").all_inner_texts()
    # Other jobs' particle.blob results; never J3's own.
    assert "J1.particles.blob (final)" in choices, choices
    assert not any(choice.startswith("J3.") for choice in choices), choices
    picker.select_option(label="J1.particles.blob (final)")
    wait_for_connections(
        opened, "particles", [("J2", "particles", {**downsampled, "blob": "J1.particles.blob"})]
    )
    slot = page.get_by_test_id("inspect-slot-J3-particles-0-blob")
    expect(slot).to_have_attribute("data-override", "true")
    expect(slot).to_contain_text("J1.particles.blob")
    # On the canvas, the override's dashed edge ends on the folded particles line.
    expect(page.get_by_test_id("slot-J3-particles-0-blob")).to_have_count(0)
    expect(page.locator(".react-flow__edge.cw-edge-override")).to_have_count(1)
    assert opened.console_errors == []


HISTOGRAM = (
    "__import__('numpy').histogram(project.job('J3').resolve_input('particles')['ctf/df1_A']"
    ".astype('f8'), bins=16)[0].tolist()"
)


def test_the_inspector_previews_an_input_with_histograms(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_builder(notebook, 'refine.connect("particles", extract.uid, "particles")')
    page = opened.page
    page.get_by_test_id("job-J3").click(position=HEADER)
    page.get_by_test_id("inspect-preview-J3-particles").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_have_attribute("data-tab", "preview")
    expect(page.get_by_test_id("input-J3-particles")).to_have_attribute("data-selected", "true")
    expect(page.get_by_test_id("preview-rows")).to_have_text("2,000 rows")
    ctf = page.get_by_test_id("preview-group-ctf")
    expect(ctf).to_contain_text("J1.particles.ctf")  # provenance
    ctf.locator("summary").click()
    bars = page.get_by_test_id("histogram-ctf/df1_A")
    expect(bars).to_be_visible()
    heights = [
        float(h)
        for h in bars.locator("rect").evaluate_all("rs => rs.map(r => r.getAttribute('height'))")
    ]
    counts = opened.kernel.eval_json(HISTOGRAM)
    assert len(heights) == len(counts) == 16
    assert [h > 0 for h in heights] == [c > 0 for c in counts]
    assert heights.index(max(heights)) == counts.index(max(counts))
    page.screenshot(path=screenshot_dir() / "inspector-preview.png")
    # Another input, chosen in the preview: volume has no connection, and says so.
    page.get_by_test_id("preview-input-volume").click()
    expect(page.get_by_test_id("preview-error")).to_be_visible()
    expect(page.get_by_test_id("input-J3-volume")).to_have_attribute("data-selected", "true")
    page.get_by_test_id("inspector-close").click()
    expect(inspector).to_have_count(0)
    assert opened.console_errors == []
