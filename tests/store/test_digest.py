"""The digest of a history made through the real store functions on a real file, with the
audit clock set to chosen days: exact lines for a period between two sessions and to now."""

from __future__ import annotations

import os
import time
from datetime import date

import pytest

from graph.digest import lines
from store import audit, ops
from store import digest as store_digest
from store.errors import NotFound, ValidationError
from store.report import gather

pytestmark = pytest.mark.both_backends


class Clock:
    """audit.now for a test: noon UTC of the chosen day, a microsecond later at each call."""

    def __init__(self, day: str):
        self.day, self.calls = day, 0

    def __call__(self) -> str:
        self.calls += 1
        return f"{self.day}T12:00:00.{self.calls:06d}+00:00"


@pytest.fixture
def clock(db, monkeypatch):
    found = Clock("2026-01-02")
    monkeypatch.setattr(audit, "now", found)
    return found


@pytest.fixture
def history(clock):
    """Maya's January. Sessions on the 5th and the 20th; the changes on the 8th and 9th fall
    between them, the one on the 22nd after the second."""
    root = ops.create_client("Maya Okafor")["id"]
    ids = {"root": root}
    ids["g1"] = ops.create_goal(root, "Lead a team")["id"]
    for key, title in (("o1", "Weekly 1:1s"), ("o2", "Delegate")):
        ids[key] = ops.create_outcome(root, title)["id"]
        ops.link_items(ids[key], ids["g1"])
    for key, title, progress in (("c1", "Book 1:1s", 0), ("c3", "Old task", 40)):
        ids[key] = ops.create_commitment(root, title, progress_percentage=progress)["id"]
        ops.link_items(ids[key], ids["o1"])
    ids["c5"] = ops.create_commitment(root, "Purged later", progress_percentage=80)["id"]
    ops.link_items(ids["c5"], ids["o1"])
    ids["o2-c1"] = ops.link_items(ids["c1"], ids["o2"])["id"]
    ids["c4"] = ops.create_commitment(root, "Restored")["id"]
    ops.delete_item(ids["c4"])
    ids["s1"] = ops.create_session(root, "2026-01-05", title="Kick-off")["id"]
    ids["s2"] = ops.create_session(root, "2026-01-20", title="Check-in")["id"]
    other = ops.create_client("Leo Brandt")["id"]

    clock.day = "2026-01-08"
    ops.update_item(ids["c1"], status="completed")
    ids["c2"] = ops.create_commitment(
        root, "Write agenda", target_date="2026-01-15", progress_percentage=50
    )["id"]
    ops.link_items(ids["c2"], ids["o1"])
    ops.delete_item(ids["c3"])
    ops.restore_item(ids["c4"])
    ops.delete_item(ids["o2"])
    ops.unlink(ids["o2-c1"])
    ids["leo"] = ops.create_commitment(other, "Leo's own work")["id"]  # never in Maya's digest
    clock.day = "2026-01-09"
    ops.delete_item(ids["c5"])
    ops.purge_item(ids["c5"])  # its link goes by cascade, with no audit row of its own

    clock.day = "2026-01-22"
    ops.update_item(ids["c2"], status="completed")
    return ids


def test_the_digest_between_two_sessions_reads_exactly(history):
    period = store_digest.period_of_session(history["root"], history["s1"], date(2026, 2, 1))
    assert period.as_of == date(2026, 1, 20)
    assert lines(store_digest.client_digest(history["root"], period)) == [
        "Maya Okafor: Since session 'Kick-off' on 2026-01-05 until session 'Check-in' on "
        "2026-01-20",
        "Completed (1):",
        "  - Book 1:1s",
        "Added (1):",
        "  - Write agenda (due 2026-01-15)",
        "Now overdue (1):",
        "  - Write agenda (due 2026-01-15)",
        "Moved to the trash (3):",
        "  - outcome 'Delegate'",
        "  - Old task",
        "  - Purged later",
        "Restored from the trash (1):",
        "  - Restored",
        "Goals:",
        "  - Lead a team: 20% → 75%",
        "Outcomes:",
        "  - Weekly 1:1s: 40% → 75%",
        "Links added (1):",
        "  - commitment 'Write agenda' → outcome 'Weekly 1:1s'",
        "Links removed (1):",
        "  - commitment 'Book 1:1s' → outcome 'Delegate'",
    ]


def test_the_report_s_digest_equals_the_period_s_own(history):
    """The report reads the client's whole history once and steps the hierarchy back through
    it once, for its charts and its digest: the digest it gathers (progress at the period's
    ends from that walk, the purged commitment's link included) is the period's own."""
    root = history["root"]
    for period in (
        store_digest.period_of_session(root, history["s1"], date(2026, 2, 1)),
        store_digest.period_since(date(2026, 1, 9), date(2026, 2, 1)),
        store_digest.period_since(date(2026, 1, 1), date(2026, 2, 1)),
    ):
        gathered = gather(root, period, date(2026, 2, 1)).digest
        assert lines(gathered) == lines(store_digest.client_digest(root, period))
        assert gathered == store_digest.client_digest(root, period)


def test_since_the_last_session_runs_from_the_latest_one_held_to_now(history):
    period = store_digest.period_since_last_session(history["root"], date(2026, 2, 1))
    assert period.end is None
    assert lines(store_digest.client_digest(history["root"], period)) == [
        "Maya Okafor: Since session 'Check-in' on 2026-01-20",
        "Completed (1):",
        "  - Write agenda (due 2026-01-15)",
        "Goals:",
        "  - Lead a team: 75% → 100%",
        "Outcomes:",
        "  - Weekly 1:1s: 75% → 100%",
    ]


def test_a_session_not_yet_held_is_not_the_last_session(history):
    # On the 10th the session of the 20th is still ahead: the period starts at the 5th's.
    period = store_digest.period_since_last_session(history["root"], date(2026, 1, 10))
    assert period.label == "Since session 'Kick-off' on 2026-01-05"


def test_since_a_day_covers_everything_from_that_day(history):
    period = store_digest.period_since(date(2026, 1, 1), date(2026, 2, 1))
    d = store_digest.client_digest(history["root"], period)
    assert [e.title for e in d.added] == ["Book 1:1s", "Restored", "Write agenda"]
    assert [p.then for p in d.goals] == [None]


def test_audit_rows_are_the_clients_own(history):
    seen = {r["entity_id"] for r in store_digest.audit_rows(history["root"], "2026-01-08")}
    assert history["c2"] in seen and history["leo"] not in seen
    assert history["g1"] not in seen  # made on the 2nd, before the bound


def test_a_client_with_no_session_yet_is_asked_for_a_day(clock):
    root = ops.create_client("New Client")["id"]
    with pytest.raises(ValidationError, match="has had no session yet; pass --since DATE"):
        store_digest.period_since_last_session(root, date(2026, 1, 10))


def test_an_unknown_session_id_is_refused_naming_the_days_held(history):
    with pytest.raises(NotFound, match="held on 2026-01-05, 2026-01-20"):
        store_digest.period_of_session(history["root"], "nope", date(2026, 2, 1))


def test_a_day_after_today_is_refused(db):
    with pytest.raises(ValidationError, match="is after today"):
        store_digest.period_since(date(2026, 3, 2), date(2026, 3, 1))


@pytest.fixture
def zone():
    """Set the local time zone for the test (TZ, read again by time.tzset), then the old one."""
    old = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize(
    ("name", "first_instant"),
    [
        # East of UTC, local midnight of 0001-01-01 is in year 0: the first instant there is.
        ("Asia/Tokyo", "0001-01-01T00:00:00.000000+00:00"),
        ("UTC", "0001-01-01T00:00:00.000000+00:00"),
        # West of it, that midnight is there (at today's offset: the zone's then is unknown).
        ("Etc/GMT+5", "0001-01-01T05:00:00.000000+00:00"),
    ],
)
def test_the_calendar_s_first_day_starts_at_an_instant_before_every_audit_time(
    zone, name, first_instant
):
    zone(name)
    start = store_digest.day_start(date(1, 1, 1))
    assert start == first_instant
    assert start < store_digest.day_start(date(1, 1, 2)) < audit.now()


@pytest.mark.parametrize("name", ["Asia/Tokyo", "UTC", "Etc/GMT+5"])
def test_the_calendar_s_last_day_has_a_start_too(zone, name):
    """A session held on 9999-12-31 ends the period before it at that day's start."""
    zone(name)
    assert store_digest.day_start(date(9999, 12, 31)) > store_digest.day_start(date(9999, 1, 1))


def test_since_the_calendar_s_first_day_covers_the_whole_history(history, zone):
    zone("Asia/Tokyo")
    period = store_digest.period_since(date(1, 1, 1), date(2026, 2, 1))
    assert period.label == "Since 0001-01-01"
    d = store_digest.client_digest(history["root"], period)
    assert [e.title for e in d.added] == ["Book 1:1s", "Restored", "Write agenda"]
    whole = store_digest.period_since(date(2026, 1, 1), date(2026, 2, 1))
    assert lines(d)[1:] == lines(store_digest.client_digest(history["root"], whole))[1:]
