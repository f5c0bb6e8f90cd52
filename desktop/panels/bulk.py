"""Edits of several chosen commitments at once in the commitments view: priority, due date,
or the trash, each one undo step (BulkEditCommand, DeleteCommand) whatever the count.

A mixin of CommitmentsView: it reads the view's `ws`, `push`, `chosen()` and its modes'
widgets (`table`, `tree`, `board`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from desktop.dialogs.due import DueDialog
from desktop.model.commands import BulkEditCommand, DeleteCommand, StoreCommand
from desktop.plain import warn
from desktop.readable import choice_label, plural
from store.errors import TrellisError
from store.models import PRIORITIES


class BulkEdits:
    """Priority, due date and trash for the chosen commitments."""

    def add_edit_actions(self) -> None:
        """Priority, due date and trash for the chosen commitments (each one undo step), in
        every mode's context menu; the window's Delete key trashes the selection as well."""
        for priority in PRIORITIES:
            act = QAction(f"Set priority: {choice_label(priority)}", self)
            act.triggered.connect(lambda _=False, p=priority: self.set_priority(self.chosen(), p))
            self.addAction(act)
        for text, slot in (("Set due date…", self.ask_due), ("Move to trash", self.trash)):
            act = QAction(text, self)
            act.triggered.connect(lambda _=False, run=slot: run(self.chosen()))
            self.addAction(act)
        for widget in (self.table, self.tree, *self.board.columns.values()):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            widget.addActions(self.actions())

    def set_priority(self, ids: list[str], priority: str) -> None:
        text = f"Set priority of {self.what(ids)} to {choice_label(priority).lower()}"
        self.run(BulkEditCommand(self.ws, text, ids, {"priority": priority}))

    def ask_due(self, ids: list[str]) -> None:
        """Ask for the date (or none), then set it on every chosen commitment in one step."""
        if not ids:
            return
        dialog = DueDialog(len(ids), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            due = dialog.value()
            text = f"Set due date of {self.what(ids)}"
            self.run(BulkEditCommand(self.ws, text, ids, {"target_date": due}))

    def trash(self, ids: list[str]) -> None:
        if ids:
            self.run(DeleteCommand(self.ws, ids))

    def what(self, ids: list[str]) -> str:
        return (
            f"'{self.ws.item(ids[0]).title}'" if len(ids) == 1 else plural(len(ids), "commitment")
        )

    def run(self, command: StoreCommand) -> None:
        """Push an edit unless it changes nothing; a refusal is said, nothing is written."""
        if not command.steps:
            return
        try:
            self.push(command)
        except TrellisError as exc:
            warn(self, "Trellis", str(exc))
