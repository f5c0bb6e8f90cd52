"""Progress over time of a history made through the real store functions on a real file, the
audit clock set to chosen days: exact points, a purge's cascaded link counted before it, a hand
set value, and another client's changes left out."""

from __future__ import annotations

from datetime import date

import pytest

from store import ops
from store.digest import day_start
from store.errors import ValidationError
from store.series import client_series
from tests.store.test_digest import clock  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.both_backends


@pytest.fixture
def history(clock):  # noqa: F811
    root = ops.create_client("Maya Okafor")["id"]
    ids = {"root": root}
    ids["g1"] = ops.create_goal(root, "Lead a team")["id"]
    ids["o1"] = ops.create_outcome(root, "Weekly 1:1s")["id"]
    ids["s1"] = ops.create_sprint(root, "January", "2026-01-01", "2026-01-31")["id"]
    ops.link_items(ids["o1"], ids["g1"])
    ops.link_items(ids["o1"], ids["s1"])
    for key, title, progress in (("c1", "Book 1:1s", 0), ("c2", "Agenda", 40)):
        ids[key] = ops.create_commitment(root, title, progress_percentage=progress)["id"]
        ops.link_items(ids[key], ids["o1"])
    other = ops.create_client("Leo Brandt")["id"]
    leo_goal = ops.create_goal(other, "Leo's goal")["id"]

    clock.day = "2026-01-08"
    ops.update_item(ids["c1"], progress_percentage=50)
    ops.update_item(leo_goal, progress_mode="manual", progress=99)  # never in Maya's series
    clock.day = "2026-01-09"
    ops.update_item(ids["g1"], progress_mode="manual", progress=10)
    clock.day = "2026-01-10"
    ops.delete_item(ids["c2"])
    ops.purge_item(ids["c2"])  # its link goes by cascade, with no audit row of its own
    return ids


def days(points, since):
    return [("since" if p.at == since else p.at[:10], p.value) for p in points]


def test_every_goal_outcome_and_sprint_has_its_value_after_each_change(history):
    since = day_start(date(2026, 1, 5))
    series = client_series(history["root"], since)
    assert sorted(series) == sorted([history["g1"], history["o1"], history["s1"]])
    # Before the 8th: (0 + 40) / 2, the purged commitment's link counted from its old row.
    assert days(series[history["o1"]], since) == [
        ("since", 20.0),
        ("2026-01-08", 45.0),
        ("2026-01-10", 50.0),
    ]
    # Set by hand on the 9th: the roll-up below it no longer moves it.
    assert days(series[history["g1"]], since) == [
        ("since", 20.0),
        ("2026-01-08", 45.0),
        ("2026-01-09", 10.0),
    ]
    assert days(series[history["s1"]], since) == days(series[history["o1"]], since)


def test_the_whole_history_starts_where_each_item_was_made(history):
    series = client_series(history["root"])
    # Made at 0; the first commitment (0) moves nothing, the second (40) makes it 20.
    assert [(p.at[:10], p.value) for p in series[history["o1"]]] == [
        ("2026-01-02", 0.0),
        ("2026-01-02", 20.0),
        ("2026-01-08", 45.0),
        ("2026-01-10", 50.0),
    ]


def test_a_client_in_the_trash_is_refused_in_a_sentence(history):
    ops.delete_item(history["root"])
    with pytest.raises(ValidationError, match="is in the trash: restore it first"):
        client_series(history["root"])


def test_samples_spread_from_the_first_change_to_now(history):
    series = client_series(history["root"], samples=5)
    # The first sample is the first change (the goal made, at 0), before the outcome was made;
    # the next is a quarter of the way to now, after every change: today's values.
    o1, g1 = series[history["o1"]], series[history["g1"]]
    assert [p.value for p in g1] == [0.0, 10.0] and [p.value for p in o1] == [50.0]
    assert g1[0].at.startswith("2026-01-02T12:00:00") and o1[0].at == g1[1].at > "2026-01-10"
