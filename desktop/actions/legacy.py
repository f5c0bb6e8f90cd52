"""File → Import legacy database…: choose the old file, preview the plan, import with progress.

The preview shows the same plan `trellis import-legacy --dry-run` prints (store.legacy builds
it; nothing is written until Import is pressed). The import runs in one transaction: Cancel in
the progress dialog rolls it back whole.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import plain
from desktop.actions import runner
from desktop.dialogs.files import choose_existing_file
from desktop.readable import plural
from store import legacy
from store.errors import TrellisError
from store.legacy import report

TITLE = "Import legacy database"
FILTERS = "Legacy databases (*.db *.sqlite *.sqlite3);;All files (*)"


def import_legacy(parent) -> bool:
    """Preview and run a legacy import; True when the database changed."""
    path = choose_legacy_file(parent)
    if path is None:
        return False
    try:
        plan = legacy.plan_import(path)
    except TrellisError as exc:
        plain.warn(parent, TITLE, f"{exc}\n\nNothing was imported.")
        return False
    preview = PreviewDialog(legacy.document(plan, dry_run=True), parent)
    if preview.exec() != QDialog.DialogCode.Accepted:
        return False
    done = runner.run(
        parent,
        lambda report: run_or_cancel(plan, report),
        "Importing…",
        title=TITLE,
        cancellable=True,  # Cancel rolls the one transaction back
        errors=(TrellisError,),
        explain=lambda exc: f"{exc}\n\nThe database is unchanged.",
    )
    if not done.ok:
        return False
    if done.value is None:
        plain.inform(parent, TITLE, "Import cancelled; nothing was imported.")
        return False
    result = done.value
    doc = legacy.document(plan, dry_run=False, result=result)
    plain.inform(parent, TITLE, "\n".join(report.closing_lines(doc)))
    return not plan.nothing_new


def choose_legacy_file(parent) -> Path | None:
    return choose_existing_file(parent, "Choose the legacy coaching database", FILTERS)


def run_or_cancel(plan: legacy.Plan, report: runner.Report) -> dict | None:
    """Run the plan, counting rows and links as it goes; None when Cancel rolled it back."""
    total = max(1, plan.new_rows + plan.new_links)
    try:
        return legacy.run_plan(plan, lambda done, _total, what: report(done, total, what))
    except legacy.ImportCancelled:
        return None


class PreviewDialog(QDialog):
    """The plan: counts per table, links per source, conversions, placeholders and problems."""

    def __init__(self, doc: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 660)
        layout = QVBoxLayout(self)
        self.headline = QLabel(headline(doc))
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # it names the user's file
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.tabs = QTabWidget()
        self.tabs.addTab(counts_page(doc), "Counts")
        self.lists: dict[str, QListWidget] = {}
        for key, label, entries in list_sections(doc):
            self.lists[key] = QListWidget()
            self.lists[key].setWordWrap(True)  # report lines are long; none may hide its end
            # Wrapped lines need no sideways scrolling; the bar only hid the last line.
            self.lists[key].setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.lists[key].addItems(entries or [f"No {label.lower()}."])
            self.tabs.addTab(self.lists[key], f"{label} ({len(entries)})")
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(not doc["nothing_new"])
        self.import_button.setDefault(True)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def headline(doc: dict) -> str:
    source = Path(doc["source"]).name
    if doc["nothing_new"]:
        return f"Nothing new in {source}: every row and link was imported before."
    rows = sum(c["new"] for c in doc["rows"].values())
    links = sum(c["new"] for c in doc["links"].values())
    converted = plural(len(doc["conversions"]), "direct link")
    placeholders = plural(len(doc["placeholders"]), "placeholder outcome")
    problems = plural(len(doc["problems"]), "problem")
    return (
        f"Importing {source} adds {plural(rows, 'row')} and {plural(links, 'link')} "
        f"({converted} converted, {placeholders}, {problems} to review). "
        "Nothing is written until you press Import, and a database that holds anything is "
        "backed up first."
    )


def list_sections(doc: dict) -> list[tuple[str, str, list[str]]]:
    return [
        (
            "conversions",
            "Conversions",
            [f"{report.where(c)}: {c['message']}" for c in doc["conversions"]],
        ),
        ("placeholders", "Placeholders", [report.placeholder_line(p) for p in doc["placeholders"]]),
        *rekeyed_section(doc),
        ("problems", "Problems", [f"{report.where(p)}: {p['message']}" for p in doc["problems"]]),
        ("notes", "Notes", list(doc["notes"])),
    ]


def rekeyed_section(doc: dict) -> list[tuple[str, str, list[str]]]:
    """Rows of another database that reuse ids held here, and their new ids; a tab only when
    there are some, since most files have none."""
    entries = [f"{report.where(r)}: {r['message']}" for r in doc["rekeyed"]]
    return [("rekeyed", "New ids", entries)] if entries else []


def counts_page(doc: dict) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    rows = [
        [name, c["table"], c["in_file"], c["new"], c["already_imported"], c["made_by_import"]]
        for name, c in doc["rows"].items()
    ]
    heads = ["Rows", "Legacy table", "In file", "New", "Imported before", "Made by import"]
    layout.addWidget(table(heads, rows, "rowCounts"))
    heads = ["Links by source", *(c.capitalize() for c in report.SOURCE_COUNTS)]
    rows = [[s, *(c[k] for k in report.SOURCE_COUNTS)] for s, c in doc["link_sources"].items()]
    layout.addWidget(table(heads, rows, "linkSources"))
    layout.addStretch(1)
    return page


def table(heads: list[str], rows: list[list], name: str) -> QTableWidget:
    widget = QTableWidget(len(rows), len(heads))
    widget.setObjectName(name)
    widget.setHorizontalHeaderLabels(heads)
    widget.verticalHeader().setVisible(False)
    widget.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)
    widget.resizeColumnsToContents()
    # As tall as its rows: two short tables, each read whole, not one scrolling under the other.
    widget.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
    return widget
