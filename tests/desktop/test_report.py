"""The client report as a PDF, read back with pypdf: the client's name and the day, goals with
their progress, what changed, commitments overdue and due next, the sprint running today, on
A4 or Letter; user text exactly as typed; the database untouched; unsafe targets refused; and
File → Export client report… writes the shown client's."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from pypdf import PdfReader

from desktop import report
from store import ops
from store.digest import period_since
from store.errors import ValidationError
from store.exchange import export_document
from store.opening import close_database, open_database
from tests.desktop.helpers import Dialogs, pick

TODAY = date(2026, 3, 10)
HOSTILE = "Lead <b>a team</b> & <script>"


@pytest.fixture
def client_db(qapp, tmp_path):
    """A client with a goal whose title looks like markup, two outcomes, a sprint running on
    TODAY, one commitment overdue and one due next."""
    path = tmp_path / "trellis.db"
    open_database(path)
    root = ops.create_client("Maya <Okafor> & Co")["id"]
    goal = ops.create_goal(root, HOSTILE)["id"]
    o1 = ops.create_outcome(root, "Weekly 1:1s")["id"]
    o2 = ops.create_outcome(root, "Hand over reports")["id"]
    sprint = ops.create_sprint(root, "Spring push", "2026-03-01", "2026-03-31")["id"]
    for outcome in (o1, o2):
        ops.link_items(outcome, goal)
    ops.link_items(o1, sprint)
    late = ops.create_commitment(root, "Book 1:1s", target_date="2026-03-05")["id"]
    soon = ops.create_commitment(
        root, "Write agenda", target_date="2026-03-15", progress_percentage=50
    )["id"]
    ops.link_items(late, o1)
    ops.link_items(soon, o1)
    ops.create_session(root, "2026-03-02", title="Kick-off")
    yield path, root
    close_database()


def text_of(path) -> str:
    """The PDF's text, line by line; pypdf reads the gaps between Qt's words as tabs or spaces
    by their width, so each run of them is one space here."""
    found = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return "\n".join(re.sub(r"[ \t]+", " ", line) for line in found.splitlines())


def write(tmp_path, root, paper="a4"):
    target = tmp_path / "maya.pdf"
    report.write_report(target, root, period_since(date(2026, 3, 1), TODAY), TODAY, paper)
    return target


def test_the_report_reads_the_clients_goals_progress_commitments_and_sprint(client_db, tmp_path):
    _path, root = client_db
    text = text_of(write(tmp_path, root))
    assert "Maya <Okafor> & Co" in text
    assert "Client report, 2026-03-10" in text
    # Weekly 1:1s is (0 + 50) / 2 = 25%, Hand over reports 0%, the goal their mean 12.5%.
    assert f"{HOSTILE} 12.5%" in text
    assert "Weekly 1:1s: 25%" in text and "Hand over reports: 0%" in text
    assert "Overdue (1)" in text and "Book 1:1s — due 2026-03-05 — for Weekly 1:1s" in text
    assert "Due in the next 14 days (1)" in text and "Write agenda — due 2026-03-15" in text
    assert "Sprint 1: Spring push: 2026-03-01 to 2026-03-31, 25%" in text
    assert "Since 2026-03-01" in text and "Added (2):" in text
    assert "The whole picture" in text


def test_a4_and_letter_pages_have_their_own_sizes(client_db, tmp_path):
    _path, root = client_db
    for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
        first = PdfReader(write(tmp_path, root, paper)).pages[0]
        assert (round(first.mediabox.width), round(first.mediabox.height)) == size


def test_writing_a_report_changes_nothing_in_the_database(client_db, tmp_path):
    path, root = client_db
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), export_document())
    write(tmp_path, root)
    # Nodes were never placed: a report lays them out in memory and saves no position.
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), export_document()) == before


@pytest.mark.parametrize("target", ["database", "wal", "folder"])
def test_a_report_over_the_database_its_side_file_or_a_folder_is_refused(
    client_db, tmp_path, target
):
    path, root = client_db
    aimed = {"database": path, "wal": path.with_name(path.name + "-wal"), "folder": tmp_path}
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    period = period_since(date(2026, 3, 1), TODAY)
    with pytest.raises(ValidationError, match="give the report a"):
        report.write_report(aimed[target], root, period, TODAY, "a4")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_paper_follows_the_locale_and_is_a4_elsewhere():
    from PySide6.QtCore import QLocale

    assert report.default_paper(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert report.default_paper(QLocale(QLocale.Language.English, QLocale.Country.Canada)) == (
        "letter"
    )
    assert report.default_paper(QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "a4"


def test_the_file_menu_writes_the_shown_clients_report(window, tmp_path):
    from tests.desktop.helpers import show_client

    show_client(window, "Maya Okafor")
    target = tmp_path / "out" / "maya"
    target.parent.mkdir()
    dialogs = Dialogs(pick(target))
    window.actions["export_report"].trigger()
    dialogs.done()
    text = text_of(target.with_name("maya.pdf"))
    assert "Maya Okafor" in text and "Lead a team with confidence" in text
    assert window.actions["export_report"].text() == "Export client &report…"


def test_the_graph_page_draws_every_title_as_text(client_db, tmp_path):
    """The graph is drawn as vectors at the page's zoom: a small client's titles are text on
    the page (sharp on paper, found by search), markup included as typed."""
    _path, root = client_db
    last = " ".join(PdfReader(write(tmp_path, root)).pages[-1].extract_text().split())
    assert "The whole picture" in last
    for title in ("Weekly 1:1s", "Hand over reports", "Book 1:1s", "Write agenda", "Lead <b>"):
        assert title in last, last


def test_a_long_change_list_shows_its_first_entries_and_how_many_more(client_db, tmp_path):
    _path, root = client_db
    for n in range(report.LIST_LIMIT + 5):
        ops.create_commitment(root, f"Errand {n:02d}")
    text = text_of(write(tmp_path, root))
    assert f"Added ({report.LIST_LIMIT + 7}):" in text  # the two of the fixture as well
    assert "… and 7 more" in text
    # By title: "Book 1:1s", then the errands up to the limit, the rest left out.
    assert text.count("• Errand") == report.LIST_LIMIT - 1
    assert "• Errand 38" in text and "• Errand 39" not in text
