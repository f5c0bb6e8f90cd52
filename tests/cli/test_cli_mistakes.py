"""What a person gets wrong at the command line: each is one sentence, no traceback (DESIGN §6).

Like the store's tiny-disk tests, some use what Linux gives (a pty, /proc, /dev/full): the
project is built and tested on Linux, and a test that cannot run should fail, not hide.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, json_out, run_trellis


def start_trellis(*args: str, stdin=None) -> subprocess.Popen:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=hear_ctrl_c,
    )


def hear_ctrl_c() -> None:
    """Ctrl-C reaches trellis as it does from a terminal, even when the test run itself was
    started in the background by a shell without job control (which ignores SIGINT, and a
    child inherits that: Python would then never raise KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def read_until(proc: subprocess.Popen, text: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    assert text in seen, seen
    return seen


def answer_on_a_terminal(args: list[str], question: bytes, answer) -> tuple[int, str, str]:
    """Run trellis with a terminal as stdin, wait for `question`, then `answer(proc, terminal)`;
    returns the exit code, stdout and stderr."""
    terminal, child_end = os.openpty()
    proc = start_trellis(*args, stdin=child_end)
    os.close(child_end)
    try:
        asked = read_until(proc, question)
        answer(proc, terminal)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(terminal)
    return proc.returncode, (asked + out).decode(), err.decode()


def say_no(_proc, terminal) -> None:
    os.write(terminal, b"n\n")


def ctrl_d(_proc, terminal) -> None:
    os.write(terminal, b"\x04")


def ctrl_c(proc, _terminal) -> None:
    # Python only notices a signal that interrupts the read, not one that lands just before it.
    deadline = time.monotonic() + 60
    while not is_sleeping(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)


def is_sleeping(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] == "S"


def trashed_id(db: Path) -> str:
    [entry] = json_out(run_trellis("trash", "--json", db=db))
    return entry["id"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("answer", [ctrl_d, ctrl_c], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_or_ctrl_c_at_the_purge_question_purges_nothing_without_a_traceback(demo_db, answer):
    item = trashed_id(demo_db)
    before = demo_db.read_bytes()
    code, _out, err = answer_on_a_terminal(
        ["purge", item, "--db", str(demo_db)], b"for good? [y/N]", answer
    )
    assert code == 0 and "Traceback" not in err, err
    assert demo_db.read_bytes() == before
    assert trashed_id(demo_db) == item


@pytest.mark.parametrize("answer", [ctrl_d, ctrl_c], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_or_ctrl_c_at_the_restore_question_restores_nothing_without_a_traceback(
    demo_db, answer
):
    assert run_trellis("backup", db=demo_db).returncode == 0
    [made] = (demo_db.parent / "backups").iterdir()
    before = demo_db.read_bytes()
    code, out, err = answer_on_a_terminal(
        ["restore", str(made), "--db", str(demo_db)], b"[y/N]", answer
    )
    assert code == 0 and "Traceback" not in err, err
    assert out.strip().splitlines()[-1] == "Nothing was restored."
    assert demo_db.read_bytes() == before


@pytest.mark.parametrize("command", ["purge", "restore"])
def test_declining_the_purge_or_restore_question_exits_0_and_says_nothing_changed(demo_db, command):
    assert run_trellis("backup", db=demo_db).returncode == 0
    [made] = (demo_db.parent / "backups").iterdir()
    target = trashed_id(demo_db) if command == "purge" else str(made)
    before = sha256(demo_db)
    code, out, err = answer_on_a_terminal([command, target, "--db", str(demo_db)], b"[y/N]", say_no)
    assert (code, err) == (0, "")
    said = {"purge": "Nothing was purged.", "restore": "Nothing was restored."}[command]
    # The terminal, not stdout, echoes the answer and its newline.
    assert out.rsplit("[y/N] ", 1)[1].strip() == said
    assert sha256(demo_db) == before


def has_open(pid: int, name: str) -> bool:
    folder = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd).endswith(name) for fd in folder.iterdir())
    except OSError:
        return False


def test_ctrl_c_during_a_command_says_interrupted_exits_130_and_changes_nothing(demo_db):
    # Another writer holds the database, so `demo` waits inside its transaction for the lock.
    writer = sqlite3.connect(demo_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        before = writer.execute("SELECT count(*) FROM clients").fetchone()
        proc = start_trellis("demo", "--db", str(demo_db))
        deadline = time.monotonic() + 60
        while not has_open(proc.pid, "trellis.db-wal") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert proc.returncode == 130, err
    assert err.decode().strip() == "trellis: Interrupted; the database keeps its last saved state."
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT count(*) FROM clients").fetchone() == before
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--json", "--client", "Maya Okafor"],
        ["export", "--to", "{tmp}/out.json"],
        ["trash", "--json"],
        ["restore-item", "some-id"],
        ["purge", "some-id", "--yes"],
    ],
    ids=lambda args: args[0],
)
def test_a_mistyped_db_path_is_refused_instead_of_creating_an_empty_database(tmp_path, args):
    typo = tmp_path / "folder" / "trelis.db"
    result = run_trellis(*[a.format(tmp=tmp_path) for a in args], db=typo)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"trellis: There is no database at {typo}, so there is ")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("target", "sentence"),
    [
        (".", "Cannot export to {to}: it is a folder; give a file name."),
        (
            "/dev/full",
            "Cannot export to {to} (No space left on device); nothing was exported.",
        ),
    ],
    ids=["folder", "disk-full"],
)
def test_export_that_cannot_write_names_the_export_file_not_the_database(
    demo_db, tmp_path, target, sentence
):
    to = tmp_path / target if not target.startswith("/") else Path(target)
    result = run_trellis("export", "--to", str(to), db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "trellis: " + sentence.format(to=to, tmp=tmp_path) + "\n"


def test_export_never_writes_over_a_database_file(demo_db, tmp_path):
    other = tmp_path / "other.db"
    other.write_bytes(demo_db.read_bytes())
    for target in (demo_db, other):  # the open database itself (--to = --db), or another one
        before = sha256(target)
        result = run_trellis("export", "--to", str(target), db=demo_db)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (
            f"trellis: {target} is a database, and an export would overwrite it; "
            "give a .json file name.\n"
        )
        assert sha256(target) == before
    assert json_out(run_trellis("check", "--json", db=demo_db))["ok"] is True


def test_export_into_a_folder_that_does_not_exist_creates_the_folder(demo_db, tmp_path):
    to = tmp_path / "new" / "deeper" / "out.json"
    before = sha256(demo_db)
    result = run_trellis("export", "--to", str(to), db=demo_db)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert json_out(run_trellis("check", "--json", db=demo_db))["ok"] is True
    assert json.loads(to.read_text(encoding="utf-8"))["format"] == "trellis"
    assert sha256(demo_db) == before


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda f: None, "There is no file {f}."),
        (lambda f: f.mkdir(), "{f} is a folder, not a Trellis export file."),
        (
            lambda f: f.write_bytes(b"\xff\xfe\x00"),
            "in.json is not a Trellis export (it is not JSON text).",
        ),
        (
            lambda f: f.write_text('{"format": "trellis", "version": true}'),
            "in.json is export version True; this Trellis reads version 1.",
        ),
    ],
    ids=["missing", "folder", "binary", "version-true"],
)
def test_import_of_a_file_that_is_not_an_export_is_one_sentence_and_changes_nothing(
    demo_db, tmp_path, make, sentence
):
    given = tmp_path / "in.json"
    make(given)
    before = demo_db.read_bytes()
    result = run_trellis("import", str(given), db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "trellis: " + sentence.format(f=given) + "\n"
    assert demo_db.read_bytes() == before


def test_an_unknown_client_names_the_clients_there_are_and_an_empty_database_says_so(
    demo_db, tmp_path
):
    result = run_trellis("export", "--to", str(tmp_path / "x.json"), "--client", "maya", db=demo_db)
    assert result.returncode == 2
    assert result.stderr == (
        "trellis: No client named 'maya'; the clients are 'Leo Brandt', 'Maya Okafor'.\n"
    )
    assert not (tmp_path / "x.json").exists()
    nothing = tmp_path / "nothing.json"
    nothing.write_text('{"format": "trellis", "version": 1}')
    empty = tmp_path / "empty.db"
    assert run_trellis("import", str(nothing), db=empty).returncode == 0
    result = run_trellis("check", "--client", "Maya Okafor", db=empty)
    assert result.returncode == 2
    assert result.stderr == (
        "trellis: No client named 'Maya Okafor'; this database has no clients yet.\n"
    )


def readme_usages() -> dict[str, str]:
    """Each subcommand's line in the README's command-line block, by name."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```")[1]
    # A long usage goes on an indented next line.
    usage = r"trellis ([a-z-]+)((?:(?: |\n +)(?:\[[^\]]*\]|--\S+|[A-Z][\w.]*))*)"
    return dict(re.findall(usage, block))


def described(help_text: str) -> list[str]:
    """The arguments `--help` lists without a description."""
    lines = help_text.splitlines()
    bare = []
    for number, line in enumerate(lines):
        if re.match(r"  \S", line) and not re.search(r"\S\s{2,}\S", line):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if not re.match(r"\s{4,}\S", following):
                bare.append(line.strip())
    return bare


def test_every_subcommand_help_describes_each_argument_and_matches_the_readme():
    usages = readme_usages()
    top = run_trellis("--help").stdout
    commands = re.findall(r"^    ([a-z-]+)", top, flags=re.MULTILINE)
    assert commands and set(commands) == set(usages)
    for command in commands:
        result = run_trellis(command, "--help")
        assert result.returncode == 0
        assert described(result.stdout) == [], (command, result.stdout)
        flags = set(re.findall(r"--[a-z-]+", result.stdout)) - {"--help", "--db"}
        assert flags == set(re.findall(r"--[a-z-]+", usages[command])), command
        for word in re.findall(r"\b[A-Z][A-Z.a-z]*\b", usages[command]):
            assert word in result.stdout, (command, word)


def trashed_client_named_zoe(tmp_path: Path) -> Path:
    """A database whose trash holds client "Zoë 🌱" (id c1): text an ASCII pipe cannot take."""
    db = tmp_path / "trellis.db"
    doc = tmp_path / "in.json"
    doc.write_text(
        '{"format": "trellis", "version": 1, "clients": [{"id": "c1", "root_id": "c1", '
        '"name": "Zo\\u00eb \\ud83c\\udf31", "notes": "", "created_at": "2026-01-01T00:00:00", '
        '"updated_at": "2026-01-01T00:00:00", "deleted_at": "2026-01-02T00:00:00"}]}'
    )
    assert run_trellis("import", str(doc), db=db).returncode == 0
    return db


def test_unicode_titles_into_an_ascii_pipe_are_escaped_not_a_traceback(tmp_path):
    db = trashed_client_named_zoe(tmp_path)
    env = os.environ | {"PYTHONIOENCODING": "ascii"}
    for args in (["trash"], ["restore-item", "c1"]):
        done = subprocess.run(
            [sys.executable, "-m", "cli", *args, "--db", str(db)],
            cwd=REPO,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "Zo\\xeb \\U0001f331" in done.stdout


@pytest.mark.parametrize(
    "args", [["check"], ["demo"], ["backups"], ["purge", "some-id", "--yes"]], ids=lambda a: a[0]
)
def test_a_folder_given_as_db_says_it_is_a_folder_in_one_sentence(tmp_path, args):
    folder = tmp_path / "dir.db"
    folder.mkdir()
    result = run_trellis(*args, db=folder)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"trellis: {folder} is a folder, not a Trellis database file; "
        "pass the database file with --db.\n"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ["restore", "{f}", "--yes"],
            "{f} is a folder, not a Trellis database file; give the file itself.",
        ),
        (
            ["import-legacy", "{f}"],
            "{f} is a folder, not a legacy coaching database; give the .db file itself.",
        ),
        (
            ["import-legacy", "{f}", "--dry-run"],
            "{f} is a folder, not a legacy coaching database; give the .db file itself.",
        ),
    ],
    ids=["restore", "import-legacy", "import-legacy-dry-run"],
)
def test_a_folder_given_to_restore_or_import_legacy_says_it_is_a_folder(
    demo_db, tmp_path, args, sentence
):
    folder = tmp_path / "old.db"
    folder.mkdir()
    before = sha256(demo_db)
    result = run_trellis(*[a.format(f=folder) for a in args], db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "trellis: " + sentence.format(f=folder) + "\n"
    assert sha256(demo_db) == before


@pytest.mark.parametrize(
    "args", [["purge", "", "--yes"], ["restore-item", " "]], ids=["purge", "restore-item"]
)
def test_an_empty_item_id_is_called_empty_and_changes_nothing(demo_db, args):
    before = sha256(demo_db)
    result = run_trellis(*args, db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "trellis: The item id is empty; `trellis trash` lists the ids.\n"
    assert sha256(demo_db) == before


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_json_output_shows_non_ascii_as_is_and_stays_valid_json_in_an_ascii_pipe(
    tmp_path, encoding
):
    db = trashed_client_named_zoe(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "cli", "trash", "--json", "--db", str(db)],
        cwd=REPO,
        capture_output=True,
        env=os.environ | {"PYTHONIOENCODING": encoding},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode(encoding)
    [entry] = json.loads(out)
    assert entry["title"] == "Zo\u00eb \U0001f331"
    assert ("Zo\u00eb" in out) == (encoding == "utf-8")


def test_importing_a_file_whose_rows_are_all_present_says_so_and_writes_nothing(demo_db, tmp_path):
    out = tmp_path / "all.json"
    assert run_trellis("export", "--to", str(out), db=demo_db).returncode == 0
    before = sha256(demo_db)
    result = run_trellis("import", str(out), db=demo_db)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Nothing new: every row of this file is already in the database."
    )
    assert sha256(demo_db) == before
    assert not (demo_db.parent / "backups").exists()


def has_mapped(pid: int, name: str) -> bool:
    try:
        return name in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_ctrl_c_while_the_report_loads_qt_is_heard_after_it_without_an_abort(demo_db, tmp_path):
    """A Ctrl-C inside PySide6's import used to abort the process ("Fatal Python error:
    libshiboken … could not initialize"); it is held until the import is done."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "maya.pdf"
    proc = start_trellis(
        "report", "--client", "Maya Okafor", "--to", str(target), "--db", str(demo_db)
    )
    deadline = time.monotonic() + 60
    while not has_mapped(proc.pid, "shiboken6") and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.decode().strip() == "trellis: Interrupted; the database keeps its last saved state."
    assert list(out.iterdir()) == []
