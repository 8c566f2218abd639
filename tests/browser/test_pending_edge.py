"""A connection dropped on the canvas is drawn at once, before the kernel has applied it, and
replaced by the kernel's edge when the edit's graph arrives."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from .jupyter_host import Notebook
from .test_job_builder import drag, open_builder, wait_for_connections

# The kernel takes its time over each command (busy with a long cell, or a slow disk): the
# canvas must not wait for it to show what the drop did.
SLOW_KERNEL = """\
import time

answer = builder._answer


def slowly(request):
    if isinstance(request, dict) and request.get("type") == "command":
        time.sleep(3)
    return answer(request)


builder._answer = slowly
"""

PENDING = "rf__edge-pending:J3:particles"
CONNECTED = "rf__edge-c:J3:particles:0"


def test_a_dropped_connection_is_drawn_before_the_kernel_answers(
    notebook: Callable[..., Notebook],
) -> None:
    opened = open_builder(notebook)
    page = opened.page
    opened.kernel.run(SLOW_KERNEL)

    drag(page, "output-J1-particles", "input-J3-particles")
    # Drawn while the kernel still sleeps over the command (3 s): no connection yet.
    pending = page.get_by_test_id(PENDING)
    expect(pending.locator("path.react-flow__edge-path")).to_be_attached(timeout=2500)
    expect(page.get_by_test_id(CONNECTED)).to_have_count(0)

    # The kernel's edge takes its place.
    wait_for_connections(
        opened,
        "particles",
        [("J1", "particles", {"blob": "J1.particles.blob", "ctf": "J1.particles.ctf"})],
    )
    expect(page.get_by_test_id(CONNECTED).locator("path.react-flow__edge-path")).to_be_attached()
    expect(page.get_by_test_id(PENDING)).to_have_count(0)
    assert opened.console_errors == []
