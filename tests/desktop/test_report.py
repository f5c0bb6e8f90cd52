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
from PySide6.QtWidgets import QMessageBox

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


def placed_text(path) -> list[tuple[int, str, float, float]]:
    """Each run of text in the PDF: its page, the text, and where it starts on that page
    (points from the bottom left), read from the text and transformation matrices."""
    found = []
    for number, page in enumerate(PdfReader(path).pages):

        def seen(text, cm, tm, _font, _size, number=number):
            if text.strip():
                x, y = cm[4] + cm[0] * tm[4], cm[5] + cm[3] * tm[5]
                found.append((number, " ".join(text.split()), x, y))

        page.extract_text(visitor_text=seen)
    return found


def test_a_goal_with_more_outcomes_than_a_page_holds_goes_on_over_the_next(client_db, tmp_path):
    _path, root = client_db
    big = ops.create_goal(root, "One goal with many outcomes")["id"]
    for n in range(90):
        ops.link_items(ops.create_outcome(root, f"Outcome number {n:03d}")["id"], big)
    target = write(tmp_path, root)
    width, height = (float(v) for v in PdfReader(target).pages[0].mediabox.upper_right)
    placed = placed_text(target)
    lines = {text.split(":")[0] for _n, text, _x, _y in placed}
    assert {f"Outcome number {n:03d}" for n in range(90)} <= lines
    off = [(n, t, x, y) for n, t, x, y in placed if not (0 <= x <= width and 0 <= y <= height)]
    assert off == []
    pages = {n for n, text, _x, _y in placed if text.startswith("Outcome number")}
    assert len(pages) >= 2  # 90 lines are more than one A4 page holds


def test_a_word_wider_than_the_line_wraps_instead_of_running_off_the_page(client_db, tmp_path):
    _path, root = client_db
    ops.create_commitment(root, "W" * 190, target_date="2026-03-12")
    target = write(tmp_path, root)
    pages = PdfReader(target).pages
    width, graph_page = float(pages[0].mediabox.width), len(pages) - 1
    placed = [(x, t) for n, t, x, _y in placed_text(target) if n < graph_page]
    pieces = [(x, t) for x, t in placed if "WWWWW" in t]
    # Each time a list writes the word it is whole, broken over lines that start on the page,
    # none of them the whole word (which is wider than the page). (The graph page's node
    # elides it, as the window does.)
    assert pieces and "".join(t for _x, t in pieces).count("W") % 190 == 0
    assert all(0 <= x < width and t.count("W") < 190 for x, t in pieces)


def test_a_history_later_than_the_clock_still_makes_a_report(qapp, tmp_path, monkeypatch):
    """A computer whose clock is behind the one that wrote the log (or a hand-edited time):
    the charts have nothing to draw yet, and the report is written all the same."""
    from datetime import UTC, datetime, timedelta

    from store import audit

    def five_hours_ahead() -> str:
        return (datetime.now(UTC) + timedelta(hours=5)).isoformat(timespec="microseconds")

    monkeypatch.setattr(audit, "now", five_hours_ahead)
    open_database(tmp_path / "trellis.db")
    try:
        root = ops.create_client("Maya Okafor")["id"]
        goal = ops.create_goal(root, "Lead a team")["id"]
        ops.link_items(ops.create_outcome(root, "Weekly 1:1s")["id"], goal)
        text = text_of(write(tmp_path, root))
    finally:
        close_database()
    assert "Lead a team 0%" in text and "Weekly 1:1s: 0%" in text


def test_the_graph_page_writes_titles_without_ligatures(client_db, tmp_path):
    """Text copied from the graph page, or found by search, is the text typed: "fi", not "ﬁ"."""
    _path, root = client_db
    ops.create_goal(root, "Confidence and fitness for staff")
    last = " ".join(PdfReader(write(tmp_path, root)).pages[-1].extract_text().split())
    assert "Confidence and fitness for staff" in last
    assert not {"\ufb00", "\ufb01", "\ufb02"} & set(last)


def test_a_name_without_pdf_that_names_a_file_already_there_is_asked_about(window, tmp_path):
    """The report adds .pdf to the name chosen; the dialog could only ask about the name as
    typed, so replacing the file that name ends up meaning is asked here."""
    from tests.desktop.helpers import press, show_client

    show_client(window, "Maya Okafor")
    precious = tmp_path / "notes.txt.pdf"
    precious.write_text("precious")
    (tmp_path / "notes.txt").write_text("notes")
    for answer in ("No", "Yes"):
        dialogs = Dialogs(pick(tmp_path / "notes.txt"), press(QMessageBox, "Yes"))
        dialogs.steps.append(press(QMessageBox, answer))
        window.actions["export_report"].trigger()
        dialogs.done()
        assert "notes.txt.pdf already exists" in dialogs.seen[-1]
    assert (tmp_path / "notes.txt").read_text() == "notes"
    assert "Maya Okafor" in text_of(precious)


def test_a_big_clients_goal_cards_are_drawn_whole_inside_the_graph_page(qapp, tmp_path):
    """Far out, each goal carries a card of a constant size on paper, wider than its node:
    the page fits the cards at the drawing's edges too, not only the nodes."""
    from desktop.report import MARGIN

    open_database(tmp_path / "trellis.db")
    try:
        root = ops.create_client("Big Client")["id"]
        for n in range(60):
            goal = ops.create_goal(root, f"Goal {n:02d} with a long title")["id"]
            ops.link_items(ops.create_outcome(root, f"Outcome {n:02d}")["id"], goal)
        target = write(tmp_path, root)
    finally:
        close_database()
    pages = PdfReader(target).pages
    width, height = (float(v) for v in pages[-1].mediabox.upper_right)
    cards = [(x, y) for n, t, x, y in placed_text(target) if n == len(pages) - 1 and "Goal" in t]
    assert len(cards) >= 60  # each goal's card title (and more lines where there is room)
    assert all(MARGIN - 1 <= x <= width - MARGIN and MARGIN <= y <= height for x, y in cards)
