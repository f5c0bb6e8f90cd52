"""History: what happened to one item, newest first, in words ("Status: Active → Completed").

Reads the audit log through store.history, which adds the rows of the links that touched
the item to the item's own rows and groups them by user action: one entry per action
("Deleted 3 items"), its steps listed under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from desktop.editors import EDITORS
from desktop.plain import TextLabel
from desktop.readable import (
    field_label,
    kind_label,
    local_time,
    readable_value,
    shorten,
    tip,
    window_title,
)
from store.errors import NotFound
from store.history import item_actions, link_ends
from store.ops import display_title, get_item

ACTIONS = {
    "create": "Created",
    "update": "Edited",
    "delete": "Moved to trash",
    "restore": "Restored",
    "link": "Linked",
    "unlink": "Unlinked",
    "move": "Moved",
    "purge": "Purged",
    "layout": "Placed on the graph",  # the first drawing saved every node's place at once
}
# An action's words (its undo command's text, "Delete 8 items") as something done.
PAST = {
    "Add": "Added",
    "Change": "Changed",
    "Delete": "Deleted",
    "Edit": "Edited",
    "Import": "Imported",
    "Link": "Linked",
    "Move": "Moved",
    "New": "Created new",
    "Place": "Placed",
    "Purge": "Purged",
    "Repair": "Repaired",
    "Restore": "Restored",
    "Unlink": "Unlinked",
}
# Bookkeeping columns a person never edits: an edit that only touched these shows nothing.
HIDDEN_FIELDS = {"id", "root_id", "created_at", "updated_at", "deleted_at"}
LINK_ENTITIES = {"outcome_goal", "outcome_sprint", "commitment_outcome"}


@dataclass
class Entry:
    """One audit row as read by a person."""

    when: str
    what: str
    summary: str = ""
    changes: list[str] = field(default_factory=list)


class Titles:
    """Titles of the other items named in the log, looked up once each (purged ones too)."""

    def __init__(self):
        self.known: dict[str, str] = {}

    def __call__(self, item_id: str) -> str:
        if item_id not in self.known:
            self.known[item_id] = self.lookup(item_id)
        return self.known[item_id]

    def lookup(self, item_id: str) -> str:
        try:
            kind, row = get_item(item_id)
        except NotFound:
            return "an item that was purged"
        return f"{kind_label(kind).lower()} “{shorten(display_title(kind, row), 40)}”"


def describe(row: dict[str, Any], item_id: str, titles: Titles) -> Entry:
    """The words for one audit row of `item_id`'s history."""
    entry = Entry(local_time(row["at"]), ACTIONS.get(row["action"], row["action"].capitalize()))
    if row["entity"] in LINK_ENTITIES:
        describe_link(entry, row, item_id, titles)
    elif row["action"] == "move":
        entry.summary = describe_move(row["before"], row["after"])
    elif row["action"] == "update":
        entry.changes = changes(row["entity"], row["before"] or {}, row["after"] or {}, titles)
        entry.summary = count_fields(len(entry.changes))
    elif row["action"] == "create" and row["after"]:
        entry.summary = shorten(display_title(row["entity"], row["after"]), 60)
    return entry


def count_fields(count: int) -> str:
    if not count:
        return "No visible change"
    return f"{count} field" if count == 1 else f"{count} fields"


def describe_link(entry: Entry, row: dict[str, Any], item_id: str, titles: Titles) -> None:
    ends = link_ends(row["before"]) | link_ends(row["after"])
    if item_id in ends:
        others = [titles(other) for other in ends - {item_id}]
        preposition = "from" if row["action"] == "unlink" else "to"
        entry.summary = f"{preposition} {others[0]}" if others else ""
    else:  # the history of the link itself: name both ends
        entry.summary = "between " + " and ".join(sorted(titles(end) for end in ends))
    if row["action"] == "update":
        entry.what = "Link weight changed"
        old, new = (row["before"] or {}).get("weight"), (row["after"] or {}).get("weight")
        entry.changes = [f"Weight: {old:g} → {new:g}"]


def describe_move(before: dict | None, after: dict | None) -> str:
    if after is None:
        return "Back to automatic layout"
    place = f"({after['x']:.0f}, {after['y']:.0f})"
    if before is None:
        return f"Placed on the graph at {place}"
    return f"On the graph: ({before['x']:.0f}, {before['y']:.0f}) → {place}"


def changes(kind: str, before: dict[str, Any], after: dict[str, Any], titles: Titles) -> list[str]:
    """'Field: old → new' for each field the edit really changed, in the editor's order."""
    lines = []
    for name in sorted(set(before) | set(after), key=field_order(kind)):
        old, new = before.get(name), after.get(name)
        if name in HIDDEN_FIELDS or old == new:
            continue
        old_text, new_text = value_text(name, old, titles), value_text(name, new, titles)
        lines.append(f"{field_label(name)}: {old_text} → {new_text}")
    return lines


def field_order(kind: str):
    """Sort key: fields as the kind's editor lists them, anything else after, by name."""
    names = [f.name for f in EDITORS[kind].fields] if kind in EDITORS else []
    order = {name: index for index, name in enumerate(names)}
    return lambda name: (order.get(name, len(order)), name)


def value_text(name: str, value: Any, titles: Titles) -> str:
    if name == "session_id":
        return titles(value) if value else "no session"
    if isinstance(value, str) and name in ("description", "notes", "title", "name"):
        return f"“{shorten(value, 40)}”" if value else "empty"
    return readable_value(name, value)


def history_entries(item_id: str) -> list[Entry]:
    """The whole readable history of one item, one entry per user action, newest first."""
    titles = Titles()
    return [describe_action(rows, item_id, titles) for rows in item_actions(item_id)]


def describe_action(rows: list[dict[str, Any]], item_id: str, titles: Titles) -> Entry:
    """One user action: a lone row reads as itself; several are the action, each step below."""
    if len(rows) == 1:
        return describe(rows[0], item_id, titles)
    entry = Entry(local_time(rows[0]["at"]), done(rows[0].get("operation_label") or ""))
    entry.summary = f"{len(rows)} changes"
    for row in reversed(rows):  # in the order they were made
        step = describe(row, item_id, titles)
        entry.changes.append(f"{step.what} {step.summary}".strip())
        entry.changes += [f"    {line}" for line in step.changes]
    return entry


def done(label: str) -> str:
    """ "Delete 8 items" -> "Deleted 8 items"; "Undo Delete 8 items" -> "Undid “Delete 8 items”"."""
    for verb, past in (("Undo ", "Undid"), ("Redo ", "Redid")):
        if label.startswith(verb):
            return f"{past} “{label[len(verb) :]}”"
    first, _, rest = label.partition(" ")
    return f"{PAST.get(first, first)} {rest}".strip() or "Changed"


class HistoryDialog(QDialog):
    """The audit log of one item, newest first; edits list each changed field."""

    def __init__(self, item_id: str, title: str, parent=None):
        super().__init__(parent)
        self.item_id = item_id
        self.setWindowTitle(window_title(f"History — {title}"))
        self.resize(720, 460)
        self.build(title)
        self.fill(history_entries(item_id))

    def build(self, title: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        heading = self.heading = TextLabel(f"History of “{title}”")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #6b6f76;")
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        self.pages = QStackedWidget()
        self.tree = self.build_tree()
        self.empty = QLabel("Nothing has been recorded for this item yet.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6b6f76; padding: 40px;")
        self.pages.addWidget(self.tree)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)

    def build_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderLabels(["When", "What", "Details"])
        tree.setRootIsDecorated(False)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tree.setAlternatingRowColors(False)
        tree.setUniformRowHeights(False)
        tree.setIndentation(0)
        tree.setStyleSheet("QTreeWidget::item { padding: 2px 4px; }")
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        return tree

    def fill(self, entries: list[Entry]) -> None:
        self.entries = entries
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for entry in entries:
            top = QTreeWidgetItem([entry.when, entry.what, entry.summary])
            top.setFont(1, bold)
            for line in entry.changes:
                child = QTreeWidgetItem(["", "", line])
                child.setToolTip(2, tip(line))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        noun = "change" if len(entries) == 1 else "changes"
        self.summary.setText(f"{len(entries)} recorded {noun}, newest first.")
        self.pages.setCurrentWidget(self.tree if entries else self.empty)
