"""Export and backup targets: never a database or its side files; written whole or not at all.

Real files throughout: real databases, their real -wal/-shm files, symlinks and hard links.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from store import backup, exchange, targets
from store.errors import ValidationError
from tests.store.backup_support import file_state

REPO = Path(__file__).resolve().parents[2]


def sides(db: Path) -> dict[str, Path]:
    return {suffix: Path(f"{db}{suffix}") for suffix in ("-wal", "-shm", "-journal")}


# ---------------------------------------------------------------- which targets are refused


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_side_file_name_of_the_open_database_is_refused_whether_or_not_it_exists(
    db, tree, suffix
):
    # In WAL mode D-journal does not exist; written, it would be rolled back into D.
    target = sides(db)[suffix]
    assert (suffix == "-journal") != target.exists()
    assert targets.why_unsafe(target) == f"a side file of the database {db}"


def test_a_side_file_of_a_database_that_is_not_open_is_refused_too(db, tree, tmp_path):
    other = tmp_path / "other.db"
    backup.backup_to(other)
    for name in ("other.db-wal", "other.db-shm", "other.db-journal", "other.db-mj1a2b3c4d"):
        assert targets.why_unsafe(tmp_path / name) == f"a side file of the database {other}"


def test_a_symlink_or_hard_link_to_the_database_is_refused(db, tree, tmp_path):
    (tmp_path / "soft.json").symlink_to(db)
    os.link(db, tmp_path / "hard.json")
    assert targets.why_unsafe(tmp_path / "soft.json") == "a database"
    assert targets.why_unsafe(tmp_path / "hard.json") == "a database"


def test_a_symlink_or_hard_link_to_the_open_databases_wal_is_refused(db, tree, tmp_path):
    wal = sides(db)["-wal"]
    (tmp_path / "soft.json").symlink_to(wal)
    os.link(wal, tmp_path / "hard.json")
    assert targets.why_unsafe(tmp_path / "soft.json") == f"a side file of the database {db}"
    # A hard link has a name of its own: the same inode, or the WAL's first bytes, give it away.
    assert targets.why_unsafe(tmp_path / "hard.json") is not None


def test_a_dangling_symlink_to_a_journal_that_does_not_exist_yet_is_refused(db, tree, tmp_path):
    (tmp_path / "report.json").symlink_to(sides(db)["-journal"])
    assert targets.why_unsafe(tmp_path / "report.json") == f"a side file of the database {db}"


def test_the_open_database_is_refused_by_a_name_through_a_symlinked_folder(db, tree, tmp_path):
    (tmp_path / "alias").symlink_to(db.parent, target_is_directory=True)
    assert targets.why_unsafe(tmp_path / "alias" / f"{db.name}-journal") is not None
    assert targets.why_unsafe(tmp_path / "alias" / db.name) == "a database"


def test_an_ordinary_target_is_accepted(db, tree, tmp_path):
    (tmp_path / "old.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes-wal").write_text("not beside any database", encoding="utf-8")
    for name in ("new.json", "old.json", "notes-wal", "trellis.db.json"):
        assert targets.why_unsafe(tmp_path / name) is None


def test_the_name_of_the_open_databases_backups_folder_is_refused(db, tree):
    assert not backup.backups_dir(db).exists()
    assert targets.why_unsafe(backup.backups_dir(db)) == "where the open database's backups go"


def test_a_fifo_target_is_judged_without_blocking_on_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert targets.why_unsafe(fifo) is None  # opening it to read its header would hang


def test_export_to_a_side_file_raises_one_sentence_and_writes_nothing(db, tree):
    wal = sides(db)["-wal"]
    before = file_state(db)
    with pytest.raises(ValidationError) as refused:
        exchange.export_to(wal)
    assert str(refused.value) == (
        f"{wal} is a side file of the database {db}, and an export would overwrite it; "
        "give a .json file name."
    )
    assert file_state(db) == before


def test_backup_to_the_journal_name_is_refused_and_writes_nothing(db, tree):
    journal = sides(db)["-journal"]
    with pytest.raises(ValidationError, match="a backup would overwrite it"):
        backup.backup_to(journal)
    assert not journal.exists()
    assert list(db.parent.glob(".*.partial")) == []


def test_a_new_folder_named_like_a_side_file_of_the_database_is_refused(db, tree):
    # A folder D-journal would stand where SQLite must write D's journal.
    target = sides(db)["-journal"] / "out.json"
    with pytest.raises(ValidationError, match="in a new folder trellis.db-journal"):
        exchange.export_to(target)
    assert not target.parent.exists()


def test_backup_to_a_name_with_a_stray_wal_beside_it_is_refused(db, tree, tmp_path):
    # Left by a deleted database or a killed program: SQLite would apply it to the new copy.
    stray = tmp_path / "copy.db-wal"
    stray.write_bytes(sides(db)["-wal"].read_bytes())
    with pytest.raises(ValidationError, match="copy.db-wal is already there"):
        backup.backup_to(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


# ---------------------------------------------------------------- writing whole or not at all


def test_a_failed_write_leaves_the_old_file_byte_for_byte_and_no_temporary_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b'{"old": true}\n')

    def half_then_fail(temp: Path) -> None:
        temp.write_bytes(b'{"new": ')
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        targets.write_atomically(target, half_then_fail)
    assert target.read_bytes() == b'{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from store import targets

def half_then_killed(temp):
    temp.write_bytes(b'{"new": ')
    os.kill(os.getpid(), signal.SIGKILL)

targets.write_atomically(Path(sys.argv[1]), half_then_killed)
"""


def test_a_write_killed_midway_leaves_the_old_file_and_the_next_write_clears_its_leftover(
    tmp_path,
):
    target = tmp_path / "report.json"
    target.write_bytes(b'{"old": true}\n')
    killed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), str(target)], cwd=REPO
    )
    assert killed.returncode == -9
    assert target.read_bytes() == b'{"old": true}\n'
    (leftover,) = tmp_path.glob(".report.json.*.partial")
    old = time.time() - 2 * targets.STALE_TEMP_SECONDS
    os.utime(leftover, (old, old))
    targets.write_atomically(target, lambda temp: temp.write_bytes(b"{}\n"))
    assert target.read_bytes() == b"{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_target_whose_name_is_as_long_as_a_name_may_be_is_written(tmp_path):
    target = tmp_path / ("a" * 250 + ".json")
    targets.write_atomically(target, lambda temp: temp.write_bytes(b"{}\n"))
    assert target.read_bytes() == b"{}\n"


def test_a_pipe_named_through_proc_self_fd_is_written_in_place():
    read_end, write_end = os.pipe()
    target = Path(f"/proc/self/fd/{write_end}")  # what /dev/stdout names when piped
    try:
        targets.write_atomically(target, lambda path: path.write_bytes(b"{}\n"))
    finally:
        os.close(write_end)
    assert os.read(read_end, 100) == b"{}\n"
    os.close(read_end)


def test_a_read_only_file_is_never_replaced(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"keep me\n")
    target.chmod(0o444)
    with pytest.raises(targets.NotWritten, match="read-only") as raised:
        targets.write_atomically(target, lambda temp: temp.write_bytes(b"{}\n"))
    assert raised.value.errno == errno.EACCES and raised.value.filename == str(target)
    assert target.read_bytes() == b"keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    targets.write_atomically(target, lambda temp: temp.write_bytes(b"new\n"))
    assert target.read_bytes() == b"new\n" and target.stat().st_mode & 0o777 == 0o640


def test_writing_through_a_symlink_replaces_the_file_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "report.json"
    real.write_bytes(b"old\n")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    targets.write_atomically(link, lambda temp: temp.write_bytes(b"new\n"))
    assert link.is_symlink() and real.read_bytes() == b"new\n"


# ---------------------------------------------------------------- one backups folder per file


def backups_of(db: Path) -> list[str]:
    return [path.name for path, _when, _reason in backup.backup_files(db)]


def test_coach_db_and_coach_sqlite_never_list_each_others_backups(db, tree, tmp_path):
    coach_db, coach_sqlite = tmp_path / "coach.db", tmp_path / "coach.sqlite"
    for twin in (coach_db, coach_sqlite):
        backup.backup_to(twin)
    made_db = backup.backup_file(coach_db, "manual")
    made_sqlite = backup.backup_file(coach_sqlite, "manual")
    assert made_db.name.startswith("coach.db.") and made_sqlite.name.startswith("coach.sqlite.")
    assert backups_of(coach_db) == [made_db.name]
    assert backups_of(coach_sqlite) == [made_sqlite.name]
    assert [info.path for info in backup.list_backups(coach_db)] == [made_db]


def test_backing_up_one_database_never_thins_the_others_backups(db, tree, tmp_path):
    coach_db, coach_sqlite = tmp_path / "coach.db", tmp_path / "coach.sqlite"
    for twin in (coach_db, coach_sqlite):
        backup.backup_to(twin)
    good = backup.backup_file(coach_sqlite, "manual")
    history = old_copies(coach_sqlite, good, range(2, 400, 3))
    backup.backup_file(coach_db, "manual")
    assert all(path.exists() for path in history)
    assert len(backups_of(coach_sqlite)) == len(history) + 1


def old_copies(db: Path, source: Path, days_ago, name=backup.backup_name) -> list[Path]:
    """Real verified backups of `db`, named as if taken on earlier days."""
    made = []
    for days in days_ago:
        target = backup.backups_dir(db) / name(db, "auto", datetime_days_ago(days))
        shutil.copyfile(source, target)
        made.append(target)
    return made


def datetime_days_ago(days: int) -> datetime:
    return datetime.now() - timedelta(days=days)


def old_style_name(db: Path, reason: str, when) -> str:
    """How backups were named before they were keyed by the whole file name."""
    return f"{db.stem}_{when.strftime(backup.STAMP_FORMAT)}_{reason}.db"


def test_backups_are_named_by_the_whole_file_name_and_old_stem_named_ones_still_count(
    db, tree, tmp_path
):
    good = backup.make_backup("manual")
    assert good.name.startswith("trellis.db.")
    (older,) = old_copies(db, good, [3], name=old_style_name)
    assert older.name.startswith("trellis_")
    assert backups_of(db) == [good.name, older.name]  # the only database with that stem
    assert backup.parse_name(older, db)[1] == "auto"


def test_backups_named_the_old_way_are_nobodys_when_two_databases_share_the_stem(
    db, tree, tmp_path
):
    coach_db, coach_sqlite = tmp_path / "coach.db", tmp_path / "coach.sqlite"
    for twin in (coach_db, coach_sqlite):
        backup.backup_to(twin)
    good = backup.backup_file(coach_db, "manual")
    ambiguous = old_copies(coach_db, good, range(2, 400, 3), name=old_style_name)
    backup.backup_file(coach_sqlite, "manual")
    backup.backup_file(coach_db, "manual")
    assert all(path.exists() for path in ambiguous)  # thinned by neither
    for twin in (coach_db, coach_sqlite):
        assert not set(backups_of(twin)) & {path.name for path in ambiguous}


# ---------------------------------------------------------------- a failed write names its target


def denied_like_os_open(temp: Path) -> None:
    """What opening the temporary file raises where its folder may not be written."""
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(temp))


def test_a_denied_write_names_the_target_says_what_to_do_and_leaves_nothing(tmp_path):
    target = tmp_path / "new" / "sub" / "report.pdf"
    with pytest.raises(targets.NotWritten) as raised:
        targets.write_atomically(target, denied_like_os_open)
    error = raised.value
    assert error.filename == str(target) and error.errno == errno.EACCES
    assert error.sentence == (
        f"Cannot write {target}: permission denied; choose a folder you can write to."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nor the folders made for it


def test_a_full_disk_while_filling_is_named_for_the_target_and_its_temp_file_removed(tmp_path):
    target = tmp_path / "export.json"
    target.write_bytes(b"old\n")

    def full(temp: Path) -> None:
        temp.write_bytes(b"{")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temp))

    with pytest.raises(targets.NotWritten) as raised:
        targets.write_atomically(target, full)
    assert raised.value.strerror == os.strerror(errno.ENOSPC)  # what export's message quotes
    assert raised.value.sentence == (
        f"Cannot write {target}: the disk is full; free some space or choose another disk."
    )
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_a_folder_on_the_way_that_is_a_file_is_named_for_the_target(tmp_path):
    (tmp_path / "notes.txt").write_bytes(b"mine\n")
    target = tmp_path / "notes.txt" / "report.pdf"
    with pytest.raises(targets.NotWritten) as raised:
        targets.write_atomically(target, lambda temp: temp.write_bytes(b"%PDF"))
    assert raised.value.sentence == (
        f"Cannot write {target}: a folder on its path is a file; choose another folder."
    )
    assert (tmp_path / "notes.txt").read_bytes() == b"mine\n"


def test_a_read_only_file_s_refusal_names_the_file_as_given(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "report.json"
    real.write_bytes(b"keep me\n")
    real.chmod(0o444)
    link = tmp_path / "report.json"
    link.symlink_to(real)
    with pytest.raises(targets.NotWritten) as raised:
        targets.write_atomically(link, lambda temp: temp.write_bytes(b"{}\n"))
    assert raised.value.sentence == (
        f"Cannot write {link}: the file is read-only; choose another name, or make the file "
        "writable."
    )


def test_an_error_about_another_file_than_the_target_is_raised_as_it_was(tmp_path):
    source = tmp_path / "gone.db"

    def reads_a_missing_source(temp: Path) -> None:
        source.read_bytes()

    with pytest.raises(FileNotFoundError) as raised:
        targets.write_atomically(tmp_path / "copy.db", reads_a_missing_source)
    assert not isinstance(raised.value, targets.NotWritten)
    assert raised.value.filename == str(source)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_interrupted_write_leaves_neither_its_temporary_file_nor_its_folders(tmp_path):
    def interrupted(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        targets.write_atomically(tmp_path / "a" / "b" / "out.json", interrupted)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
