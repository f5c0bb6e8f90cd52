"""The client list: the clients of the database; choosing one shows its hierarchy."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.model.workspace import Changes, Workspace
from desktop.panels.common import (
    ID_ROLE,
    heading,
    tool_button,
)
from desktop.readable import tip


class ClientList(QWidget):
    """The clients of the database; choosing one shows its hierarchy."""

    add_requested = Signal()
    rename_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        # Asked before another client is shown; False keeps the current one (the window
        # sets it so unsaved edits in the inspector are never dropped on the way).
        self.may_leave: Callable[[], bool] = lambda: True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(heading("Clients"))
        top.addStretch(1)
        self.add_button = tool_button("Add", "New client…")
        self.rename_button = tool_button("Rename", "Rename or edit the client…")
        self.delete_button = tool_button("Delete", "Move the client and their work to the trash…")
        for button in (self.add_button, self.rename_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        # A long name is cut with "…" at the panel's edge (its tooltip has it whole), not
        # scrolled sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list)
        self.add_button.clicked.connect(self.add_requested)
        self.rename_button.clicked.connect(lambda: self.emit_current(self.rename_requested))
        self.delete_button.clicked.connect(lambda: self.emit_current(self.delete_requested))
        self.list.currentItemChanged.connect(self.chosen)
        self.list.itemDoubleClicked.connect(lambda _i: self.emit_current(self.rename_requested))
        ws.changed.connect(self.on_changed)

    def emit_current(self, signal) -> None:
        if self.ws.root_id:
            signal.emit(self.ws.root_id)

    def on_changed(self, changes: Changes) -> None:
        if changes.clients or changes.reset:
            self.fill()

    def fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for client in self.ws.clients:
            entry = QListWidgetItem(client["name"])
            entry.setData(ID_ROLE, client["id"])
            notes = client.get("notes")
            entry.setToolTip(tip(f"{client['name']}\n{notes}" if notes else client["name"]))
            self.list.addItem(entry)
            if client["id"] == self.ws.root_id:
                self.list.setCurrentItem(entry)
        self.list.blockSignals(False)
        has_client = self.ws.root_id is not None
        self.rename_button.setEnabled(has_client)
        self.delete_button.setEnabled(has_client)

    def chosen(self, current: QListWidgetItem | None, previous=None) -> None:
        if current is None or current.data(ID_ROLE) == self.ws.root_id:
            return
        if not self.may_leave():
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            return
        self.ws.select_client(current.data(ID_ROLE))
