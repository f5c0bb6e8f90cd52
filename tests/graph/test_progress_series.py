"""Progress over time on a literal, scripted history: each goal's, outcome's and sprint's value
after every change, rolled up over the hierarchy as it stood then, exactly."""

from __future__ import annotations

import dataclasses
import random

from graph.build import build
from graph.digest import needed, state_at
from graph.examples import commitment, goal, outcome, sprint
from graph.model import COMMITMENT_OUTCOME, OUTCOME_GOAL, OUTCOME_SPRINT, Link
from graph.progress_series import (
    Point,
    _series,
    change_times,
    progress_at_cuts,
    progress_sampled,
    progress_series,
    sample_cuts,
)
from graph.rollup import explain, rollup, rollup_of
from tests.graph.test_graph_digest import MADE, History, at, link, live, trashed

SINCE = at("01-05")


def edited(item, **fields):
    return dataclasses.replace(item, fields=item.fields | fields)


def scripted() -> History:
    """A goal over two outcomes, a sprint on both (the second counts three times), three
    commitments; then progress made, an outcome set by hand, a link added, the outcome
    trashed and restored, and a change that moves no number."""
    g1 = goal("g1", "Lead a team", created_at=MADE)
    o1, o2 = outcome("o1", "1:1s", created_at=MADE), outcome("o2", "Delegate", created_at=MADE)
    s1 = sprint("s1", "Sprint 1", created_at=MADE)
    c1 = commitment("c1", "Book", progress=0, created_at=MADE)
    c2 = commitment("c2", "Agenda", progress=40, created_at=MADE)
    c3 = commitment("c3", "Hand over", progress=0, created_at=MADE)
    h = History(
        [g1, o1, o2, s1, c1, c2, c3],
        [("g1", "o1"), ("g1", "o2"), ("o1", "s1"), ("o2", "s1", 3), ("o1", "c1")]
        + [("o1", "c2"), ("o2", "c3")],
    )
    h.change(at("01-10"), "update", "c1", edited(c1, progress=50))
    h.change(at("01-20"), "update", "o2", edited(o2, progress_mode="manual", progress=80))
    h.change(at("02-01"), "link", "o1-c3", link("o1", "c3"))
    o2_now = h.now.items["o2"]
    h.change(at("02-10"), "delete", "o2", trashed(o2_now, at("02-10")))
    h.change(at("02-15"), "restore", "o2", live(trashed(o2_now, at("02-10"))))
    h.change(at("02-20"), "update", "c2", dataclasses.replace(c2, title="Write the agenda"))
    return h


def values(points: list[Point]) -> list[tuple[str, float | None]]:
    return [(p.at[5:10], p.value) for p in points]


def test_each_value_is_the_rollup_of_the_hierarchy_as_it_stood_after_each_change():
    h = scripted()
    series = progress_series(h.now, h.changes, since=SINCE)
    assert values(series["o1"]) == [("01-05", 20.0), ("01-10", 45.0), ("02-01", 30.0)]
    # Set by hand at 80, gone while in the trash, back at 80 when restored.
    assert values(series["o2"]) == [("01-05", 0.0), ("01-20", 80.0), ("02-10", None)] + [
        ("02-15", 80.0)
    ]
    assert values(series["g1"]) == [
        ("01-05", 10.0),
        ("01-10", 22.5),
        ("01-20", 62.5),
        ("02-01", 55.0),
        ("02-10", 30.0),
        ("02-15", 55.0),
    ]


def test_a_sprint_follows_its_outcomes_weighted_by_their_links():
    h = scripted()
    series = progress_series(h.now, h.changes, since=SINCE)
    # (o1 × 1 + o2 × 3) / 4; with o2 in the trash only o1 counts.
    assert values(series["s1"]) == [
        ("01-05", 5.0),
        ("01-10", 11.25),
        ("01-20", 71.25),
        ("02-01", 67.5),
        ("02-10", 30.0),
        ("02-15", 67.5),
    ]


def test_a_change_that_moves_no_number_adds_no_point():
    h = scripted()
    series = progress_series(h.now, h.changes, since=SINCE)
    assert all(p.at != at("02-20") for points in series.values() for p in points)


def test_an_item_made_in_the_period_starts_where_it_was_made():
    h = scripted()
    o3 = outcome("o3", "Hire", created_at=at("02-05"))
    h.change(at("02-05"), "create", "o3", o3)
    h.change(at("02-06"), "link", "o3-c2", link("o3", "c2"))
    series = progress_series(h.now, h.changes, since=SINCE)
    assert values(series["o3"]) == [("02-05", 0.0), ("02-06", 40.0)]


def test_without_since_the_series_starts_at_the_first_change():
    h = scripted()
    series = progress_series(h.now, h.changes)
    assert values(series["o1"]) == [("01-10", 45.0), ("02-01", 30.0)]


def test_a_sprint_on_no_counted_outcome_has_no_value():
    s9 = sprint("s9", "Empty", created_at=MADE)
    o9 = outcome("o9", "Dropped", status="abandoned", created_at=MADE)
    h = History([s9, o9], [("o9", "s9")])
    h.change(at("01-10"), "update", "s9", dataclasses.replace(s9, title="Still empty"))
    series = progress_series(h.now, h.changes, since=SINCE)
    assert "s9" not in series
    assert values(series["o9"]) == [("01-05", 0.0)]


def test_sampled_values_are_those_standing_at_each_instant():
    h = scripted()
    times = [at("01-05"), at("01-15"), at("02-12"), at("03-01")]
    series = progress_sampled(h.now, h.changes, times)
    assert values(series["g1"]) == [("01-05", 10.0), ("01-15", 22.5), ("02-12", 30.0)] + [
        ("03-01", 55.0)
    ]
    # 0 on the 5th and still on the 15th (one point), in the trash on the 12th of February.
    assert values(series["o2"]) == [("01-05", 0.0), ("02-12", None), ("03-01", 80.0)]


def test_a_sample_at_the_instant_of_a_change_includes_it():
    h = scripted()
    series = progress_sampled(h.now, h.changes, [at("01-10"), at("01-20")])
    assert values(series["o1"]) == [("01-10", 45.0)]
    assert values(series["o2"]) == [("01-10", 0.0), ("01-20", 80.0)]


# ---------------------------------------------------------------- in place vs rebuilt


def rebuilt_at_every_sample(h, changes, times):
    """The plain answer progress_sampled must give: a fresh state, graph and roll-up at
    every sample (what it did before it updated one graph in place)."""
    instants = sorted({c.at for c in changes})

    def state(t):
        later = [i for i in instants if i > t]
        return state_at(h, changes, later[0]) if later else h

    return _series((t, state(t)) for t in times)


def random_history(seed: int) -> History:
    """Goals, outcomes, sprints and commitments, then a hundred random edits: progress,
    status, titles, manual values, trash and restore, links made and removed (some doubling
    a pair under another id, with another weight), items made and purged."""
    rng = random.Random(seed)
    kinds = {"g": goal, "o": outcome, "s": sprint, "c": commitment}
    items = [kinds[k](f"{k}{n}", f"{k}{n}", created_at=MADE) for k in "goscc" for n in range(3)]
    items = list({i.id: i for i in items}.values())
    ends = {"g": "o", "o": "cs"}
    h = History(items, [])
    day = 0

    def when() -> str:
        nonlocal day
        day += rng.choice((0, 1, 1, 2))  # some edits share an instant
        return f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}T12:00:00.000000+00:00"

    def link_between(upper: str, lower: str, lid: str) -> Link:
        kind = {"o": OUTCOME_GOAL, "c": COMMITMENT_OUTCOME, "s": OUTCOME_SPRINT}[lower[0]]
        return Link(lid, kind, upper, lower, "ann", weight=rng.choice((1.0, 2.0, 0.5)))

    for n in range(100):
        now = h.now
        present = sorted(now.items)
        roll = rng.random()
        if roll < 0.35 and present:
            rid = rng.choice(present)
            old = now.items[rid]
            change = rng.choice(
                [
                    {"progress": rng.choice((0, 25, 50, 100))},
                    {"status": rng.choice(("active", "completed", "abandoned"))},
                    {"progress_mode": rng.choice(("manual", None)), "progress": 70},
                ]
            )
            title = rng.choice((old.title, f"t{rng.randrange(9)}"))
            h.change(when(), "update", rid, dataclasses.replace(edited(old, **change), title=title))
        elif roll < 0.5 and present:
            rid = rng.choice(present)
            old = now.items[rid]
            t = when()
            new = live(old) if old.deleted else trashed(old, t)
            h.change(t, "restore" if old.deleted else "delete", rid, new)
        elif roll < 0.75:
            uppers = [i for i in present if i[0] in ends]
            if uppers:
                upper = rng.choice(uppers)
                lowers = [i for i in present if i[0] in ends[upper[0]]]
                if lowers:
                    lower = rng.choice(lowers)
                    lid = f"l{n}"
                    h.change(when(), "link", lid, link_between(upper, lower, lid))
        elif roll < 0.88 and now.links:
            gone = rng.choice(now.links)
            h.change(when(), "unlink", gone.id, None)
        elif roll < 0.95:
            k = rng.choice("gosc")
            t = when()
            h.change(t, "create", f"{k}new{n}", kinds[k](f"{k}new{n}", created_at=t))
        elif present:
            h.change(when(), "purge", rng.choice(present), None)
    return h


def test_sampled_series_updated_in_place_equal_those_rebuilt_at_every_sample():
    for seed in range(40):
        h = random_history(seed)
        instants = sorted({c.at for c in h.changes})
        # Samples before, between, at and after the changes, some at one cut twice.
        times = sorted(
            {"2023-12-01T00:00:00.000000+00:00", *instants[::3], "2025-01-01T00:00:00+00:00"}
            | {t.replace("T12", "T13") for t in instants[1::4]}
        )
        sampled = progress_sampled(h.now, h.changes, times)
        assert sampled == rebuilt_at_every_sample(h.now, h.changes, times), f"seed {seed}"
        assert any(len(points) > 2 for points in sampled.values()), f"seed {seed}: no history"


def test_sampled_series_hold_records_the_log_leaves_standing_that_the_database_lacks():
    """An old log with no purge rows: the items purged later stand in every state the log
    gives, as state_at reads it, though the current hierarchy has them no more."""
    left_standing = 0
    for seed in range(40):
        h = random_history(seed)
        kept = [c for c in h.changes if c.action != "purge"]
        left_standing += len(h.changes) - len(kept)
        times = [*change_times(kept)[::4], "2025-01-01T00:00:00+00:00"]
        sampled = progress_sampled(h.now, kept, times)
        assert sampled == rebuilt_at_every_sample(h.now, kept, times), f"seed {seed}"
    assert left_standing > 20


def test_sampled_series_draw_a_doubled_pair_by_its_lowest_id_link_whatever_the_load_order():
    """A pair linked twice (a state of the log) counts its lowest-id link, as state_at's
    hierarchy does, though the current hierarchy lists its links in another order."""
    for seed in range(40):
        h = random_history(seed)
        h.now.links.reverse()  # the database's order need not be the ids'
        times = [*change_times(h.changes)[::3], "2025-01-01T00:00:00+00:00"]
        sampled = progress_sampled(h.now, h.changes, times)
        assert sampled == rebuilt_at_every_sample(h.now, h.changes, times), f"seed {seed}"


def test_sampling_needs_only_the_changes_the_states_at_its_cuts_read():
    """store.series decodes only the audit rows graph.digest.needed names for the cuts."""
    skipped = 0
    for seed in range(40):
        h = random_history(seed)
        instants = change_times(h.changes)
        times = [*instants[::15], "2025-01-01T00:00:00+00:00"]
        cuts = sample_cuts(instants, times)
        current = h.now.items.keys() | {link.id for link in h.now.links}
        keys = [(c.at, c.seq, c.id) for c in h.changes]
        wanted = needed(keys, [c for c in cuts if c], current)
        read = [c for c in h.changes if c.seq in wanted]
        skipped += len(h.changes) - len(read)
        assert progress_at_cuts(h.now, read, times, cuts) == progress_sampled(
            h.now, h.changes, times
        ), f"seed {seed}"
    assert skipped > 100  # of 4,000 changes: the equality held with changes left out


def test_each_rolled_up_value_is_the_one_its_explanation_gives():
    for seed in range(40):
        g = build(random_history(seed).now)
        values = rollup(g)
        for node, kind in g.nodes(data="kind"):
            if kind in ("goal", "outcome", "commitment"):
                assert explain(g, node).value == values[node], f"seed {seed}: {node}"


def test_the_roll_up_made_without_a_graph_equals_the_graph_s():
    """graph.digest rolls up its two states straight from the records (rollup_of): trashed
    items, doubled pairs with other weights and links to purged items as build draws them."""
    for seed in range(40):
        h = random_history(seed)
        for state in (h.now, *(state_at(h.now, h.changes, c.at) for c in h.changes[::10])):
            assert rollup_of(state) == rollup(build(state)), f"seed {seed}"
