"""Values no Trellis writes, already in a file (another tool, a hand edit, an old import), meet
the real widgets (issue 11, round 2, items 5-7): the Trash dialog opens on times at the ends of
the calendar or "yesterday", and the app starts on a client name that is not UTF-8 text."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.dialogs.trash import TITLE_COL, WHEN_COL, TrashDialog
from desktop.readable import local_time
from store import ops
from store.opening import close_database, open_database

ODD_TIMES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday"]


def with_sql(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("stamp", ODD_TIMES, ids=["year-1", "year-9999", "yesterday"])
def test_the_trash_dialog_opens_on_a_deletion_time_no_trellis_writes(qtbot, sample_db, stamp):
    """It overflowed (year 1 moved to local time) or raised ValueError ("yesterday")."""
    with_sql(
        sample_db,
        f"UPDATE commitments SET deleted_at = '{stamp}' "
        "WHERE rowid = (SELECT min(rowid) FROM commitments)",
    )
    open_database(sample_db)
    try:
        dialog = TrashDialog(None, ops.restore_item, ops.purge_item)
        qtbot.addWidget(dialog)
        shown = [dialog.table.item(r, WHEN_COL).text() for r in range(dialog.table.rowCount())]
    finally:
        close_database()
    assert stamp in shown  # the raw text, where no local time can be made of it


@pytest.mark.parametrize("value", [*ODD_TIMES, b"\x00\xff", 5, "2026-13-45T00:00:00"])
def test_local_time_never_raises_and_shows_what_it_cannot_read(value):
    assert local_time(value)  # some text, never an exception


def test_the_app_starts_on_a_client_name_that_is_not_utf8_and_shows_it_mended(qtbot, sample_db):
    from desktop.window import MainWindow

    with_sql(
        sample_db,
        "UPDATE clients SET name = CAST(x'41ff42' AS TEXT) WHERE rowid = 1",
        "UPDATE client_goals SET title = x'47ff' WHERE rowid = 1",
        "UPDATE commitments SET deleted_at = '2026-01-01T00:00:00+00:00', title = x'43ff' "
        "WHERE rowid = 1",
    )
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.inspector.revert())
    window.show()
    qtbot.waitExposed(window)
    try:
        window.open_database(sample_db)
        names = [window.clients.list.item(r).text() for r in range(window.clients.list.count())]
        dialog = TrashDialog(None, ops.restore_item, ops.purge_item)
        qtbot.addWidget(dialog)
        titles = [dialog.table.item(r, TITLE_COL).text() for r in range(dialog.table.rowCount())]
    finally:
        close_database()
    assert "A\ufffdB" in names
    assert "C\ufffd" in titles
