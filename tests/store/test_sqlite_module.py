"""SQLite in one place: one identify_file for every caller, the models behind one proxy."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from peewee import DatabaseProxy

from store import legacy, models, ops, restore
from store.errors import FileRefused
from store.load import load_hierarchy
from store.opening import close_database, open_database
from store.sqlite import NotText, decode_text
from tests.factories import another_programs_file
from tests.legacy_factory import numbered_file, write_raw


def refusals(path: Path, tmp_path: Path) -> dict[str, str]:
    """The sentence each way of using `path` refuses it with: open, restore, a legacy dry run."""
    legacy_file = numbered_file(("Ann", "Bob"), "old").write(tmp_path / "legacy.db")
    found = {}
    for use, attempt in (
        ("open", lambda: open_database(path)),
        ("restore", lambda: restore.check_restorable(path)),
        ("legacy dry run", lambda: legacy.plan_import(legacy_file, path)),
    ):
        with pytest.raises(FileRefused) as refused:
            attempt()
        found[use] = str(refused.value)
        close_database()
    return found


def test_a_newer_file_is_refused_with_one_sentence_by_open_restore_and_a_dry_run(db, tmp_path):
    close_database()  # its WAL goes into the file, which is then copied whole
    newer = tmp_path / "newer.db"
    newer.write_bytes(db.read_bytes())
    write_raw(newer, f"PRAGMA user_version = {models.SCHEMA_VERSION + 1}")
    found = refusals(newer, tmp_path)
    assert set(found.values()) == {
        f"newer.db was written by a newer Trellis (schema {models.SCHEMA_VERSION + 1}; this one "
        f"reads up to {models.SCHEMA_VERSION}): update Trellis to use it."
    }, found


def test_another_programs_file_without_tables_is_foreign_to_a_dry_run_as_to_opening(tmp_path):
    """It has another program's application id: taking it for a new, empty database (as the
    dry run did) would plan an import that the real run then refuses."""
    other = tmp_path / "other.db"
    write_raw(other, "PRAGMA application_id = 42")
    before = other.read_bytes()
    found = refusals(other, tmp_path)
    assert set(found.values()) == {
        "other.db is a SQLite file from another program, not a Trellis database."
    }, found
    assert other.read_bytes() == before


def test_a_damaged_file_is_refused_in_the_same_words_by_open_restore_and_a_dry_run(db, tmp_path):
    close_database()
    broken = tmp_path / "broken.db"
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, after a sound header
    broken.write_bytes(bytes(data))
    found = refusals(broken, tmp_path)
    for sentence in found.values():
        assert sentence.startswith("broken.db is damaged (") and sentence.endswith(
            "), so it cannot be used."
        ), found


def test_another_programs_file_in_a_folder_named_with_uri_characters_is_refused(tmp_path):
    """Identifying a file reads it through a file: URI. Unescaped, '#' cut the URI short: the
    file was taken for a new database (our tables were created in another program's file) and
    SQLite created an empty file at the cut-off name instead."""
    folder = tmp_path / "coach #1?draft"
    folder.mkdir()
    other = folder / "other.db"
    another_programs_file(other, "things (id INTEGER)")
    before = other.read_bytes()
    with pytest.raises(FileRefused, match="another program"):
        open_database(other)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coach #1?draft"]


def test_the_models_are_bound_to_one_proxy_that_opening_points_at_the_file(db):
    assert isinstance(models.database, DatabaseProxy)
    assert {model._meta.database for model in models.ALL_MODELS} == {models.database}
    assert Path(models.database.obj.database) == db
    # BEGIN IMMEDIATE: a writer waits for the lock instead of failing on a stale snapshot.
    with models.database.atomic():
        assert models.database.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
    assert models.database.obj._lock_type == "IMMEDIATE"


def test_saving_positions_writes_an_upsert_not_sqlites_replace(db, tree, caplog):
    """REPLACE is SQLite's (and MySQL's) alone; INSERT … ON CONFLICT also runs on PostgreSQL."""
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        ops.set_positions(tree["root"], {tree["goal"]: (10.0, 20.0)})
        ops.set_positions(tree["root"], {tree["goal"]: (30.0, 40.0)})
    statements = [str(record.msg[0]) for record in caplog.records if record.name == "peewee"]
    assert not [s for s in statements if s.lstrip().upper().startswith("REPLACE")]
    saved = models.NodePosition.get_by_id(tree["goal"])
    assert (saved.x, saved.y) == (30.0, 40.0)


def test_a_fast_read_that_meets_text_not_utf8_reads_again_and_mends_it(db, tree):
    """store.load lets sqlite3 decode text itself (no Python call per cell); a title that is
    not UTF-8 stops that read, and the second, safe read mends it, a BLOB too: every item is
    there, and the connection reads the safe way again afterwards."""
    models.database.execute_sql(
        "UPDATE client_goals SET title = CAST(? AS TEXT) WHERE id = ?",
        [b"Run \xff far", tree["goal"]],
    )
    models.database.execute_sql(
        "UPDATE commitments SET description = ? WHERE id = ?", [b"\x00\x01", tree["commitment"]]
    )
    h = load_hierarchy(tree["root"])
    assert set(h.items) == {tree[k] for k in ("goal", "outcome", "sprint", "commitment")}
    title = h.items[tree["goal"]].title
    assert isinstance(title, NotText) and title == "Run \ufffd far"
    assert isinstance(h.items[tree["commitment"]].fields["description"], NotText)
    assert type(h.items[tree["outcome"]].title) is str
    assert models.database.obj.connection().text_factory is decode_text


def test_a_fast_read_gives_sound_text_exactly_as_written(db, tree):
    title = "Rennen 🏃 <b>&amp;</b> ünd \u2028 weiter"
    ops.update_item(tree["goal"], title=title)
    read = load_hierarchy(tree["root"]).items[tree["goal"]].title
    assert read == title and type(read) is str
