"""An item's history includes the links that touched it, and only those."""

from __future__ import annotations

import pytest

from store import ops
from store.history import item_history, link_history

pytestmark = pytest.mark.both_backends


def actions(rows):
    return [(r["action"], r["entity"]) for r in rows]


def test_link_history_lists_links_and_unlinks_of_the_item_newest_first(tree):
    link = ops.find_link(
        ops.link_items(ops.create_outcome(tree["root"], "Sleep well")["id"], tree["goal"])["id"]
    )[1]
    ops.unlink(link.id)
    rows = link_history(tree["goal"])
    assert actions(rows) == [
        ("unlink", "outcome_goal"),
        ("link", "outcome_goal"),
        ("link", "outcome_goal"),
    ]
    assert rows[0]["entity_id"] == link.id


def test_link_history_leaves_out_links_between_other_items(tree):
    # The commitment's link to the outcome does not touch the goal or the sprint.
    goal_links = link_history(tree["goal"])
    sprint_links = link_history(tree["sprint"])
    assert {r["entity"] for r in goal_links} == {"outcome_goal"}
    assert {r["entity"] for r in sprint_links} == {"outcome_sprint"}
    assert len(link_history(tree["outcome"])) == 3


def test_link_history_includes_weight_changes(tree):
    link_id = link_history(tree["sprint"])[0]["entity_id"]
    ops.set_link_weight(link_id, 2.5)
    newest = link_history(tree["sprint"])[0]
    assert (newest["action"], newest["before"]["weight"], newest["after"]["weight"]) == (
        "update",
        1.0,
        2.5,
    )


def test_item_history_merges_own_rows_and_link_rows_newest_first(tree):
    ops.update_item(tree["goal"], title="Run a half marathon")
    ops.delete_item(tree["goal"])
    rows = item_history(tree["goal"])
    assert actions(rows) == [
        ("delete", "goal"),
        ("update", "goal"),
        ("link", "outcome_goal"),
        ("create", "goal"),
    ]
    stamps = [(r["at"], r["id"]) for r in rows]
    assert stamps == sorted(stamps, reverse=True)


def test_item_history_of_an_unknown_id_is_empty(tree):
    assert item_history("no-such-id") == []
