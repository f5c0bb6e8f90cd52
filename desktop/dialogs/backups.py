"""Restore from backup…: every backup with its date, why it was taken, size and counts per kind.

The dialog only chooses a file. A backup that is refused (damaged, another program's, from a
newer Trellis) is explained here and the dialog stays open so another can be chosen; the
caller confirms and restores.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.files import choose_existing_file
from desktop.plain import TextLabel, warn
from desktop.readable import local_time, tip
from store import backup, restore
from store.errors import TrellisError

TITLE = "Restore from backup"
KINDS = ("client", "goal", "outcome", "sprint", "commitment", "session")
COLUMNS = (
    "Taken",
    "Why",
    "Size",
    "Clients",
    "Goals",
    "Outcomes",
    "Sprints",
    "Commitments",
    "Sessions",
)
PATH_ROLE = Qt.ItemDataRole.UserRole
FILTERS = "Trellis databases (*.db *.sqlite *.sqlite3 *.trellis);;All files (*)"
REASONS = {
    "auto": "Automatic",
    "manual": "Backed up by hand",
    "purge": "Before a purge",
    "import": "Before a JSON import",
    "legacy-import": "Before a legacy import",
    "repair": "Before check --fix",
    "before-restore": "Before a restore",
    "damaged": "Damaged file kept at a restore",
}


def reason_label(reason: str) -> str:
    """What the user was doing when the backup was taken."""
    if reason.startswith("before-migration-v"):
        return f"Before upgrading from schema {reason.removeprefix('before-migration-v')}"
    return REASONS.get(reason, reason.replace("-", " ").capitalize())


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def counts_line(counts: dict[str, int]) -> str:
    """'2 clients, 5 goals, …' for confirmations."""
    plural = {"session": "sessions"}
    return ", ".join(f"{n} {k if n == 1 else plural.get(k, k + 's')}" for k, n in counts.items())


def refusal_message(path: Path, exc: Exception) -> str:
    return f"{path.name} cannot be restored.\n\n{exc}\n\nThe open database is unchanged."


class RestoreDialog(QDialog):
    """Pick a backup from the list, or any file; `chosen` holds the accepted file."""

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 420)
        self.db_path = Path(db_path)
        self.chosen: Path | None = None
        self.backups = backup.list_backups(self.db_path)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        heading = QLabel(TITLE)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.intro = TextLabel(self.intro_text())  # names the user's file and folder
        self.intro.setStyleSheet("color: #6b6f76;")
        layout.addWidget(self.intro)
        self.table = self.build_table()
        layout.addWidget(self.table)
        layout.addWidget(self.build_buttons())
        # Made the default only once inside the dialog: set on a parentless button, the dialog
        # never learns of it and gives the role to the first button in the focus chain.
        self.restore_button.setDefault(True)
        self.table.itemSelectionChanged.connect(self.selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        if self.backups:
            self.table.selectRow(0)
        self.selection_changed()

    def intro_text(self) -> str:
        folder = backup.backups_dir(self.db_path)
        if not self.backups:
            return (
                f"No backups of {self.db_path.name} yet (they are kept in {folder}). "
                "Choose file… restores any Trellis database file."
            )
        return (
            f"Backups of {self.db_path.name}, newest first (kept in {folder}). Restoring replaces "
            "the open database; it is backed up first, so you can undo by restoring that backup."
        )

    def build_table(self) -> QTableWidget:
        table = QTableWidget(len(self.backups), len(COLUMNS))
        table.setObjectName("backups")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, info in enumerate(self.backups):
            self.fill_row(table, row, info)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def fill_row(self, table: QTableWidget, row: int, info: backup.BackupInfo) -> None:
        counts = info.counts or {}
        cells = [
            local_time(info.taken_at.isoformat()),  # the app's one format, as in History
            reason_label(info.reason),
            human_size(info.size),
            *(f"{counts[k]:,}" if k in counts else "—" for k in KINDS),
        ]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(PATH_ROLE, str(info.path))
            item.setToolTip(tip(str(info.path) if info.problem is None else info.problem))
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if info.problem is not None:
                item.setForeground(QBrush(QColor("#9a3b3b")))
            table.setItem(row, column, item)

    def build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choose_button = QPushButton("Choose file…")
        self.restore_button = QPushButton("Restore")
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter restores the chosen row, not Choose file… (see `__init__` for the default).
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        return buttons

    def selected_path(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return Path(self.table.item(rows[0].row(), 0).data(PATH_ROLE))

    def selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None)

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.accept_file(path)

    def choose_file(self) -> None:
        path = choose_database_file(self)
        if path is not None:
            self.accept_file(path)

    def accept_file(self, path: Path) -> None:
        """Accept a file only if it would be restored; otherwise say why and stay open."""
        try:
            restore.check_restorable(path, self.db_path)
        except TrellisError as exc:
            warn(self, TITLE, refusal_message(path, exc))
            return
        self.chosen = path
        self.accept()


def choose_database_file(parent: QWidget) -> Path | None:
    return choose_existing_file(parent, "Choose a Trellis database or backup to restore", FILTERS)
