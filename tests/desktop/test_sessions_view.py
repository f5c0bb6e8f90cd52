"""The sessions view on the sample workspace: sessions newest first, the commitments made in
each, and "Since last session" from store.digest, copyable as Markdown."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.desktop.helpers import LEFT, item_id, show_client


def open_view(window, client: str = "Maya Okafor"):
    show_client(window, client)
    view = window.views["sessions"]
    window.tabs.setCurrentWidget(view)
    return view


def listed(view) -> list[tuple[str, str]]:
    rows = [view.list.topLevelItem(n) for n in range(view.list.topLevelItemCount())]
    return [(row.text(1), row.text(2)) for row in rows]


def choose(view, title: str) -> None:
    rows = [view.list.topLevelItem(n) for n in range(view.list.topLevelItemCount())]
    view.list.setCurrentItem(next(r for r in rows if r.text(1) == title))


def held_on(window, title: str) -> str:
    return next(s["held_on"] for s in window.ws.sessions() if s["title"] == title)


def made(view) -> list[str]:
    return [view.made.item(n).text() for n in range(view.made.count())]


def test_sessions_are_listed_newest_first_with_how_many_commitments_each_made(window):
    view = open_view(window)
    assert listed(view) == [("Sprint review", "5"), ("Check-in: first sprint", "4"),
                            ("Intake session", "3")]  # fmt: skip
    dates = [view.list.topLevelItem(n).text(0) for n in range(3)]
    assert dates == sorted(dates, reverse=True)


def test_choosing_a_session_shows_the_commitments_made_in_it(window):
    view = open_view(window)
    choose(view, "Intake session")
    assert made(view) == [
        "Book recurring 1:1s in the calendar",
        "Buy running shoes",
        "Write a 1:1 agenda template",
    ]
    assert view.title.full_text() == f"{held_on(window, 'Intake session')}  Intake session"


def test_since_last_session_runs_from_the_latest_session_to_now(window):
    view = open_view(window)
    assert view.since_heading.text() == "SINCE LAST SESSION"
    text = view.since.toPlainText().split("\n")
    day = held_on(window, "Sprint review")
    assert text[0] == f"Maya Okafor: Since session 'Sprint review' on {day}"
    # The sample was made today, so its commitments were all added in this period.
    assert "Added (12):" in text
    assert text[text.index("Now overdue (2):") + 1 :][:2] == [
        f"  - Couch-to-5k weeks 1–4 (due {due(window, 'Couch-to-5k weeks 1–4')})",
        f"  - Run 5 km under 32 minutes (due {due(window, 'Run 5 km under 32 minutes')})",
    ]


def due(window, title: str) -> str:
    return window.ws.item(item_id(window, title)).fields["target_date"]


def test_an_older_session_covers_the_time_until_the_next_one(window):
    view = open_view(window)
    choose(view, "Intake session")
    assert view.since_heading.text() == "UNTIL THE NEXT SESSION"
    first = view.since.toPlainText().split("\n")[0]
    assert first == (
        f"Maya Okafor: Since session 'Intake session' on {held_on(window, 'Intake session')}"
        f" until session 'Check-in: first sprint' on {held_on(window, 'Check-in: first sprint')}"
    )


def test_completing_a_commitment_shows_in_since_last_session(window):
    view = open_view(window)
    assert "Completed (4):" in view.since.toPlainText()
    rehearse = item_id(window, "Rehearse with a peer")
    window.save_fields(rehearse, {"status": "completed"})
    text = view.since.toPlainText().split("\n")
    completed = text[text.index("Completed (5):") + 1 :][:5]
    assert f"  - Rehearse with a peer (due {due(window, 'Rehearse with a peer')})" in completed


def test_copy_as_markdown_puts_the_digest_on_the_clipboard(window):
    view = open_view(window)
    QApplication.clipboard().clear()
    QTest.mouseClick(view.copy_button, LEFT)
    copied = QApplication.clipboard().text()
    day = held_on(window, "Sprint review")
    assert copied.startswith(f"## Maya Okafor: Since session 'Sprint review' on {day}\n\n")
    assert "**Added** (12)" in copied


def test_the_other_client_shows_its_own_sessions(window):
    view = open_view(window)
    show_client(window, "Leo Brandt")
    assert listed(view) == [("Pricing deep-dive", "7"), ("Kick-off", "5")]
    assert view.since.toPlainText().startswith("Leo Brandt: Since session 'Pricing deep-dive'")


def test_a_client_with_no_sessions_says_so_and_offers_nothing_to_copy(window):
    from desktop.model.commands import CreateCommand

    view = open_view(window)
    window.push(CreateCommand(window.ws, "client", {"name": "New <b>client</b>"}))
    show_client(window, "New <b>client</b>")
    assert listed(view) == []
    assert view.title.full_text() == "No sessions yet for this client."
    assert not view.copy_button.isEnabled()


def ends(view) -> list[str]:
    return [view.until.itemText(n) for n in range(view.until.count())]


def test_the_digest_runs_between_any_two_sessions_or_to_now(window):
    from PySide6.QtCore import Qt

    view = open_view(window)
    choose(view, "Intake session")
    intake, check_in = held_on(window, "Intake session"), held_on(window, "Check-in: first sprint")
    review = held_on(window, "Sprint review")
    # Only later sessions can end the period; the next one is the default.
    assert ends(view) == [f"{check_in} Check-in: first sprint", f"{review} Sprint review", "now"]
    assert view.until.currentIndex() == 0
    QTest.keyClick(view.until, Qt.Key.Key_Down)
    assert view.since_heading.text() == "UNTIL A LATER SESSION"
    assert view.since.toPlainText().split("\n")[0] == (
        f"Maya Okafor: Since session 'Intake session' on {intake}"
        f" until session 'Sprint review' on {review}"
    )
    QTest.keyClick(view.until, Qt.Key.Key_Down)
    assert view.since_heading.text() == "SINCE THIS SESSION"
    text = view.since.toPlainText().split("\n")
    assert text[0] == f"Maya Okafor: Since session 'Intake session' on {intake}"
    assert "Added (12):" in text  # to now: everything the sample made today
    choose(view, "Sprint review")
    assert ends(view) == ["now"]
    assert view.since_heading.text() == "SINCE LAST SESSION"


def test_a_period_ending_at_an_earlier_session_is_refused_in_one_sentence(window):
    import pytest

    from store.digest import period_between_sessions
    from store.errors import ValidationError

    open_view(window)
    ids = {s["title"]: s["id"] for s in window.ws.sessions()}
    with pytest.raises(ValidationError) as refused:
        period_between_sessions(
            window.ws.root_id, ids["Sprint review"], ids["Intake session"], view_today()
        )
    assert str(refused.value) == (
        f"The period cannot end at session 'Intake session' on "
        f"{held_on(window, 'Intake session')}: it is not after session 'Sprint review' on "
        f"{held_on(window, 'Sprint review')}; choose a later session to end it, or now."
    )


def view_today():
    from datetime import date

    return date.today()
