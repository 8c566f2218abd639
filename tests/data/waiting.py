"""Calls that could hang (a read of a named pipe), run so that a test fails instead."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def finishes(call: Callable[[], Any], unblock: Path | None = None, seconds: float = 20) -> Any:
    """``call()`` run in a thread: its result or its exception, failing (not hanging) when it
    does not return in time. A reader left waiting on the named pipe ``unblock`` is released
    so that the thread ends."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as err:  # handed to the test
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if unblock is not None:
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"hung for {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
