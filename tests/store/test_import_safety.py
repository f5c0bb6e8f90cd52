"""JSON import checks every id, every client and every value before writing a byte.

Each refusal leaves every file beside the database byte-identical (no backup, no audit row,
nothing in the WAL) and names the row: its section, its id and the field.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import uuid

import pytest

from store import exchange, ops
from store import models as m
from store.errors import ValidationError
from store.importing import NameClash
from store.opening import close_database, open_database
from store.value_check import bad_values

STAMP = "2026-03-01T09:00:00.000000+00:00"


def folder_state(folder) -> dict[str, str]:
    """sha256 of every file under `folder` but -shm files (readers write their marks there)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm")
    }


def refused(db, doc, match: str, **options) -> ValidationError:
    """Import `doc`, expect a refusal matching `match`, and prove nothing was written."""
    before = folder_state(db.parent), exchange.export_document(), m.AuditLog.select().count()
    with pytest.raises(ValidationError, match=match) as caught:
        exchange.import_document(doc, **options)
    after = folder_state(db.parent), exchange.export_document(), m.AuditLog.select().count()
    assert after == before
    return caught.value


def rekeyed(doc: dict) -> dict:
    """The document as another machine would have it: the same rows under ids of its own."""
    new_ids: dict[str, str] = {}

    def swap(value):
        return new_ids.setdefault(value, str(uuid.uuid4())) if value else value

    copied = copy.deepcopy(doc)
    for rows in rows_of_every_section(copied):
        for row in rows:
            for column in row:
                if column == "id" or column.endswith("_id"):
                    row[column] = swap(row[column])
    return copied


def rows_of_every_section(doc: dict):
    for section, _kind in exchange.ENTITY_SECTIONS:
        yield doc[section]
    yield from doc["links"].values()
    yield doc["positions"]


def new_client_doc(name: str = "Ben Osei", **goal_fields) -> dict:
    """A document with one new client and one goal of it."""
    client_id = str(uuid.uuid4())
    stamps = {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None}
    client = {"id": client_id, "root_id": client_id, "name": name, "notes": ""} | stamps
    goal = ops.defaults("goal") | {"id": str(uuid.uuid4()), "root_id": client_id} | stamps
    goal |= {"title": "Speak at the conference", "target_date": None} | goal_fields
    doc = {"format": "trellis", "version": 1, "clients": [client], "goals": [goal]}
    return doc | {s: [] for s in ("outcomes", "sprints", "commitments", "sessions", "positions")}


@pytest.fixture
def full_doc(db, tree):
    """The whole database (Ana's tree, a session and a position) as its export."""
    session = ops.create_session(tree["root"], "2026-01-05", title="Kick-off")
    ops.update_item(tree["commitment"], session_id=session["id"])
    ops.set_positions(tree["root"], {tree["goal"]: (10.0, 20.0)})
    return exchange.export_document()


# ---------------------------------------------------------------- every id, every client


def test_a_new_clients_goal_with_the_id_of_another_clients_commitment_is_refused(db, tree):
    doc = new_client_doc()
    doc["goals"][0]["id"] = tree["commitment"]
    refused(db, doc, r"Row 1 of 'goals' \(id .*\) has the id of the commitment 'Buy shoes'")
    ops.delete_item(tree["commitment"])  # trashing it must not trash anything else
    assert m.Goal.select().count() == 1


def test_an_id_repeated_in_the_document_is_refused_even_across_kinds(db, tree):
    doc = new_client_doc()
    commitment = ops.defaults("commitment") | {
        k: doc["goals"][0][k] for k in ("id", "root_id", "created_at", "updated_at", "deleted_at")
    }
    doc["commitments"] = [commitment | {"title": "Same id", "start_date": None}]
    doc["commitments"][0] |= {"target_date": None, "completed_date": None, "session_id": None}
    refused(db, doc, r"Row 1 of 'commitments' .* repeats the id of row 1 of 'goals'")
    doc["commitments"] = []
    doc["goals"].append(dict(doc["goals"][0], title="Another"))
    refused(db, doc, r"Row 2 of 'goals' .* repeats the id of row 1 of 'goals'")


def test_a_commitment_naming_another_clients_session_is_refused(db, full_doc):
    other = ops.create_client("Ben Osei")
    theirs = ops.create_session(other["id"], "2026-02-01")
    doc = copy.deepcopy(full_doc)
    doc["commitments"][0] |= {"id": str(uuid.uuid4()), "session_id": theirs["id"]}
    refused(db, doc, r"Row 1 of 'commitments' .*: session_id .* belongs to client 'Ben Osei'")


@pytest.mark.parametrize("case", ["another client", "no such item", "a session"])
def test_positions_filed_under_another_client_or_for_no_item_are_refused(db, full_doc, case):
    other = ops.create_client("Ben Osei")
    doc = copy.deepcopy(full_doc)
    position = doc["positions"][0]
    if case == "another client":
        position["root_id"] = other["id"]
        match = "belongs to client 'Ana Silva', not to this row's client 'Ben Osei'"
    elif case == "no such item":
        position["item_id"] = "no-such-item"
        match = "item_id no-such-item is no goal, outcome, sprint or commitment"
    else:
        position["item_id"] = doc["sessions"][0]["id"]
        match = "is no goal, outcome, sprint or commitment"
    m.NodePosition.delete().execute()  # so the position is new, not a conflict
    refused(db, doc, rf"Row 1 of 'positions' \(item_id .*\): .*{match}")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ("nobody", "root_id nobody is not a client"),
        ("a goal's id", "root_id .* is not a client"),
    ],
)
def test_a_row_whose_root_id_is_no_client_is_refused(db, tree, change, match):
    doc = new_client_doc()
    doc["goals"][0]["root_id"] = tree["goal"] if change == "a goal's id" else change
    refused(db, doc, rf"Row 1 of 'goals' \(id .*\): {match} in this database or the document")


def test_a_client_whose_root_id_is_not_its_own_id_is_refused(db):
    doc = new_client_doc()
    doc["clients"][0]["root_id"] = "someone-else"
    doc["goals"] = []
    refused(db, doc, r"Row 1 of 'clients' .*: a client's root_id must be its own id")


def test_a_link_filed_under_another_client_than_its_ends_is_refused(db, full_doc):
    other = ops.create_client("Ben Osei")
    doc = copy.deepcopy(full_doc)
    link = doc["links"]["outcome_goal"][0]
    m.TargetGoalLink.delete().execute()
    link["root_id"] = other["id"]
    refused(db, doc, r"Row 1 of 'links.outcome_goal' .*: goal_id .* belongs to client 'Ana")


def test_a_link_whose_end_is_of_the_wrong_kind_is_refused(db, full_doc):
    doc = copy.deepcopy(full_doc)
    link = doc["links"]["outcome_goal"][0]
    link |= {"id": str(uuid.uuid4()), "goal_id": doc["commitments"][0]["id"]}
    m.TargetGoalLink.delete().execute()
    refused(db, doc, r"'links.outcome_goal' .*: goal_id .* is no goal in this database")


def test_a_second_link_between_the_same_two_items_is_refused(db, full_doc):
    doc = copy.deepcopy(full_doc)
    doc["links"]["outcome_goal"][0]["id"] = str(uuid.uuid4())
    refused(db, doc, r"joins the same two items as link .*; two items are linked once")


# ---------------------------------------------------------------- same id, other content


def test_same_id_other_content_is_a_conflict_naming_kind_title_id_and_fields(db, full_doc):
    doc = copy.deepcopy(full_doc)
    goal = doc["goals"][0]
    goal |= {"title": "Run an ultra", "status": "paused"}
    doc["links"]["outcome_goal"][0]["weight"] = 2.5
    doc["clients"].append(new_client_doc()["clients"][0])  # new rows do not slip through
    error = refused(db, doc, "with the same id")
    text = str(error)
    assert f"goal 'Run a marathon', goals row 1, id {goal['id']}: title, status differ" in text
    assert "outcome-goal link, links.outcome_goal row 1" in text and "weight differ" in text
    assert text.startswith("The document has other content than this database for 2 rows")
    assert "nothing was imported" in text


def test_more_than_ten_conflicts_are_listed_as_ten_and_a_count(db, client):
    for n in range(12):
        ops.create_goal(client["id"], f"Goal {n}")
    doc = exchange.export_document()
    for goal in doc["goals"]:
        goal["description"] = "edited elsewhere"
    text = str(refused(db, doc, "for 12 rows"))
    assert text.count("description differ") == 10 and "; and 2 more)" in text


# ---------------------------------------------------------------- client names


def test_a_client_named_like_one_here_is_refused_in_a_sentence_naming_the_free_name(db, tree):
    doc = rekeyed(exchange.export_document())
    error = refused(db, doc, "already has a client named 'Ana Silva'")
    assert isinstance(error, NameClash)
    assert error.renames == {"Ana Silva": "Ana Silva (2)"}
    assert "UNIQUE" not in str(error) and "import it as 'Ana Silva (2)'" in str(error)


def test_rename_clients_imports_as_the_first_free_name_and_keeps_every_row(db, tree):
    ops.delete_item(ops.create_client("Ana Silva (2)")["id"])  # trashed: still not free
    doc = rekeyed(exchange.export_document(tree["root"]))
    report = exchange.import_document(doc, rename_clients=True)
    assert report.renamed == [("Ana Silva", "Ana Silva (3)")]
    names = sorted(c.name for c in m.Client.select())
    assert names == ["Ana Silva", "Ana Silva (2)", "Ana Silva (3)"]
    new_root = doc["clients"][0]["id"]
    assert m.Goal.select().where(m.Goal.root == new_root).count() == 1
    assert m.TargetGoalLink.select().where(m.TargetGoalLink.root == new_root).count() == 1


def test_a_renamed_client_fits_the_name_length_limit(db):
    long_name = "A" * 200
    ops.create_client(long_name)
    doc = new_client_doc(name=long_name)
    report = exchange.import_document(doc, rename_clients=True)
    assert report.renamed[0][1] == "A" * 196 + " (2)"


# ---------------------------------------------------------------- every value


BAD_VALUES = [
    ("links", "weight", "abc", "Weight must be a number above 0 \\(got 'abc'\\)"),
    ("links", "weight", True, "Weight must be a number above 0 \\(got true\\)"),
    ("links", "weight", float("inf"), "Weight must be a number above 0 \\(got Infinity\\)"),
    ("links", "weight", float("nan"), "Weight must be a number above 0 \\(got NaN\\)"),
    ("positions", "x", "abc", "X must be a number"),
    ("goals", "deleted_at", "yesterday", "Deleted at must be a time like"),
    ("goals", "title", 5, "Title must be text \\(got 5\\)"),
    ("goals", "title", [1, 2], "Title must be text \\(got a list\\)"),
    ("goals", "title", {"a": 1}, "Title must be text \\(got an object\\)"),
    ("goals", "progress", True, "Progress must be a whole number from 0 to 100 \\(got true\\)"),
    ("goals", "created_at", "2026-01-01" * 500_000, "Created at must be a time like"),
    ("goals", "description", "a\x00b", "Description contains a NUL character"),
    ("goals", "title", "Run \ud800", "Title contains a lone surrogate"),
    ("sessions", "notes", "\udfff", "Notes contains a lone surrogate"),
    ("sprints", "sprint_number", 2**70, "Sprint number must be from 1 to 2147483647"),
    ("outcomes", "order_index", 2**63, "Order index must be from"),
    ("commitments", "updated_at", None, "Updated at must be a time like"),
    ("clients", "name", "\ud83d", "Name contains a lone surrogate"),
    ("commitments", "session_id", "s\x1b]0;pwned\x07", "Session id must be an id"),
]


@pytest.mark.parametrize(("section", "column", "value", "match"), BAD_VALUES)
def test_a_bad_value_is_refused_naming_section_id_and_field(
    db, full_doc, section, column, value, match
):
    close_database()
    open_database(db.parent / "empty.db")
    doc = copy.deepcopy(full_doc)
    rows = doc["links"]["outcome_goal"] if section == "links" else doc[section]
    rows[0][column] = value
    key = "item_id" if section == "positions" else "id"
    label = "links.outcome_goal" if section == "links" else section
    refused(db, doc, rf"^Row 1 of '{label}' \({key} {rows[0][key]}\): {match}")


def test_every_column_of_every_table_has_a_rule():
    from store.validate import STORED_RULES

    tables = {kind: model for kind, model in m.KIND_MODELS.items()}
    tables |= {kind: model for kind, (model, _u, _l) in m.LINK_MODELS.items()}
    tables["position"] = m.NodePosition
    for kind, model in tables.items():
        assert set(STORED_RULES[kind]) == {f.column_name for f in model._meta.sorted_fields}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda root, goal, link: ops.update_item(goal, progress=True), "Progress must be"),
        (lambda root, goal, link: ops.create_goal(root, 5), "Title must be text"),
        (lambda root, goal, link: ops.create_goal(root, "A\ud800"), "lone surrogate"),
        (lambda root, goal, link: ops.set_link_weight(link, float("inf")), "got Infinity"),
        (lambda root, goal, link: ops.set_link_weight(link, True), "got true"),
    ],
)
def test_the_editors_refuse_what_import_refuses(db, tree, change, match):
    link = m.TargetGoalLink.get().id
    with pytest.raises(ValidationError, match=match):
        change(tree["root"], tree["goal"], link)


# ---------------------------------------------------------------- values already in a file


def test_check_reports_each_stored_row_with_a_bad_value(db, full_doc):
    with sqlite3.connect(db) as raw:  # another tool, or an import before these rules
        raw.execute("UPDATE target_goal_links SET weight = 'abc'")
        raw.execute("UPDATE client_goals SET deleted_at = 'yesterday'")
        raw.execute("UPDATE node_positions SET x = 'far'")
    raw.close()
    findings = bad_values()
    assert {f.code for f in findings} == {"bad-value"}
    assert {f.severity for f in findings} == {"error"}
    messages = sorted(f.message for f in findings)
    assert len(messages) == 3
    assert messages[0].startswith("The goal 'Run a marathon' has a bad value: ")
    assert "Weight must be a number above 0 (got 'abc')" in messages[1]
    assert messages[2].startswith("The saved position of item ")
    assert bad_values(tree_root(full_doc)) == findings
    assert bad_values("someone-else") == []


def tree_root(doc: dict) -> str:
    return doc["clients"][0]["id"]


def test_check_finds_nothing_in_a_database_the_app_wrote(db, full_doc):
    assert bad_values() == []


# ---------------------------------------------------------------- any input, no traceback


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": "trellis", "version": ' + "1" * 5000 + "}", "thousands of digits long"),
        ('{"format": "trellis", "version": [1]}', "export version a list"),
        ('{"format": "trellis", "version": 1, "notes": []}', "a section 'notes' this Trellis"),
        ('{"format": "trellis", "version": 1, "links": {"goal_sprint": []}}', "'links.goal_sp"),
    ],
)
def test_a_document_json_cannot_hold_or_not_shaped_like_an_export_is_one_sentence(
    tmp_path, text, match
):
    path = tmp_path / "in.json"
    path.write_text(text)
    with pytest.raises(ValidationError, match=match):
        exchange.read_document(path)


def test_a_lone_surrogate_escaped_in_the_file_is_refused_naming_the_row(db, full_doc, tmp_path):
    text = json.dumps(full_doc).replace('"Run 10 km"', '"Run \\ud800 km"')
    path = tmp_path / "in.json"
    path.write_text(text)
    doc = exchange.read_document(path)
    close_database()
    (tmp_path / "other").mkdir()
    open_database(tmp_path / "other" / "empty.db")
    refused(tmp_path / "other" / "empty.db", doc, r"Row 1 of 'outcomes' .*: Title contains a lone")


def test_a_deeply_nested_value_in_a_row_is_refused_without_spelling_it_out(db, full_doc):
    doc = copy.deepcopy(full_doc)
    nested: list = []
    for _ in range(500):
        nested = [nested]
    doc["goals"][0]["description"] = nested
    refused(db, doc, r"Description must be text \(got a list\)\.$")
