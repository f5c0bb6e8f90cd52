"""Linking: only the hierarchy's pairs, within one client, between live items, once."""

import pytest

from store import audit, ops
from store.errors import LinkRefused, ValidationError
from store.load import load_hierarchy
from tests.store.conftest import snapshot

pytestmark = pytest.mark.both_backends


def test_link_works_in_either_drag_direction(client):
    goal = ops.create_goal(client["id"], "G")
    outcome = ops.create_outcome(client["id"], "O")
    link = ops.link_items(goal["id"], outcome["id"])
    assert (link["kind"], link["upper"], link["lower"]) == (
        "outcome_goal",
        goal["id"],
        outcome["id"],
    )
    sprint = ops.create_sprint(client["id"], "S", "2026-01-01", "2026-01-31")
    link = ops.link_items(sprint["id"], outcome["id"])
    assert (link["kind"], link["upper"], link["lower"]) == (
        "outcome_sprint",
        outcome["id"],
        sprint["id"],
    )


def test_link_of_a_wrong_kind_pair_names_the_right_path(client):
    goal = ops.create_goal(client["id"], "G")
    commitment = ops.create_commitment(client["id"], "C")
    before = snapshot()
    with pytest.raises(LinkRefused, match="through an outcome"):
        ops.link_items(commitment["id"], goal["id"])
    assert snapshot() == before


def test_link_across_clients_is_refused(client):
    other = ops.create_client("Ben Osei")
    goal = ops.create_goal(client["id"], "G")
    outcome = ops.create_outcome(other["id"], "O")
    before = snapshot()
    with pytest.raises(LinkRefused, match="another client"):
        ops.link_items(goal["id"], outcome["id"])
    assert snapshot() == before


def test_link_to_an_item_in_the_trash_is_refused(client):
    goal = ops.create_goal(client["id"], "G")
    outcome = ops.create_outcome(client["id"], "O")
    ops.delete_item(goal["id"])
    before = snapshot()
    with pytest.raises(LinkRefused, match="trash"):
        ops.link_items(outcome["id"], goal["id"])
    assert snapshot() == before


def test_duplicate_link_is_refused(tree):
    before = snapshot()
    with pytest.raises(LinkRefused, match="already linked"):
        ops.link_items(tree["goal"], tree["outcome"])
    assert snapshot() == before


def test_bad_weight_is_refused(client):
    goal = ops.create_goal(client["id"], "G")
    outcome = ops.create_outcome(client["id"], "O")
    with pytest.raises(ValidationError, match="above 0"):
        ops.link_items(goal["id"], outcome["id"], weight=0)
    with pytest.raises(ValidationError, match="a number"):
        ops.link_items(goal["id"], outcome["id"], weight="heavy")


def test_unlink_removes_the_row_and_relinking_with_its_id_undoes_it(tree):
    h = load_hierarchy(tree["root"])
    link = next(link for link in h.links if link.kind == "outcome_goal")
    removed = ops.unlink(link.id)
    assert all(x.id != link.id for x in load_hierarchy(tree["root"]).links)
    assert audit.history(link.id)[0]["action"] == "unlink"
    ops.link_items(removed["upper"], removed["lower"], removed["weight"], link_id=link.id)
    assert link.id in {x.id for x in load_hierarchy(tree["root"]).links}


def test_set_link_weight_is_audited(tree):
    link = load_hierarchy(tree["root"]).links[0]
    ops.set_link_weight(link.id, 2.5)
    weights = {x.id: x.weight for x in load_hierarchy(tree["root"]).links}
    assert weights[link.id] == 2.5
    assert audit.history(link.id)[0]["after"]["weight"] == 2.5
