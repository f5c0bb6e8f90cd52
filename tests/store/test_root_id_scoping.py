"""The check behind "every query the store runs for a client filters by root_id" can fail,
and allows only what its list names (tests/sql_recorder.py; tests/store/conftest.py runs it
over every store test)."""

from __future__ import annotations

import importlib
import inspect

import pytest

from store import models as m
from store import ops
from store.errors import LinkRefused, NotFound
from store.exchange import export_document
from store.load import fetch
from tests.sql_recorder import WORKSPACE_WIDE, recording, unscoped, unscoped_tables
from tests.store.conftest import snapshot

pytestmark = [pytest.mark.both_backends, pytest.mark.unscoped_sql_on_purpose]


def test_a_store_function_that_looks_a_row_up_by_id_alone_is_reported(tree):
    with recording() as recorder:
        fetch(m.Goal.select().where(m.Goal.id == tree["goal"]))
    [(statement, tables)] = unscoped(recorder.from_store())
    assert tables == ["client_goals"]
    assert statement.callers[0] == "store.load.fetch"


def test_the_same_lookup_with_its_client_is_not_reported(tree):
    with recording() as recorder:
        fetch(m.Goal.select().where((m.Goal.id == tree["goal"]) & (m.Goal.root == tree["root"])))
    assert recorder.from_store() and unscoped(recorder.from_store()) == []


def test_unscoped_writes_run_on_the_stores_database_are_reported(tree):
    with recording() as recorder:
        m.Goal.update(title="Run two marathons").where(m.Goal.id == tree["goal"]).execute()
        m.NodePosition.delete().where(m.NodePosition.item_id == tree["goal"]).execute()
        m.AuditLog.insert(at="2026-01-01", action="note", entity="goal", entity_id="x").execute()
    found = unscoped(recorder.statements)
    assert [tables for _statement, tables in found] == [
        ["client_goals"],
        ["node_positions"],
        ["audit_log"],
    ]
    assert all(statement.callers == () for statement, _tables in found)


def test_a_join_must_scope_each_client_table_it_reads():
    sql = (
        'SELECT "t1"."id" FROM "targets" AS "t1" INNER JOIN "target_goal_links" AS "t2" '
        'ON ("t2"."target_id" = "t1"."id") WHERE ("t1"."root_id" = ?)'
    )
    assert unscoped_tables(sql) == ["target_goal_links"]


def test_the_whole_workspace_export_is_allowed_and_one_clients_needs_no_allowance(tree):
    with recording() as recorder:
        export_document(tree["root"])
    one_client = recorder.from_store()
    with recording() as recorder:
        export_document()
    workspace = [statement for statement, _tables in unscoped_found(recorder.from_store())]
    assert one_client and all(unscoped_tables(s.sql) == [] for s in one_client)
    assert workspace and {s.allowed_by() for s in workspace} == {
        "store.exchange.export_document(root_id=None)"
    }


def unscoped_found(statements):
    """Every statement leaving a client table unscoped, allowed or not."""
    return [(s, unscoped_tables(s.sql)) for s in statements if unscoped_tables(s.sql)]


def test_changes_to_one_clients_items_leave_the_client_out_only_to_find_the_item(tree, backend):
    with recording() as recorder:
        ops.update_item(tree["goal"], title="Run a faster marathon")
        ops.set_positions(tree["root"], {tree["goal"]: (1.0, 2.0), tree["sprint"]: None})
        ops.delete_item(tree["outcome"])
        ops.delete_item(tree["goal"])
        ops.restore_item(tree["outcome"], with_parents=True)
        [link] = [r for r in export_document(tree["root"])["links"]["outcome_sprint"]]
        ops.set_link_weight(link["id"], 2.0)
        ops.unlink(link["id"])
        ops.delete_item(tree["commitment"])
        ops.purge_item(tree["commitment"])
    allowed = {s.allowed_by() for s, _tables in unscoped_found(recorder.from_store())}
    # Purge backs up first: on a team database that is a copy of the workspace into a file.
    backed_up = {"store.copying.copy_rows"} if backend == "postgres" else set()
    assert (
        allowed == {"store.ops.find(root_id=None)", "store.ops.find_link(root_id=None)"} | backed_up
    )


def test_changes_given_their_client_leave_it_out_nowhere(tree, backend):
    root = tree["root"]
    with recording() as recorder:
        ops.update_item(tree["goal"], title="Run a faster marathon", root_id=root)
        ops.delete_item(tree["outcome"], root_id=root)
        ops.delete_item(tree["goal"], root_id=root)
        ops.restore_item(tree["outcome"], with_parents=True, root_id=root)
        [link] = [r for r in export_document(root)["links"]["outcome_sprint"]]
        ops.set_link_weight(link["id"], 2.0, root_id=root)
        ops.unlink(link["id"], root_id=root)
        ops.link_items(tree["sprint"], tree["outcome"], root_id=root)
        ops.delete_item(tree["commitment"], root_id=root)
        ops.purge_item(tree["commitment"], root_id=root)
    allowed = {s.allowed_by() for s, _tables in unscoped_found(recorder.from_store())}
    assert allowed == ({"store.copying.copy_rows"} if backend == "postgres" else set())


def test_a_change_given_another_client_finds_nothing_and_changes_nothing(tree):
    other = ops.create_client("Bo Lindqvist")["id"]
    before = snapshot()
    with pytest.raises(NotFound):
        ops.delete_item(tree["goal"], root_id=other)
    with pytest.raises(NotFound):
        ops.update_item(tree["goal"], title="Swim", root_id=other)
    assert snapshot() == before


def test_linking_to_another_clients_item_is_still_refused_in_the_rules_words(tree):
    other = ops.create_client("Bo Lindqvist")["id"]
    stranger = ops.create_goal(other, "Learn Swedish")["id"]
    with pytest.raises(LinkRefused) as refused:
        ops.link_items(tree["outcome"], stranger)
    assert "client" in str(refused.value)


@pytest.mark.parametrize("name", sorted(WORKSPACE_WIDE))
def test_every_allowed_function_exists_and_takes_the_client_it_is_called_without(name):
    path, _, condition = name.partition("(")
    module_name, _, qualname = path.rpartition(".")
    while module_name and not is_module(module_name):
        module_name, _, outer = module_name.rpartition(".")
        qualname = f"{outer}.{qualname}"
    function = importlib.import_module(module_name)
    for part in qualname.split("."):
        function = getattr(function, part)
    if condition:
        assert "root_id" in inspect.signature(function).parameters


def is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True
