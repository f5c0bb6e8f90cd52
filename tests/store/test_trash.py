"""Soft delete, restore and purge: nothing is lost until purged, and links come back."""

import pytest

from graph.build import build
from store import audit, ops, trash
from store.errors import ValidationError
from store.load import load_hierarchy
from store.models import AuditLog, Commitment, NodePosition
from tests.store.conftest import backups_folder

pytestmark = pytest.mark.both_backends


def live_edges(root):
    return set(build(load_hierarchy(root)).edges())


def test_delete_hides_links_and_restore_brings_them_back(tree):
    edges = live_edges(tree["root"])
    ops.delete_item(tree["outcome"])
    assert live_edges(tree["root"]) == set()
    ops.restore_item(tree["outcome"])
    assert live_edges(tree["root"]) == edges


def test_delete_keeps_the_row_and_link_rows(tree):
    links_before = len(load_hierarchy(tree["root"]).links)
    ops.delete_item(tree["commitment"])
    assert Commitment.get_by_id(tree["commitment"]).deleted_at is not None
    assert len(load_hierarchy(tree["root"]).links) == links_before


def test_trash_lists_the_links_an_item_will_bring_back(tree):
    ops.delete_item(tree["commitment"])
    [entry] = trash.list_trash()
    assert (entry["kind"], entry["title"], entry["client"]) == (
        "commitment",
        "Buy shoes",
        "Ana Silva",
    )
    assert [(x["kind"], x["other_title"]) for x in entry["links"]] == [
        ("commitment_outcome", "Run 10 km")
    ]


def test_deleting_twice_or_restoring_a_live_item_is_refused(tree):
    ops.delete_item(tree["goal"])
    with pytest.raises(ValidationError, match="already in the trash"):
        ops.delete_item(tree["goal"])
    with pytest.raises(ValidationError, match="not in the trash"):
        ops.restore_item(tree["outcome"])


def test_restore_with_parents_brings_back_the_chain_above(tree):
    ops.delete_item(tree["goal"])
    ops.delete_item(tree["outcome"])
    ops.delete_item(tree["commitment"])
    restored = ops.restore_item(tree["commitment"], with_parents=True)
    assert set(restored) == {tree["commitment"], tree["outcome"], tree["goal"]}
    assert (tree["goal"], tree["outcome"]) in live_edges(tree["root"])


def test_restore_refused_while_its_client_is_in_the_trash(tree):
    ops.delete_item(tree["goal"])
    ops.delete_item(tree["root"])
    with pytest.raises(ValidationError, match="restore the client first"):
        ops.restore_item(tree["goal"])
    assert set(ops.restore_item(tree["goal"], with_parents=True)) == {tree["root"], tree["goal"]}


def test_restore_refused_when_a_live_goal_took_its_title(tree):
    ops.delete_item(tree["goal"])
    ops.create_goal(tree["root"], "Run a marathon")
    with pytest.raises(ValidationError, match="already has a goal titled"):
        ops.restore_item(tree["goal"])


def test_purge_needs_the_item_in_the_trash(tree):
    with pytest.raises(ValidationError, match="delete it before purging"):
        ops.purge_item(tree["goal"])


def test_purge_removes_row_links_and_position_after_a_backup(db, tree):
    ops.set_positions(tree["root"], {tree["outcome"]: (5, 5)})
    ops.delete_item(tree["outcome"])
    ops.purge_item(tree["outcome"])
    h = load_hierarchy(tree["root"])
    assert tree["outcome"] not in h.items and h.links == []
    assert not NodePosition.select().where(NodePosition.item_id == tree["outcome"]).exists()
    assert list(backups_folder().glob("*.db")), "purge takes a backup first"
    assert audit.history(tree["outcome"])[0]["action"] == "purge"


def test_purging_a_client_cascades_to_everything_it_owns(tree):
    ops.delete_item(tree["root"])
    ops.purge_item(tree["root"])
    h = load_hierarchy()
    assert h.items == {} and h.links == [] and h.clients == {}
    assert AuditLog.select().where(AuditLog.action == "purge").count() == 1
