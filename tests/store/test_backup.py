"""Backups: verified before they count, named by time, thinned like Anki's, kept on failure."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from store import backup, ops, sqlite
from store.backup import BackupFailed, obsolete_backups
from store.exchange import export_document
from store.models import database
from store.opening import close_database, open_database
from store.restore import restore_file
from store.sqlite import APPLICATION_ID
from tests.store.backup_support import corrupt_pages, export_of, pragma


def test_backup_is_a_verified_single_file_named_by_time_in_the_backups_folder(db, tree):
    made = backup.make_backup("manual")
    assert made.parent == db.parent / "backups"
    taken, reason = backup.parse_name(made, db)
    assert reason == "manual" and abs(datetime.now() - taken) < timedelta(minutes=5)
    assert pragma(made, "quick_check") == [("ok",)]
    assert pragma(made, "application_id") == [(APPLICATION_ID,)]
    assert pragma(made, "journal_mode") == [("delete",)]
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]


def test_backup_holds_exactly_what_the_database_holds(db, tree, tmp_path):
    ops.set_positions(tree["root"], {tree["goal"]: (1.0, 2.0)})
    made = backup.make_backup("manual")
    assert export_of(made, tmp_path) == export_document()


def test_backup_taken_inside_a_transaction_holds_only_committed_rows(db, tree, tmp_path):
    with database.atomic():
        ops.create_client("Not yet committed")
        made = backup.make_backup("manual")
    names = [c["name"] for c in export_of(made, tmp_path)["clients"]]
    assert names == ["Ana Silva"]


def test_backup_to_a_chosen_file_verifies_and_reports_progress(db, tree, tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite, "STEP_PAGES", 2)
    seen: list[tuple[int, int]] = []
    target = backup.backup_to(tmp_path / "elsewhere" / "copy.db", lambda d, t: seen.append((d, t)))
    assert pragma(target, "quick_check") == [("ok",)]
    assert len(seen) > 2
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_purge_takes_a_verified_backup_that_still_holds_the_purged_item(db, tree, tmp_path):
    ops.delete_item(tree["commitment"])
    ops.purge_item(tree["commitment"])
    (made,) = (p for p, _when, reason in backup.backup_files(db) if reason == "purge")
    assert pragma(made, "quick_check") == [("ok",)]
    ids = [c["id"] for c in export_of(made, tmp_path)["commitments"]]
    assert ids == [tree["commitment"]]


def test_safety_backup_of_an_in_memory_database_is_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_database(":memory:")
    try:
        ops.create_client("Ana Silva")
        assert backup.safety_backup("purge") is None
        assert backup.auto_backup_if_changed() is None
        assert list(tmp_path.iterdir()) == []
    finally:
        close_database()


# ---------------------------------------------------------------- automatic backups


def test_auto_backup_skips_a_fresh_database_with_no_changes(db):
    assert backup.auto_backup_if_changed() is None
    assert backup.backup_files(db) == []


def test_auto_backup_runs_only_when_something_changed_since_the_last_backup(db, client):
    first = backup.auto_backup_if_changed()
    assert first is not None and backup.parse_name(first, db)[1] == "auto"
    assert backup.auto_backup_if_changed() is None
    ops.create_goal(client["id"], "Sleep eight hours")
    second = backup.auto_backup_if_changed()
    assert second is not None and second != first
    assert backup.auto_backup_if_changed() is None


def test_auto_backup_counts_a_manual_backup_as_the_last_backup(db, client):
    backup.make_backup("manual")
    assert backup.auto_backup_if_changed() is None


def test_auto_backup_sees_a_change_that_reuses_the_newest_audit_id(db, client, tmp_path):
    """After restoring an older state, new edits reuse audit ids; their time tells them apart."""
    made = backup.make_backup("manual")
    ops.create_goal(client["id"], "Goal A")
    marker_a = backup.change_marker(db)
    restore_file(made)
    ops.create_goal(client["id"], "Goal B")
    marker_b = backup.change_marker(db)
    assert marker_a[0] == marker_b[0] and marker_a != marker_b
    assert backup.auto_backup_if_changed() is not None


# ---------------------------------------------------------------- failures keep good backups


# At most: the new one and its sibling from today, then 12 daily, 10 weekly, 9 monthly.
KEPT_AT_MOST = 2 + 12 + 10 + 9


def old_backups(db: Path, source: Path, days_ago: list[int]) -> list[Path]:
    """Real verified backups, renamed as if they had been taken on earlier days."""
    made = []
    for days in days_ago:
        when = datetime.now() - timedelta(days=days)
        target = backup.backups_dir(db) / backup.backup_name(db, "auto", when)
        shutil.copyfile(source, target)
        made.append(target)
    return made


def damage_live_database(db: Path) -> None:
    close_database()
    corrupt_pages(db)
    open_database(db)


def test_a_failed_backup_keeps_every_earlier_backup_and_leaves_no_partial_file(db, tree):
    good = backup.make_backup("manual")
    history = old_backups(db, good, list(range(2, 400, 3)))
    before = sorted(p.name for p in backup.backups_dir(db).iterdir())
    damage_live_database(db)
    for _attempt in range(5):
        with pytest.raises(BackupFailed, match="did not verify"):
            backup.auto_backup_if_changed()
    assert sorted(p.name for p in backup.backups_dir(db).iterdir()) == before
    assert len(history) > KEPT_AT_MOST


def test_thinning_happens_after_a_good_backup(db, tree):
    good = backup.make_backup("manual")
    old_backups(db, good, list(range(2, 400, 3)))
    newest = backup.make_backup("manual")
    left = backup.backup_files(db)
    assert newest in [p for p, _w, _r in left]
    assert len(left) <= KEPT_AT_MOST + 2


def test_a_stale_partial_copy_is_removed_but_a_fresh_one_is_left_alone(db, tree):
    import os

    folder = backup.backups_dir(db)
    folder.mkdir()
    stale, fresh = folder / ".x.db.partial", folder / ".y.db.partial"
    stale.write_bytes(b"half a backup")
    fresh.write_bytes(b"another backup in progress")
    old = datetime.now().timestamp() - 2 * backup.STALE_PARTIAL_SECONDS
    os.utime(stale, (old, old))
    backup.make_backup("manual")
    assert not stale.exists() and fresh.exists()


# ---------------------------------------------------------------- Anki's thinning rule


def every_day(today: date, days: int) -> list[tuple[Path, datetime]]:
    """One backup at noon each day before yesterday, three today and two yesterday."""
    taken = [
        (Path(f"today-{h}"), datetime.combine(today, datetime.min.time()) + timedelta(hours=h))
        for h in (1, 9, 17)
    ]
    yesterday = today - timedelta(days=1)
    taken += [
        (
            Path(f"yesterday-{h}"),
            datetime.combine(yesterday, datetime.min.time()) + timedelta(hours=h),
        )
        for h in (8, 20)
    ]
    for back in range(2, days):
        day = today - timedelta(days=back)
        taken.append(
            (
                Path(day.isoformat()),
                datetime.combine(day, datetime.min.time()) + timedelta(hours=12),
            )
        )
    return taken


def test_thinning_keeps_today_yesterday_then_12_daily_10_weekly_9_monthly():
    today = date(2026, 3, 31)
    taken = every_day(today, 420)
    obsolete = set(obsolete_backups(taken, today))
    kept = [p.name for p, _ in taken if p not in obsolete]
    daily = [(today - timedelta(days=d)).isoformat() for d in range(2, 14)]
    # Newest of each week, of each month (a month boundary met among weeks spends a month slot).
    older = (
        "2026-03-15 2026-03-08 2026-03-01 2026-02-28 2026-02-22 2026-02-15 2026-02-08 "
        "2026-02-01 2026-01-31 2026-01-25 2026-01-18 2026-01-11 2025-12-31 2025-11-30 "
        "2025-10-31 2025-09-30 2025-08-31 2025-07-31 2025-06-30"
    ).split()
    recent = ["today-1", "today-9", "today-17", "yesterday-8", "yesterday-20"]
    assert kept == recent + daily + older
    assert len(daily) + len(older) == 12 + 10 + 9


def test_thinning_keeps_the_newest_backup_of_each_kept_day():
    today = date(2026, 3, 31)
    day = datetime(2026, 3, 20)
    taken = [(Path(f"h{h}"), day + timedelta(hours=h)) for h in (3, 11, 22)]
    assert sorted(p.name for p in obsolete_backups(taken, today)) == ["h11", "h3"]


def test_thinning_never_drops_backups_from_today_or_yesterday():
    today = date(2026, 3, 31)
    taken = [(Path(f"b{n}"), datetime(2026, 3, 30) + timedelta(minutes=30 * n)) for n in range(90)]
    assert obsolete_backups(taken, today) == []


# ---------------------------------------------------------------- listing


def test_list_backups_shows_date_size_and_live_items_per_kind(db, tree):
    ops.delete_item(tree["sprint"])
    made = backup.make_backup("manual")
    (info,) = backup.list_backups(db)
    assert info.path == made and info.reason == "manual" and info.size == made.stat().st_size
    assert info.counts == {
        "client": 1,
        "goal": 1,
        "outcome": 1,
        "sprint": 0,
        "commitment": 1,
        "session": 0,
    }
    assert info.problem is None


def test_list_backups_marks_a_damaged_file_instead_of_failing(db, tree):
    made = backup.make_backup("manual")
    made.write_bytes(b"garbage")
    (info,) = backup.list_backups(db)
    assert info.counts is None and "not a SQLite file" in info.problem


def test_list_backups_ignores_other_databases_backups_in_the_same_folder(db, tree, tmp_path):
    made = backup.make_backup("manual")
    shutil.copyfile(made, made.with_name(made.name.replace(db.stem, "other", 1)))
    assert [i.path for i in backup.list_backups(db)] == [made]


def test_newest_good_backup_skips_a_damaged_newer_one(db, tree):
    good = backup.make_backup("manual")
    ops.create_goal(tree["root"], "Later")
    damaged = backup.make_backup("manual")
    corrupt_pages(damaged)
    assert backup.newest_good_backup(db) == good
    good.write_bytes(b"")
    assert backup.newest_good_backup(db) is None
