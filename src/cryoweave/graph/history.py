"""Undo, redo and listeners: what a project remembers of its edits, and whom it tells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Changes

Listener = Callable[[set[str]], None]


@dataclass
class Edit:
    """One edit: the jobs it changed, as they were before and after (None: absent)."""

    description: str
    before: Changes
    after: Changes


class History:
    """The edits that ``undo`` reverts and ``redo`` applies again, and the listeners told
    after each of them."""

    def __init__(self) -> None:
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self._listeners: list[Listener] = []

    def record(self, edit: Edit) -> None:
        """A new edit: it can be undone; what was undone can no longer be redone."""
        self._undo.append(edit)
        self._redo.clear()

    def next_undo(self) -> Edit | None:
        """The edit ``undo`` would revert, or None; ``undone`` moves it once it is."""
        return self._undo[-1] if self._undo else None

    def undone(self) -> None:
        """The last edit was reverted: it moves to the redo list."""
        self._redo.append(self._undo.pop())

    def next_redo(self) -> Edit | None:
        """The edit ``redo`` would apply again, or None; ``redone`` moves it once it is."""
        return self._redo[-1] if self._redo else None

    def redone(self) -> None:
        """The last undone edit was applied again: it moves back to the undo list."""
        self._undo.append(self._redo.pop())

    @property
    def undo_descriptions(self) -> list[str]:
        return [edit.description for edit in self._undo]

    @property
    def redo_descriptions(self) -> list[str]:
        return [edit.description for edit in self._redo]

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changed_uids)`` after every edit; returns the unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def notify(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            listener(set(changes))
