"""The sessions view: the client's coaching sessions, newest first, the commitments made in each,
and "Since last session" — what changed from the chosen session to the next one (or to now).

The digest is store.digest's (the audit log undone back to the period's start, beside the
current state), the same one `trellis digest` prints; "Copy as Markdown" puts its Markdown on
the clipboard for an email to the client. Everything shown is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.capture import CaptureDialog
from desktop.model.commands import StoreCommand
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels import heading
from desktop.panels.common import RefreshedWhenShown
from desktop.panels.filters import shrinkable
from desktop.plain import TextLabel
from desktop.readable import tip
from graph.digest import Digest, lines, markdown
from graph.model import COMMITMENT
from store.digest import client_digest, period_between_sessions
from store.errors import TrellisError

ID_ROLE = Qt.ItemDataRole.UserRole


class SessionsView(RefreshedWhenShown, QWidget):
    """Sessions on the left; the chosen one's notes, commitments and digest on the right."""

    def __init__(
        self,
        ws: Workspace,
        selection: Selection,
        push: Callable[[StoreCommand], None],
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("sessions_view")
        self.ws, self.selection, self.push = ws, selection, push
        self.today: Callable[[], date] = date.today  # a test may fix the day
        self.digest: Digest | None = None
        self.list = self.make_list()
        self.title = TextLabel()
        self.notes = TextLabel()
        self.notes.setObjectName("session_notes")
        self.made = QListWidget()
        self.made.setObjectName("session_commitments")
        self.since = QPlainTextEdit()
        self.since.setObjectName("since_last_session")
        self.since.setReadOnly(True)
        self.copy_button = QPushButton("Copy as Markdown")
        self.copy_button.clicked.connect(self.copy_markdown)
        self.new_button = QPushButton("New session…")
        self.new_button.setObjectName("new_session")
        self.new_button.clicked.connect(self.capture)
        self.until = QComboBox()  # where the period ends: a later session, or now
        self.until.setObjectName("digest_until")
        shrinkable(self.until)  # a session's title must not widen the view
        self.until.currentIndexChanged.connect(lambda _n: self.show_digest(self.chosen_id()))
        self.lay_out()
        ws.changed.connect(self.on_changed)

    def make_list(self) -> QTreeWidget:
        sessions = QTreeWidget()
        sessions.setObjectName("sessions_list")
        sessions.setHeaderLabels(["Date", "Title", "Commitments"])
        sessions.setRootIsDecorated(False)
        sessions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        sessions.setMinimumWidth(60)
        sessions.currentItemChanged.connect(lambda *_: self.show_chosen())
        return sessions

    def lay_out(self) -> None:
        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.notes)
        column.addWidget(heading("Commitments made"))
        column.addWidget(self.made, 1)
        line = QHBoxLayout()
        self.since_heading = heading("Since last session")
        line.addWidget(self.since_heading, 1)
        line.addWidget(TextLabel("until", wrap=False))
        line.addWidget(self.until)
        line.addWidget(self.copy_button)
        column.addLayout(line)
        column.addWidget(self.since, 2)
        detail.setMinimumWidth(60)
        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addWidget(self.list, 1)
        left.setMinimumWidth(60)  # the button must not widen the view past the splitter's room
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(detail)
        split.setSizes([300, 560])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(split)

    # ------------------------------------------------------------ following the workspace

    def on_changed(self, changes: Changes) -> None:
        self.follow_changes(changes)

    def refresh(self) -> None:
        """The sessions again, newest first, keeping the chosen one (else the newest)."""
        self.stale = False
        keep = self.chosen_id()
        made = self.commitments_by_session()
        self.list.blockSignals(True)
        self.list.clear()
        for row in reversed(self.ws.sessions()):  # the store lists them oldest first
            self.list.addTopLevelItem(self.entry(row, len(made.get(row["id"], []))))
        self.list.blockSignals(False)
        self.choose(keep)
        self.show_chosen()

    def entry(self, row: dict[str, Any], count: int) -> QTreeWidgetItem:
        entry = QTreeWidgetItem([row["held_on"], row.get("title") or "Session", str(count)])
        entry.setData(0, ID_ROLE, row["id"])
        entry.setData(1, ID_ROLE, row.get("notes") or "")
        entry.setToolTip(1, tip(row.get("title") or ""))
        return entry

    def commitments_by_session(self) -> dict[str, list[str]]:
        """Each session's live commitments' titles, by title."""
        found: dict[str, list[str]] = {}
        for _node, data in self.ws.graph.nodes(data=True):
            session = data["item"].fields.get("session_id") if data["kind"] == COMMITMENT else None
            if session:
                found.setdefault(session, []).append(data["title"])
        for titles in found.values():
            titles.sort(key=str.casefold)
        return found

    # ------------------------------------------------------------ the chosen session

    def chosen_id(self) -> str | None:
        entry = self.list.currentItem()
        return entry.data(0, ID_ROLE) if entry is not None else None

    def choose(self, session_id: str | None) -> None:
        """Make `session_id` current (or the newest, if it is gone) without a second refresh."""
        self.list.blockSignals(True)
        wanted = self.list.topLevelItem(0)
        for n in range(self.list.topLevelItemCount()):
            if self.list.topLevelItem(n).data(0, ID_ROLE) == session_id:
                wanted = self.list.topLevelItem(n)
        self.list.setCurrentItem(wanted)
        self.list.blockSignals(False)

    def show_chosen(self) -> None:
        entry = self.list.currentItem()
        self.made.clear()
        if entry is None:
            self.title.setText("No sessions yet for this client.")
            self.notes.clear()
            self.until.clear()
            self.show_digest(None)
            return
        self.title.setText(f"{entry.text(0)}  {entry.text(1)}")
        self.notes.setText(entry.data(1, ID_ROLE) or "No notes.")
        session_id = entry.data(0, ID_ROLE)
        self.made.addItems(self.commitments_by_session().get(session_id, []))
        self.fill_until(session_id)
        self.show_digest(session_id)

    def fill_until(self, session_id: str) -> None:
        """The sessions held after this one, then "now"; the next session (or now) is chosen,
        so the digest reads "until the next session" unless the person picks another end."""
        held_on = next(s["held_on"] for s in self.ws.sessions() if s["id"] == session_id)
        later = [s for s in self.ws.sessions() if s["held_on"] > held_on]  # oldest first
        self.until.blockSignals(True)
        self.until.clear()
        for row in later:
            self.until.addItem(f"{row['held_on']} {row.get('title') or 'Session'}", row["id"])
        self.until.addItem("now", None)
        self.until.setCurrentIndex(0)
        self.until.blockSignals(False)

    def heading_text(self) -> str:
        if self.until.currentData() is not None:
            return (
                "UNTIL THE NEXT SESSION"
                if self.until.currentIndex() == 0
                else "UNTIL A LATER SESSION"
            )
        return "SINCE LAST SESSION" if self.until.count() <= 1 else "SINCE THIS SESSION"

    def show_digest(self, session_id: str | None) -> None:
        """The digest from this session to the end chosen in "until" (the next one, or now)."""
        self.digest = None
        self.since_heading.setText(self.heading_text())
        if session_id is not None and self.ws.root_id:
            try:
                period = period_between_sessions(
                    self.ws.root_id, session_id, self.until.currentData(), self.today()
                )
                self.digest = client_digest(self.ws.root_id, period)
            except TrellisError as exc:  # say why in the panel, never a traceback
                self.since.setPlainText(str(exc))
                self.copy_button.setEnabled(False)
                return
        text = "\n".join(lines(self.digest)) if self.digest else "Choose a session."
        self.since.setPlainText(text)
        self.copy_button.setEnabled(self.digest is not None)

    def capture(self) -> None:
        """New session…: the capture dialog; once saved, the new session is the chosen one."""
        dialog = CaptureDialog(self.ws, self.push, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session_id:
            self.refresh()
            self.choose(dialog.session_id)
            self.show_chosen()

    def copy_markdown(self) -> None:
        if self.digest is not None:
            QApplication.clipboard().setText(markdown(self.digest))


def make_view(window) -> SessionsView:
    return SessionsView(window.ws, window.selection, window.push)
