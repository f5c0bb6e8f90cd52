"""Editors for every entity, and the dialog that saves one through a caller's callback.

The dialog never writes to the store itself: `on_save(values)` does (usually by pushing an
undo command), and a ValidationError it raises is shown at the field with nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.editors.base import BaseEditor, Field
from desktop.editors.client import ClientEditor
from desktop.editors.commitment import CommitmentEditor
from desktop.editors.goal import GoalEditor
from desktop.editors.outcome import OutcomeEditor
from desktop.editors.session import SessionEditor
from desktop.editors.sprint import SprintEditor
from desktop.plain import TextLabel
from desktop.readable import kind_label
from store.ops import display_title

__all__ = ["BaseEditor", "EditDialog", "Field", "editor_for", "EDITORS"]

EDITORS: dict[str, type[BaseEditor]] = {
    editor.kind: editor
    for editor in (
        ClientEditor,
        GoalEditor,
        OutcomeEditor,
        SprintEditor,
        CommitmentEditor,
        SessionEditor,
    )
}


def editor_for(kind: str) -> type[BaseEditor]:
    """The editor class for a kind ('goal', 'outcome', ... 'client')."""
    try:
        return EDITORS[kind]
    except KeyError:
        raise ValueError(f"There is no editor for {kind!r}; kinds are {', '.join(EDITORS)}.")


class EditDialog(QDialog):
    """Edit (or create, when `row` has no id) one item; OK saves through `on_save`."""

    def __init__(
        self,
        kind: str,
        row: dict[str, Any],
        sessions: list[dict[str, Any]],
        on_save: Callable[[dict[str, Any]], None],
        parent=None,
        extra: tuple[str, QWidget] | None = None,
    ):
        super().__init__(parent)
        self.kind = kind
        self.on_save = on_save
        self.extra = extra  # (label, widget) under the form: a new item's parents
        self.editor = editor_for(kind)(sessions=sessions)
        self.editor.load(row)
        new = self.editor.is_new()
        self.setWindowTitle(f"{'New' if new else 'Edit'} {kind_label(kind).lower()}")
        self.setMinimumWidth(520)
        self.build(row, new)

    def build(self, row: dict[str, Any], new: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(14)
        heading = self.heading = TextLabel(self.heading_text(row, new))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(self.editor, 1)
        if self.extra is not None:
            label, widget = self.extra
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create" if new else "Save")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Typing starts in the item's name, not in a field above it (a sprint's number, which
        # the store picks when left alone).
        named = next((f for f in self.editor.fields if f.required and f.widget == "line"), None)
        if named is not None:
            self.editor.inputs[named.name].focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def heading_text(self, row: dict[str, Any], new: bool) -> str:
        if new:
            return f"New {kind_label(self.kind).lower()}"
        try:
            return f"{kind_label(self.kind)}: {display_title(self.kind, row)}"
        except (KeyError, TypeError):
            return f"Edit {kind_label(self.kind).lower()}"

    def save(self) -> None:
        """Check, hand the changes to on_save, and close only if it accepted them."""
        # Nothing changed on an existing item: closing is the whole job, no empty undo step.
        if self.editor.submit(self.on_save):
            self.accept()
