"""Records the SQL the store runs and finds what touches a client's rows without naming the
client: the proof behind "every query the store runs for a client filters by root_id"
(issue 15), which is what makes `root_id` a distribution column to shard by.

`recording()` wraps peewee's `Database.execute_sql` (TrellisPostgres's own goes through it
too) and keeps each statement run on the store's database (the proxy's, store.models) with
the store functions on the stack when it ran. `unscoped(statements)` is the check: a SELECT,
INSERT, UPDATE or DELETE that touches a client table must filter by (or, inserting, carry)
that table's root column, unless a store function on its stack is in WORKSPACE_WIDE, the few
operations that are about the whole workspace by nature.

The reading of SQL is deliberately plain (peewee writes every statement the same way): a
table is scoped when the statement compares its alias's root column with `=` or `IN`. A
condition ORed away would fool it; the store writes none.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee

from store import models as m


def root_columns() -> dict[str, tuple[str, ...]]:
    """Each client table (every table with a root_id column) -> the columns that name its
    client. A client's own row is keyed by `id` (its root_id equals it, by CHECK): Citus
    would distribute `clients` by `id` and the other tables by `root_id`, co-located."""
    tables = {
        model._meta.table_name: ("root_id",)
        for model in m.ALL_MODELS
        if "root_id" in {f.column_name for f in model._meta.sorted_fields}
    }
    tables[m.Client._meta.table_name] = ("id", "root_id")
    return tables


CLIENT_TABLES = root_columns()

# The store functions whose statements may leave the client out: one on a statement's stack
# allows it. "(root_id=None)" means called for no client (the whole workspace); the same
# function given a client is checked like any other. Each says why.
WORKSPACE_WIDE: dict[str, str] = {
    # The workspace as a whole: what these do is about every client at once.
    "store.load.list_clients": "the client list itself",
    "store.ops.known_clients": "names the live clients, for a message about an unknown one",
    "store.ops.client_by_name": "the CLI's --client names a client by name, not by id",
    "store.ops.refuse_duplicate_name": "a client's name is unique across the workspace",
    "store.load.load_hierarchy(root_id=None)": "the whole workspace's graph (check, import)",
    "store.exchange.export_document(root_id=None)": "the whole-workspace export",
    "store.trash.list_trash(root_id=None)": "the trash of every client",
    "store.value_check.bad_values(root_id=None)": "the integrity check of the whole workspace",
    "store.importing.plan_import": "ids and link pairs are unique across the workspace",
    "store.copying.copy_rows": "copies the whole workspace to another database",
    "store.migrations.run_step": "a schema migration rewrites every row of a table",
    "store.repair.safe_repairs": "repairs rows whose root_id is wrong, so cannot trust it",
    "store.legacy.apply.run_plan": "builds the workspace from a legacy file, all of it",
    # Entry lookups: the caller names an item by its id alone (desktop and CLI hand the store
    # an id); what the change does next is scoped by the root_id the lookup found.
    "store.ops.find(root_id=None)": "finds the item (and so its client) a bare id names",
    "store.ops.find_link(root_id=None)": "finds the link (and so its client) a bare link id names",
    "store.audit.history": "an item's audit rows by its id: they outlive a purged item",
    "store.history.link_history(root_id=None)": "an item with no audit rows names no client",
    "store.ops.is_another_clients_session": "only once the client's own lookup found nothing, "
    "so a refusal can say the session is another client's",
}

CHECKED_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
TABLE_REFERENCE = re.compile(r"\b(FROM|JOIN|INTO|UPDATE)\s+(\w+)(?:\s+AS\s+(\w+))?", re.I)
INSERT_COLUMNS = re.compile(r"^\s*INSERT\s+INTO\s+\w+(?:\s+AS\s+\w+)?\s*\(([^)]*)\)", re.I)


@dataclass(frozen=True)
class Statement:
    """One statement the store's database ran, and the store functions that ran it
    (innermost first, as "store.ops.find")."""

    sql: str
    callers: tuple[str, ...]

    def allowed_by(self) -> str | None:
        """The workspace-wide store function on this statement's stack, if any."""
        return next((name for name in self.callers if name in WORKSPACE_WIDE), None)


@dataclass
class Recorder:
    statements: list[Statement] = field(default_factory=list)

    def from_store(self) -> list[Statement]:
        """The statements a store function ran (a test's own queries are not the store's)."""
        return [s for s in self.statements if s.callers]


def store_callers(frame) -> tuple[str, ...]:
    """The store functions on the stack from `frame` outwards, innermost first."""
    names = []
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        # The database's own methods (TrellisPostgres.execute_sql) run every statement,
        # whoever asked: they are not the store function that ran it.
        if module.startswith("store.") and not is_database_method(frame):
            names.append(caller_name(module, frame))
        frame = frame.f_back
    return tuple(names)


def caller_name(module: str, frame) -> str:
    """The function as WORKSPACE_WIDE names it: "store.load.load_hierarchy", with
    "(root_id=None)" added when it takes a client and was given none (the whole workspace)."""
    name = f"{module}.{frame.f_code.co_qualname}"
    takes_client = "root_id" in frame.f_code.co_varnames[: frame.f_code.co_argcount]
    if takes_client and frame.f_locals.get("root_id") is None:
        return f"{name}(root_id=None)"
    return name


def is_database_method(frame) -> bool:
    return isinstance(frame.f_locals.get("self"), peewee.Database)


@contextmanager
def recording() -> Iterator[Recorder]:
    """Keep every statement run on the store's database until the block ends."""
    recorder = Recorder()
    original = peewee.Database.execute_sql

    def execute_sql(db, sql, params=None, *args, **kwargs):
        if db is m.database.obj:
            recorder.statements.append(Statement(sql, store_callers(sys._getframe(1))))
        return original(db, sql, params, *args, **kwargs)

    peewee.Database.execute_sql = execute_sql  # type: ignore[method-assign]
    try:
        yield recorder
    finally:
        peewee.Database.execute_sql = original  # type: ignore[method-assign]


# ---------------------------------------------------------------- reading one statement


def plain(sql: str) -> str:
    """The statement with identifiers unquoted and spaces collapsed ("t1".x -> t1.x)."""
    return re.sub(r"\s+", " ", sql.replace('"', "").replace("`", "")).strip()


def is_row_access(sql: str) -> bool:
    """Whether the statement reads or writes rows (DDL, PRAGMA, transactions do not)."""
    words = plain(sql).split(" ", 1)
    return words[0].upper() in CHECKED_VERBS


def client_tables_touched(sql: str) -> list[tuple[str, str, str]]:
    """(verb, table, the name the statement calls it by) for each client table it touches."""
    touched = []
    for verb, table, alias in TABLE_REFERENCE.findall(plain(sql)):
        if table in CLIENT_TABLES:
            touched.append((verb.upper(), table, alias or table))
    return touched


def compares_root(sql: str, table: str, name: str, alone: bool) -> bool:
    """Whether the statement compares `name`'s root column with = or IN (a bare column
    counts when this is the statement's only table)."""
    for column in CLIENT_TABLES[table]:
        qualified = rf"\b{re.escape(name)}\.{column}"
        pattern = rf"(?:{qualified}|(?<![\w.]){column})" if alone else qualified
        if re.search(rf"{pattern}\s*(?:=|IN\b)", plain(sql), re.I):
            return True
    return False


def inserts_root(sql: str, table: str) -> bool:
    """Whether an INSERT names the table's root column among the columns it writes."""
    found = INSERT_COLUMNS.match(plain(sql))
    columns = {c.strip() for c in found.group(1).split(",")} if found else set()
    return bool(columns & set(CLIENT_TABLES[table]))


def unscoped_tables(sql: str) -> list[str]:
    """The client tables this statement touches without naming the client."""
    if not is_row_access(sql):
        return []
    touched = client_tables_touched(sql)
    missing = []
    for verb, table, name in touched:
        if verb == "INTO":
            scoped = inserts_root(sql, table)
        else:
            scoped = compares_root(sql, table, name, alone=len(touched) == 1)
        if not scoped:
            missing.append(table)
    return missing


# ---------------------------------------------------------------- the check


def unscoped(statements: Iterable[Statement]) -> list[tuple[Statement, list[str]]]:
    """Each statement that touches a client table without root_id and is not run by a
    workspace-wide store function, with the tables it left unscoped."""
    found = []
    for statement in statements:
        tables = unscoped_tables(statement.sql)
        if tables and statement.allowed_by() is None:
            found.append((statement, tables))
    return found


def describe(found: list[tuple[Statement, list[str]]]) -> str:
    """The report a failing test prints: each statement once, with who ran it."""
    lines, seen = [], set()
    for statement, tables in found:
        key = (statement.sql, statement.callers[:3])
        if key in seen:
            continue
        seen.add(key)
        chain = " <- ".join(statement.callers[:4]) or "(not a store function)"
        lines.append(f"{', '.join(tables)} without root_id in {chain}:\n    {statement.sql}")
    return "\n".join(lines)
