"""File → Import legacy database…: choose the file, read the preview, Import, see the result —
every dialog answered with real clicks and keys, the database read back afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QWidget,
)

from desktop.actions.legacy import PreviewDialog, import_legacy
from store import legacy, ops
from store.exchange import export_document
from store.opening import close_database, open_database
from tests.desktop.helpers import Dialogs, pick, press
from tests.legacy_factory import LegacyFile, link_titles

LEFT = Qt.MouseButton.LeftButton
PLACEHOLDER = "Unsorted — from goal 'Get fit' (imported)"


def widget_text(widget) -> str:
    if isinstance(widget, QMessageBox):
        return widget.text()
    if isinstance(widget, PreviewDialog):
        tabs = [widget.tabs.tabText(i) for i in range(widget.tabs.count())]
        return " | ".join([widget.headline.text(), *tabs])
    return type(widget).__name__


def run_action(qtbot, *steps) -> tuple[bool, list[str]]:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialogs = Dialogs(*steps, describe=widget_text)
    changed = import_legacy(parent)
    dialogs.done()
    return changed, dialogs.seen


def messy(folder):
    f = LegacyFile()
    ana = f.client("Ana")
    fit = f.goal(ana, "Get fit", status="on hold")
    run = f.target("Run 10 km", goal=fit)
    f.target("Swim", goal=fit)
    f.link(f.commitment(ana, "Buy shoes"), run)
    f.commitment(ana, "Stretch", goal=fit, metadata="{broken")
    return f.write(folder / "legacy.db")


@pytest.fixture
def db(tmp_path):
    open_database(tmp_path / "trellis.db")
    ops.create_client("Existing")
    yield tmp_path / "trellis.db"
    close_database()


def test_preview_then_import_brings_the_plan_into_the_database(qtbot, db, tmp_path):
    source = messy(tmp_path)
    tables: list[str] = []

    def read_counts_then_import(dialog: PreviewDialog) -> None:
        counts = dialog.findChild(QTableWidget, "rowCounts")
        tables.extend(counts.item(r, 0).text() + "=" + counts.item(r, 3).text() for r in range(6))
        QTest.mouseClick(dialog.import_button, LEFT)

    changed, seen = run_action(
        qtbot,
        pick(source),
        (PreviewDialog, read_counts_then_import),
        press(QMessageBox, "OK"),
    )
    assert changed is True
    preview, result = seen[1], seen[2]
    assert preview.startswith(
        "Importing legacy.db adds 7 rows and 5 links (1 direct link converted, "
        "1 placeholder outcome, 2 problems to review)"
    )
    assert "Conversions (1) | Placeholders (1) | Problems (2) | Notes (0)" in preview
    assert tables == [
        "clients=1",
        "sessions=0",
        "goals=1",
        "outcomes=3",
        "sprints=0",
        "commitments=2",
    ]
    assert result.startswith("Imported 7 rows and 5 links in one transaction")
    assert "Backup taken first:" in result
    assert link_titles(export_document())["commitment_outcome"] == {
        ("Run 10 km", "Buy shoes"),
        (PLACEHOLDER, "Stretch"),
    }


def test_cancel_in_the_preview_imports_nothing(qtbot, db, tmp_path):
    source = messy(tmp_path)
    before = export_document()
    changed, _seen = run_action(qtbot, pick(source), press(PreviewDialog, "Cancel"))
    assert changed is False
    assert export_document() == before


def test_a_file_that_is_not_legacy_is_refused_with_a_message(qtbot, db, tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    before = export_document()
    changed, seen = run_action(qtbot, pick(bogus), press(QMessageBox, "OK"))
    assert changed is False
    assert seen[1] == (
        "notes.db is not a legacy coaching database (not a SQLite file).\n\nNothing was imported."
    )
    assert export_document() == before


def test_second_import_preview_says_nothing_new_and_offers_no_import(qtbot, db, tmp_path):
    source = messy(tmp_path)
    legacy.run_plan(legacy.plan_import(source))
    disabled: list[bool] = []

    def look_then_cancel(dialog: PreviewDialog) -> None:
        disabled.append(not dialog.import_button.isEnabled())
        press(PreviewDialog, "Cancel")[1](dialog)

    changed, seen = run_action(qtbot, pick(source), (PreviewDialog, look_then_cancel))
    assert changed is False and disabled == [True]
    assert seen[1].startswith("Nothing new in legacy.db: every row and link was imported before.")


def test_cancel_during_the_import_rolls_it_all_back(qtbot, db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    for n in range(5000):
        f.commitment(ana, f"Task {n}")
    source = f.write(tmp_path / "legacy.db")
    before = export_document()
    changed, seen = run_action(
        qtbot,
        pick(source),
        press(PreviewDialog, "Import"),
        press(QProgressDialog, "Cancel"),
        press(QMessageBox, "OK"),
    )
    assert changed is False
    assert seen[-1] == "Import cancelled; nothing was imported."
    assert export_document() == before


def test_the_file_menu_action_imports_and_the_window_shows_the_new_client(qtbot, window, tmp_path):
    source = messy(tmp_path)
    dialogs = Dialogs(
        pick(source), press(PreviewDialog, "Import"), press(QMessageBox, "OK"), describe=widget_text
    )
    window.actions["import_legacy"].trigger()
    dialogs.done()
    assert "Ana" in {c["name"] for c in window.ws.clients}


def test_the_preview_shows_each_count_table_and_report_line_whole(qtbot, db, tmp_path):
    preview = PreviewDialog(legacy.document(legacy.plan_import(messy(tmp_path)), dry_run=True))
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    for name in ("rowCounts", "linkSources"):
        counts = preview.findChild(QTableWidget, name)
        assert not counts.verticalScrollBar().isVisible(), f"{name} hides rows below a scroll"
    preview.tabs.setCurrentWidget(preview.lists["problems"])
    problems = preview.lists["problems"]
    assert problems.count() == 2
    assert not problems.horizontalScrollBar().isVisible()
    for row in range(problems.count()):
        assert problems.viewport().rect().contains(problems.visualItemRect(problems.item(row)))
    assert "(1 direct link converted, 1 placeholder outcome, 2 problems to review)" in (
        preview.headline.text()
    )
