"""An edit made on a stale copy is refused with a sentence, never written over another
session's change (issue 15: two coaches, or two windows, on one database)."""

from __future__ import annotations

import threading

import psycopg
import pytest

from store import ops
from store.errors import StaleEdit
from tests.store.conftest import snapshot

pytestmark = pytest.mark.both_backends


def test_an_edit_of_a_row_changed_since_it_was_read_is_refused_and_writes_nothing(tree):
    seen = ops.get_item(tree["sprint"])[1]["updated_at"]
    ops.update_item(tree["sprint"], title="Changed elsewhere")  # the other session's edit
    before = snapshot()
    with pytest.raises(StaleEdit, match=r"'Sprint 1: Changed elsewhere' was changed by another "):
        ops.update_item(tree["sprint"], seen=seen, title="My edit")
    assert snapshot() == before


def test_an_edit_of_the_row_as_it_is_goes_through(tree):
    seen = ops.get_item(tree["goal"])[1]["updated_at"]
    saved = ops.update_item(tree["goal"], seen=seen, title="Run two marathons")
    assert ops.get_item(tree["goal"])[1]["title"] == "Run two marathons"
    assert saved["updated_at"] != seen


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_change_committed_between_reading_and_writing_is_not_overwritten(db, tree):
    """On a team database another session holds the row changed, not yet committed, while this
    one edits: the UPDATE waits, finds the row is no longer the one it read, and refuses.
    (A SQLite file takes the write lock before reading, so there the edit reads theirs first;
    what the person saw is checked by `seen`, above.)"""
    conn = psycopg.connect(db)
    conn.execute(
        "UPDATE client_goals SET title = %s, updated_at = %s WHERE id = %s",
        ("Their title", "2026-12-02T10:42:00+00:00", tree["goal"]),
    )
    committer = threading.Timer(0.3, conn.commit)
    committer.start()
    try:
        with pytest.raises(StaleEdit, match="'Their title' was changed by another session"):
            ops.update_item(tree["goal"], title="My title")
    finally:
        committer.join()
        conn.close()
    assert ops.get_item(tree["goal"])[1]["title"] == "Their title"
