"""Linking without the mouse: the parents a new item serves, and Edit → Link to….

A new outcome is offered the client's goals, a new sprint and a new commitment its outcomes,
ticked from the selection (the same searchable list the session capture uses). Link to…
lists the items the selection may link with; typing narrows it, Return links, and a link
the rules refuse is explained in the dialog (graph.rules' own reason) with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from desktop.dialogs.capture import OutcomePicker
from desktop.editors.base import ERROR_STYLE
from desktop.model.commands import LinkCommand, LinkStep, StoreCommand, quoted
from desktop.model.workspace import Workspace
from desktop.plain import TextLabel
from desktop.readable import kind_label, shorten, tip
from graph.build import has_link
from graph.rules import is_allowed_pair, refusal
from store.errors import TrellisError

ID_ROLE = Qt.ItemDataRole.UserRole

# The kinds a new item of each kind is offered to serve (or, for a sprint, to work on).
PARENT_KINDS = {"outcome": ("goal",), "sprint": ("outcome",), "commitment": ("outcome",)}


def by_title(items: Iterable) -> list:
    return sorted(items, key=lambda i: i.title.casefold())


def parent_picker(
    ws: Workspace, kind: str, chosen: Iterable[str], asked: str | None = None
) -> OutcomePicker | None:
    """The searchable, tickable list of what a new `kind` may serve, `chosen` ticked.

    `asked`, the parent the context menu was opened on, is offered whatever its kind.
    """
    chosen = set(chosen) | ({asked} if asked else set())
    kinds = PARENT_KINDS.get(kind, ())
    offered = [i for i in ws.live_items() if i.kind in kinds or i.id == asked]
    if not offered:
        return None
    picker = OutcomePicker([(i.id, i.title) for i in by_title(offered)])
    picker.setObjectName("parents")
    words = " or ".join(kind_label(k).lower() for k in kinds) or "item"
    picker.search.setPlaceholderText(f"Find a {words}")
    for entry in picker.items():
        if entry.data(ID_ROLE) in chosen:
            entry.setCheckState(Qt.CheckState.Checked)
    return picker


def parents_label(kind: str) -> str:
    return "Works on" if kind == "sprint" else "Serves"


def link_command(ws: Workspace, sources: list[str], target: str) -> StoreCommand:
    """One undo step: the LinkCommand a drag makes, or one step linking several at once."""
    if len(sources) == 1:
        return LinkCommand(ws, sources[0], target)
    text = f"Link {len(sources)} items to {quoted(ws, target)}"
    return StoreCommand(ws, text, [LinkStep(s, target) for s in sources])


class LinkToDialog(QDialog):
    """Choose by keyboard what the selected items link to; Return links (one undo step)."""

    def __init__(
        self,
        ws: Workspace,
        sources: list[str],
        push: Callable[[StoreCommand], None],
        parent=None,
    ):
        super().__init__(parent)
        self.ws, self.sources, self.push = ws, sources, push
        first = ws.item(sources[0])
        many = f"{len(sources)} items"
        self.setWindowTitle(f"Link {shown_title(first.title) if len(sources) == 1 else many} to…")
        self.setMinimumWidth(460)
        self.search = QLineEdit()
        self.search.setObjectName("link_search")
        self.search.setPlaceholderText("Type part of a title")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("link_choices")
        self.fill(first)
        self.error = TextLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.link)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        for widget in (self.search, self.list, self.error, buttons):
            column.addWidget(widget)
        self.search.textChanged.connect(self.narrow)
        self.search.returnPressed.connect(self.link)
        self.list.itemActivated.connect(lambda _entry: self.link())
        self.search.installEventFilter(self)
        self.narrow("")
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)  # typing starts the search

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Opened by a key from the graph: Return must reach this box, never the graph's own
        # Return (Edit selected…), even before the window manager activates the dialog.
        self.activateWindow()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def fill(self, first) -> None:
        """Every live item of a kind the selection may link with, by title."""
        chosen = set(self.sources)
        for item in by_title(self.ws.live_items()):
            if item.id in chosen or not is_allowed_pair(first.kind, item.kind):
                continue
            entry = QListWidgetItem(f"{kind_label(item.kind)}: {item.title}")
            entry.setData(ID_ROLE, item.id)
            entry.setToolTip(tip(item.title))
            self.list.addItem(entry)

    def eventFilter(self, watched, event) -> bool:
        # Up and Down in the search box move through the list: type, arrow, Return.
        if watched is self.search and event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.step(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def shown_rows(self) -> list[int]:
        return [n for n in range(self.list.count()) if not self.list.item(n).isHidden()]

    def step(self, by: int) -> None:
        rows = self.shown_rows()
        if not rows:
            return
        here = self.list.currentRow()
        at = rows.index(here) + by if here in rows else 0
        self.list.setCurrentRow(rows[max(0, min(at, len(rows) - 1))])

    def narrow(self, text: str) -> None:
        """Show only the titles containing `text`; the first one shown is the one Return links."""
        needle = text.casefold().strip()
        for n in range(self.list.count()):
            entry = self.list.item(n)
            entry.setHidden(needle not in entry.text().casefold())
        rows = self.shown_rows()
        self.list.setCurrentRow(rows[0] if rows else -1)
        self.error.hide()

    def target(self) -> str | None:
        entry = self.list.currentItem()
        return entry.data(ID_ROLE) if entry is not None and not entry.isHidden() else None

    def reason(self, target: str) -> str | None:
        """graph.rules' refusal for the first source that may not link to `target`."""
        b = self.ws.item(target)
        for source in self.sources:
            a = self.ws.item(source)
            why = refusal(a, b, has_link(self.ws.graph, a.id, b.id))
            if why is not None:
                return why
        return None

    def link(self) -> None:
        target = self.target()
        if target is None:
            self.say("Nothing matches what you typed: change it, or press Esc to close.")
            return
        why = self.reason(target)
        try:
            if why is None:
                self.push(link_command(self.ws, self.sources, target))
        except TrellisError as exc:
            why = str(exc)
        if why is not None:
            self.say(why)
            return
        self.accept()

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def shown_title(title: str, limit: int = 40) -> str:
    return f"“{shorten(title, limit)}”"
