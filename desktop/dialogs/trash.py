"""The trash: every soft-deleted item, what restoring it brings back, restore and purge.

The dialog only reads the store (`list_trash`); restoring and purging go through the
caller's callbacks so they become undo commands (purge is the one that cannot be undone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.plain import warn
from desktop.readable import kind_label, local_time, shorten, tip
from store.errors import TrellisError
from store.trash import TRASH_KINDS, list_trash

COLUMNS = ("Kind", "Title", "Client", "Deleted", "Brings back")
KIND_COL, TITLE_COL, CLIENT_COL, WHEN_COL, LINKS_COL = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = "color: #6b6f76;"


class SortableItem(QTableWidgetItem):
    """A cell that sorts by a hidden key (the ISO time, not '22 Nov 2026 14:05')."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def links_text(links: list[dict[str, Any]]) -> str:
    """'2 links: Run 5 km…, Sleep well' — what restoring the item reconnects."""
    if not links:
        return "No links"
    width = 48 if len(links) == 1 else 26
    titles = ", ".join(shorten(link["other_title"], width) for link in links[:2])
    more = ", …" if len(links) > 2 else ""
    noun = "link" if len(links) == 1 else "links"
    return f"{len(links)} {noun}: {titles}{more}"


def links_tooltip(links: list[dict[str, Any]]) -> str:
    lines = []
    for link in links:
        note = " (also in the trash: comes back once that is restored)"
        lines.append(f"• {link['other_title']}{note if link['other_in_trash'] else ''}")
    return "\n".join(lines) or "Restoring this item brings back no links."


class TrashDialog(QDialog):
    """List the trash (one client's, or all with root_id None); restore or purge a selection."""

    def __init__(
        self,
        root_id: str | None,
        restore: Callable[[str, bool], None],
        purge: Callable[[str], None],
        parent=None,
    ):
        super().__init__(parent)
        self.root_id = root_id
        self.restore = restore
        self.purge = purge
        self.entries: list[dict[str, Any]] = []
        self.setWindowTitle("Trash")
        self.resize(860, 460)
        self.build()
        self.refresh()
        self.search.setFocus()  # people open the trash to find something they deleted

    # ------------------------------------------------------------ building

    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(self.build_heading())
        layout.addLayout(self.build_filters())
        self.pages = QStackedWidget()
        self.table = self.build_table()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setStyleSheet("color: #6b6f76; font-size: 11pt; padding: 40px;")
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        layout.addLayout(self.build_buttons())
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def build_heading(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(2)
        title = QLabel("Trash")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        self.summary = QLabel()
        self.summary.setStyleSheet(MUTED)
        self.summary.setWordWrap(True)
        column.addWidget(title)
        column.addWidget(self.summary)
        return column

    def build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("All kinds", None)
        for kind in TRASH_KINDS:
            self.kind_filter.addItem(f"{kind_label(kind)}s", kind)
        self.kind_filter.currentIndexChanged.connect(self.apply_filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, clients and links…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed)
        show = QLabel("Show")
        show.setBuddy(self.kind_filter)
        row.addWidget(show)
        row.addWidget(self.kind_filter)
        row.addSpacing(8)
        row.addWidget(self.search, 1)
        return row

    def build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, mode in (
            (KIND_COL, QHeaderView.ResizeMode.ResizeToContents),
            (TITLE_COL, QHeaderView.ResizeMode.Stretch),
            (CLIENT_COL, QHeaderView.ResizeMode.ResizeToContents),
            (WHEN_COL, QHeaderView.ResizeMode.ResizeToContents),
            (LINKS_COL, QHeaderView.ResizeMode.Stretch),
        ):
            header.setSectionResizeMode(column, mode)
        table.itemSelectionChanged.connect(self.update_buttons)
        return table

    def build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setToolTip("Bring the selected items back with their links.")
        self.restore_parents_button = QPushButton("Restore with parents")
        self.restore_parents_button.setToolTip(
            "Also bring back the deleted client, outcomes and goals they need to be connected."
        )
        self.purge_button = QPushButton("Purge permanently…")
        self.purge_button.setToolTip("Delete the selected items for good (a backup is taken).")
        self.close_button = QPushButton("Close")
        self.restore_button.clicked.connect(lambda: self.restore_selected(False))
        self.restore_parents_button.clicked.connect(lambda: self.restore_selected(True))
        self.purge_button.clicked.connect(self.purge_selected)
        self.close_button.clicked.connect(self.reject)
        for button in (self.restore_button, self.restore_parents_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.purge_button)
        row.addSpacing(16)
        row.addWidget(self.close_button)
        self.restore_button.setDefault(True)
        return row

    # ------------------------------------------------------------ content

    def refresh(self) -> None:
        """Re-read the trash, keeping the filter and, where still there, the selection."""
        kept = set(self.selected_ids())
        self.entries = list_trash(self.root_id)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            self.fill_row(row, entry)
        self.table.setSortingEnabled(True)
        self.table.sortItems(WHEN_COL, Qt.SortOrder.DescendingOrder)
        self.reselect(kept)
        self.apply_filter()

    def fill_row(self, row: int, entry: dict[str, Any]) -> None:
        cells = (
            (kind_label(entry["kind"]), entry["kind"]),
            (entry["title"], entry["title"].lower()),
            (entry["client"], entry["client"].lower()),
            (local_time(entry["deleted_at"]), entry["deleted_at"]),
            (links_text(entry["links"]), len(entry["links"])),
        )
        for column, (text, key) in enumerate(cells):
            cell = SortableItem(text)
            cell.setData(SORT_ROLE, key)
            cell.setData(ID_ROLE, entry["id"])
            self.table.setItem(row, column, cell)
        self.table.item(row, TITLE_COL).setToolTip(tip(entry["title"]))
        self.table.item(row, LINKS_COL).setToolTip(tip(links_tooltip(entry["links"])))

    def reselect(self, ids: set[str]) -> None:
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) in ids:
                self.table.selectRow(row)

    def matches(self, entry: dict[str, Any]) -> bool:
        kind = self.kind_filter.currentData()
        if kind is not None and entry["kind"] != kind:
            return False
        words = self.search.text().lower().split()
        haystack = " ".join(
            [entry["title"], entry["client"], kind_label(entry["kind"])]
            + [link["other_title"] for link in entry["links"]]
        ).lower()
        return all(word in haystack for word in words)

    def apply_filter(self) -> None:
        """Hide the rows the kind filter and search words leave out; show why when none remain."""
        by_id = {e["id"]: e for e in self.entries}
        shown = 0
        for row in range(self.table.rowCount()):
            visible = self.matches(by_id[self.table.item(row, 0).data(ID_ROLE)])
            self.table.setRowHidden(row, not visible)
            shown += visible
        self.update_summary(shown)
        for control in (self.kind_filter, self.search):
            control.setEnabled(bool(self.entries))
        self.pages.setCurrentWidget(self.table if shown else self.empty)
        self.update_buttons()

    def search_changed(self) -> None:
        """Filter, and select the top match when nothing shown is selected, so Enter restores it."""
        self.apply_filter()
        rows = self.visible_rows()
        if self.search.text().strip() and rows and not self.selected_ids():
            self.table.selectRow(rows[0])

    def update_summary(self, shown: int) -> None:
        total = len(self.entries)
        if not total:
            self.empty.setText(
                "<p style='font-size:14pt; color:#3c4043'>The trash is empty</p>"
                "<p>Deleted items wait here until you restore or purge them.</p>"
            )
            self.summary.setText("Nothing has been deleted.")
            return
        self.empty.setText("<p>Nothing in the trash matches this filter.</p>")
        noun = "item" if total == 1 else "items"
        counted = f"{total} deleted {noun}" if shown == total else f"{shown} of {total} shown"
        self.summary.setText(
            f"{counted}. Restoring brings an item back with its links and its place in the graph."
        )

    def visible_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def selected_ids(self) -> list[str]:
        """Ids of the selected rows that the filter shows, top to bottom."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(r, 0).data(ID_ROLE) for r in rows if not self.table.isRowHidden(r)]

    def update_buttons(self) -> None:
        chosen = bool(self.selected_ids())
        for button in (self.restore_button, self.restore_parents_button, self.purge_button):
            button.setEnabled(chosen)

    # ------------------------------------------------------------ actions

    def restore_selected(self, with_parents: bool) -> None:
        self.run_each(
            self.selected_ids(), lambda item_id: self.restore(item_id, with_parents), "restore"
        )

    def purge_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.confirm_purge(ids):
            self.run_each(ids, self.purge, "purge")

    def run_each(self, ids: list[str], action: Callable[[str], None], verb: str) -> None:
        """Apply `action` to each id; stop at the first refusal and say why."""
        done = 0
        for item_id in ids:
            # Restoring with parents or purging a client can take later ids with it.
            if done and item_id not in {e["id"] for e in list_trash(self.root_id)}:
                continue
            try:
                action(item_id)
            except TrellisError as exc:
                if done:
                    self.refresh()
                self.show_refusal(f"Could not {verb}", str(exc))
                return
            done += 1
        self.refresh()

    def confirm_purge(self, ids: list[str]) -> bool:
        """Ask before deleting for good; the answer defaults to Cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Purge permanently?")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the question quotes the item's title
        box.setText(f"Permanently delete {self.describe(ids)}?")
        box.setInformativeText(
            "This cannot be undone. Trellis takes a backup of the database first, "
            "so the data can still be recovered from that backup."
        )
        purge = box.addButton("Purge", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is purge

    def describe(self, ids: list[str]) -> str:
        if len(ids) != 1:
            return f"{len(ids)} items"
        entry = next(e for e in self.entries if e["id"] == ids[0])
        return f"the {kind_label(entry['kind']).lower()} “{entry['title']}”"

    def show_refusal(self, title: str, message: str) -> None:
        warn(self, title, message)
