"""Capture during a session: the session's date, title and notes, and quick entry of the
commitments made in it, each with the outcomes it serves, saved as one undo command.

Nothing is written until Save, and then everything at once (CaptureCommand: one store
operation), so a refusal — a commitment with no title or no outcome, or one the store turns
down — is shown at its field with nothing saved, and undo takes the session and all entered
with it to the trash together.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.editors.base import ERROR_STYLE
from desktop.editors.session import SessionEditor
from desktop.model.commands import CaptureCommand, StoreCommand
from desktop.model.workspace import Workspace
from desktop.plain import TextLabel
from desktop.readable import tip
from graph.model import OUTCOME
from store.errors import TrellisError, ValidationError

ID_ROLE = Qt.ItemDataRole.UserRole
NO_TITLE = "Give this commitment a title, or leave its outcomes unticked to skip it."
NO_OUTCOME = "Tick at least one outcome: a commitment serves a goal through its outcomes."


class OutcomePicker(QWidget):
    """The client's outcomes, several at once: type part of a title to narrow, tick to choose."""

    def __init__(self, outcomes: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("outcome_search")
        self.search.setPlaceholderText("Find an outcome")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("outcome_choices")
        self.list.setMaximumHeight(110)
        for outcome_id, title in outcomes:
            item = QListWidgetItem(title)
            item.setData(ID_ROLE, outcome_id)
            item.setToolTip(tip(title))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.search.textChanged.connect(self.narrow)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.list)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(n) for n in range(self.list.count())]

    def narrow(self, text: str) -> None:
        """Hide the outcomes whose title does not contain `text` (ticked ones stay ticked)."""
        needle = text.casefold().strip()
        for item in self.items():
            item.setHidden(needle not in item.text().casefold())

    def chosen(self) -> list[str]:
        return [i.data(ID_ROLE) for i in self.items() if i.checkState() == Qt.CheckState.Checked]


class Entry(QFrame):
    """One commitment being entered: its title, its outcomes, and its refusal under them."""

    def __init__(self, outcomes: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLineEdit()
        self.title.setObjectName("commitment_title")
        self.title.setPlaceholderText("What the client commits to")
        self.outcomes = OutcomePicker(outcomes)
        self.error = TextLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.title.textEdited.connect(lambda _text: self.error.hide())  # being fixed
        self.outcomes.list.itemChanged.connect(lambda _item: self.error.hide())
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.outcomes)
        column.addWidget(self.error)

    def is_blank(self) -> bool:
        """Nothing typed and nothing ticked: the spare entry at the end, skipped on save."""
        return not self.title.text().strip() and not self.outcomes.chosen()

    def refusal(self) -> str | None:
        if not self.title.text().strip():
            return NO_TITLE
        return None if self.outcomes.chosen() else NO_OUTCOME

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        focus = self.title if message == NO_TITLE else self.outcomes.search
        focus.setFocus(Qt.FocusReason.OtherFocusReason)


class CaptureDialog(QDialog):
    """New session…: the session's form above, the commitments made in it below."""

    def __init__(self, ws: Workspace, push: Callable[[StoreCommand], None], parent=None):
        super().__init__(parent)
        self.setObjectName("capture_dialog")
        self.setWindowTitle("New session")
        self.ws, self.push = ws, push
        self.session_id: str | None = None  # set once saved
        self.outcomes = sorted(
            ((node, data["title"]) for node, data in ws.graph.nodes(data=True)
             if data["kind"] == OUTCOME),
            key=lambda pair: (pair[1].casefold(), pair[0]),
        )  # fmt: skip
        self.form = SessionEditor()
        self.form.load({})
        self.entries: list[Entry] = []
        self.entry_column = QVBoxLayout()
        self.add_button = QPushButton("Add another commitment")
        self.add_button.clicked.connect(self.add_entry)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.lay_out()
        self.add_entry()
        self.resize(560, 640)

    def lay_out(self) -> None:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.addLayout(self.entry_column)
        inner.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addStretch(1)
        area = QScrollArea()
        area.setWidget(box)
        area.setWidgetResizable(True)
        column = QVBoxLayout(self)
        column.addWidget(self.form)
        column.addWidget(TextLabel("Commitments made in this session"))
        column.addWidget(area, 1)
        column.addWidget(self.buttons)

    def add_entry(self) -> Entry:
        entry = Entry(self.outcomes)
        self.entries.append(entry)
        self.entry_column.addWidget(entry)
        entry.title.setFocus(Qt.FocusReason.OtherFocusReason)
        return entry

    def save(self) -> None:
        """Check every field first and show each refusal where it is (nothing is written while
        any stands), then save all as one command."""
        self.form.clear_errors()
        entries = [e for e in self.entries if not e.is_blank()]
        refused = [(e, e.refusal()) for e in entries]
        refused = [(e, message) for e, message in refused if message]
        for entry in self.entries:
            entry.error.hide()
        for entry, message in reversed(refused):  # the first one to fix ends with the focus
            entry.show_error(message)
        if not self.form_is_valid() or refused:
            return
        self.submit(entries)

    def form_is_valid(self) -> bool:
        try:
            self.form.check()
        except ValidationError as exc:
            self.form.show_error(exc.field, str(exc))
            return False
        return True

    def submit(self, entries: list[Entry]) -> None:
        made = [(e.title.text().strip(), e.outcomes.chosen()) for e in entries]
        command = CaptureCommand(self.ws, self.form.form_values(), made)
        try:
            self.push(command)
        except TrellisError as exc:
            field = getattr(exc, "field", None)
            self.form.show_error(field if field in self.form.inputs else None, str(exc))
            return
        self.session_id = command.session_id
        self.accept()
