"""Set due date…: one date (or none) for the commitments chosen in the commitments view."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from desktop.editors.inputs import DateInput
from desktop.plain import TextLabel
from desktop.readable import plural


class DueDialog(QDialog):
    """The date to set; "No date" takes the due date away."""

    def __init__(self, count: int, parent=None):
        super().__init__(parent)
        self.setObjectName("due_dialog")
        self.setWindowTitle("Set due date")
        self.input = DateInput(required=False)
        self.input.edit.setObjectName("due_date")
        self.input.set(date.today())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(TextLabel(f"Due date for {plural(count, 'commitment')}:"))
        column.addWidget(self.input.widget)
        column.addWidget(buttons)

    def value(self) -> str | None:
        return self.input.get()
