"""A title is text, never a terminal command: what `trellis` prints spells out control characters.

An imported title like "\\x1b]0;pwned\\x07" would otherwise set the terminal's title, "\\x1b[2J"
clear it, "\\r" write over a line and U+202E turn the rest of it around (issue 11, item 15).
Each test runs the real command and looks at the bytes it wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from cli.output import json_shown, shown
from tests.cli.conftest import REPO, run_trellis
from tests.legacy_factory import LegacyFile

SET_TITLE = "Set \x1b]0;pwned\x07 title"
CLEAR = "Clear \x1b[2J\x1b[H screen"
OVERWRITE = "Over\rwrite"
C1_CSI = "Red \x9b31m text"
BELL_BACKSPACE_DEL = "Bell \x07 back\x08space del\x7f"
REVERSED = "Reverse \u202eesrever"
SEPARATED = "Line\u2028break and\nnewline"
ORDINARY = "Zoë's family 👨\u200d👩\u200d👧 run 🏃"
HOSTILE = [SET_TITLE, CLEAR, OVERWRITE, C1_CSI, BELL_BACKSPACE_DEL, REVERSED, SEPARATED]
CLIENT = "Ana \x1b]0;client\x07 Silva"
TRASHED = f"{SET_TITLE} {REVERSED}"

# What a terminal acts on rather than shows: every C0/C1 control (tab and newline are layout),
# and the invisible characters that reorder or break a line.
INVISIBLE = set("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e") | set(
    "\u2066\u2067\u2068\u2069"
)


def raw_controls(output: bytes) -> list[str]:
    """The control characters that reached the output as they are (empty when it is safe)."""
    text = output.decode("utf-8")
    return [
        c for c in text if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in INVISIBLE
    ]


def assert_safe(result) -> None:
    for stream in (result.stdout, result.stderr):
        assert raw_controls(stream) == [], stream
        for byte in (b"\x1b", b"\x07", b"\r", b"\x08", b"\x7f", "\x9b".encode()):
            assert byte not in stream, stream
    assert b"Traceback" not in result.stderr, result.stderr


def strings_in(data) -> set[str]:
    """Every string in a decoded JSON document, keys and values."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set(data) | strings_in(list(data.values()))
    if isinstance(data, list):
        return set().union(*map(strings_in, data)) if data else set()
    return set()


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    """A database whose client, goals, outcome and commitment carry hostile titles; one trashed."""
    from store import ops
    from store.opening import close_database, open_database

    path = tmp_path / "hostile.db"
    open_database(path)
    try:
        client = ops.create_client(CLIENT)["id"]
        for title in [*HOSTILE, ORDINARY]:
            ops.create_goal(client, title)
        ops.create_outcome(client, CLEAR)
        doomed = ops.create_commitment(client, TRASHED)["id"]
        ops.delete_item(doomed)
    finally:
        close_database()
    return path


def test_shown_spells_out_control_characters_and_keeps_emoji_and_accents():
    assert shown(SET_TITLE) == "Set \\x1b]0;pwned\\x07 title"
    assert shown(OVERWRITE) == "Over\\rwrite"
    assert shown(C1_CSI) == "Red \\x9b31m text"
    assert shown(BELL_BACKSPACE_DEL) == "Bell \\x07 back\\x08space del\\x7f"
    assert shown(REVERSED) == "Reverse \\u202eesrever"
    assert shown(SEPARATED) == "Line\\u2028break and\nnewline"
    assert shown(SEPARATED, one_line=True) == "Line\\u2028break and\\nnewline"
    assert shown(ORDINARY) == ORDINARY


def test_json_shown_keeps_every_string_and_leaves_no_raw_control_character():
    data = {"titles": [*HOSTILE, ORDINARY]}
    text = json_shown(json.dumps(data, indent=2, ensure_ascii=False))
    assert json.loads(text) == data
    assert raw_controls(text.encode()) == []
    assert ORDINARY in text


def test_check_prints_hostile_titles_escaped_and_ordinary_unicode_as_is(hostile_db):
    result = run_trellis("check", db=hostile_db, text=False)
    assert result.returncode == 0, result.stderr
    assert_safe(result)
    out = result.stdout.decode()
    assert "Goal 'Set \\x1b]0;pwned\\x07 title'" in out
    assert "[Ana \\x1b]0;client\\x07 Silva]" in out
    # one finding per line: a newline in a title cannot start a line that looks like another
    assert "Goal 'Line\\u2028break and\\nnewline'" in out
    assert f"Goal '{ORDINARY}'" in out


@pytest.mark.parametrize("command", [["check", "--json"], ["trash", "--json"]], ids=str)
def test_json_output_is_valid_json_with_the_exact_titles_and_no_raw_controls(hostile_db, command):
    result = run_trellis(*command, db=hostile_db, text=False)
    assert result.returncode == 0, result.stderr
    assert_safe(result)
    texts = strings_in(json.loads(result.stdout))
    for title in [TRASHED, CLIENT] if command[0] == "trash" else [*HOSTILE, ORDINARY, CLIENT]:
        assert title in texts


def test_trash_and_restore_item_print_titles_and_the_client_escaped(hostile_db):
    listed = run_trellis("trash", db=hostile_db, text=False)
    assert listed.returncode == 0
    assert_safe(listed)
    assert b"Ana \\x1b]0;client\\x07 Silva" in listed.stdout
    [entry] = json.loads(run_trellis("trash", "--json", db=hostile_db).stdout)
    restored = run_trellis("restore-item", entry["id"], db=hostile_db, text=False)
    assert restored.returncode == 0
    assert_safe(restored)
    assert b"Set \\x1b]0;pwned\\x07 title" in restored.stdout


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_the_legacy_import_report_shows_hostile_titles_escaped(tmp_path, as_json):
    f = LegacyFile()
    client = f.client(CLIENT)
    goal = f.goal(client, CLEAR)
    f.sprint(client, 1, title=C1_CSI, goal=goal)
    f.commitment(client, REVERSED, goal=goal, metadata="{not json\x1b[2J")
    legacy = f.write(tmp_path / "legacy.db")
    flags = ["--json"] if as_json else []
    for args in (["--dry-run", *flags], flags):
        result = run_trellis("import-legacy", str(legacy), *args, db=tmp_path / "t.db", text=False)
        assert result.returncode == 0, result.stderr
        assert_safe(result)
        if as_json:
            assert any(CLEAR in text for text in strings_in(json.loads(result.stdout)))
        else:
            assert b"goal 'Clear \\x1b[2J\\x1b[H screen'" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{tmp}/evil\x1b[2J\nname.json"],
        ["export", "--to", "{tmp}/out\x1b]0;pwned\x07.json"],
        ["check", "\x1b[2J\u202e"],
        ["purge", "\x1b[2Jno-such-id", "--yes"],
        ["restore", "{tmp}/none\x9b2J.db", "--yes"],
    ],
    ids=["import-missing-file", "export-message", "argparse-extra", "purge-unknown", "restore"],
)
def test_a_message_quoting_a_file_name_or_argument_escapes_its_controls(hostile_db, args):
    tmp = hostile_db.parent
    result = run_trellis(*[a.format(tmp=tmp) for a in args], db=hostile_db, text=False)
    assert_safe(result)
    if result.returncode != 0:
        # a refusal stays one sentence on one line, whatever the name held
        assert result.stderr.count(b"\n") == 1 or result.stderr.startswith(b"usage:")


def test_backups_of_a_database_whose_name_holds_controls_print_it_escaped(tmp_path):
    db = tmp_path / "coach\x1b]0;pwned\x07.db"
    assert run_trellis("demo", db=db).returncode == 0
    for command in (["backup"], ["backups"], ["backups", "--json"], ["migrate", "--dry-run"]):
        result = run_trellis(*command, db=db, text=False)
        assert result.returncode == 0, result.stderr
        assert_safe(result)
    listed = json.loads(run_trellis("backups", "--json", db=db).stdout)
    assert listed and all(Path(b["path"]).exists() for b in listed)


def read_terminal(fd: int, until: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while until not in seen and time.monotonic() < deadline:
        seen += os.read(fd, 4096)
    assert until in seen, seen
    return seen


def test_the_restore_question_on_a_terminal_shows_the_file_name_escaped(hostile_db):
    """With a terminal on both ends, input() writes its prompt itself, past sys.stdout."""
    copy = hostile_db.parent / "copy \x1b]0;pwned\x07.db"
    assert run_trellis("backup", "--to", str(copy), db=hostile_db).returncode == 0
    terminal, child_end = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "restore", str(copy), "--db", str(hostile_db)],
        cwd=REPO,
        stdin=child_end,
        stdout=child_end,
        stderr=child_end,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    )
    os.close(child_end)
    try:
        asked = read_terminal(terminal, until=b"[y/N] ")
        os.write(terminal, b"n\n")
        assert proc.wait(timeout=60) == 0
    finally:
        os.close(terminal)
    # the terminal turns each newline into \r\n itself; nothing else may be a control
    assert raw_controls(asked.replace(b"\r\n", b"\n")) == [], asked
    assert b"copy \\x1b]0;pwned\\x07.db" in asked
