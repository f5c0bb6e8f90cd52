"""Merging a JSON export into the database: which rows are new, and every reason to refuse.

The merge rule (the README says the same):

- a row whose id is not in the database is added;
- a row identical to the one with its id in the database is skipped ("already present");
- a row whose id is in the database with other content is a conflict, and the whole import is
  refused listing the conflicts (kind, title, id, the fields that differ);
- an id used twice in the document, or by a row of another kind, is refused;
- every row stays within one client: its root_id names a client of the database or of the
  document, and what it points at (a link's ends, a commitment's session, a position's item)
  belongs to that same client;
- a new client whose name a live client here already has is refused (`NameClash`) unless the
  caller asks to rename: it is then imported as "Name (2)", the first free "Name (n)".

Every value passes the editors' rules (store.validate), and everything is decided before
anything is written, so a refusal leaves the database byte-identical: no backup, no audit row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from store import models as m
from store.errors import ValidationError
from store.load import fetch
from store.ops import display_title
from store.validate import TITLE_MAX, clean_stored, shown

# (section as the messages name it, row kind, model), parents before children: insert order.
SECTIONS: tuple[tuple[str, str, type[m.BaseModel]], ...] = (
    *(
        (section, kind, m.KIND_MODELS[kind])
        for section, kind in (
            ("clients", "client"),
            ("sessions", "session"),
            ("goals", "goal"),
            ("outcomes", "outcome"),
            ("sprints", "sprint"),
            ("commitments", "commitment"),
        )
    ),  # fmt: skip
    *((f"links.{kind}", kind, model) for kind, (model, _u, _l) in m.LINK_MODELS.items()),
    ("positions", "position", m.NodePosition),
)
MODEL_KINDS = {model: kind for kind, model in m.KIND_MODELS.items()}
NODE_KINDS = ("goal", "outcome", "sprint", "commitment")
CONFLICTS_SHOWN = 10


class NameClash(ValidationError):
    """New clients are named like clients already here; `renames` says what they would become."""

    def __init__(self, message: str, renames: dict[str, str]):
        super().__init__(message, "name")
        self.renames = renames


class Report(dict):
    """Added/skipped counts per section; `renamed` lists (name in the file, name given)."""

    renamed: list[tuple[str, str]]


@dataclass
class Row:
    section: str
    number: int
    kind: str
    values: dict[str, Any]

    @property
    def key(self) -> str:
        return self.values["item_id" if self.kind == "position" else "id"]

    def where(self) -> str:
        name = "item_id" if self.kind == "position" else "id"
        return f"Row {self.number} of {self.section!r} ({name} {self.key})"


@dataclass
class Plan:
    """The document's rows sorted into new and already present, each new one checked."""

    new: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def report(self) -> Report:
        report = Report()
        for section, _kind, _model in SECTIONS:
            name = section.removeprefix("links.")
            added = sum(r.section == section for r in self.new)
            skipped = sum(r.section == section for r in self.skipped)
            report[name] = {"added": added, "skipped": skipped}
        report.renamed = self.renamed
        return report


def plan_import(doc: dict[str, Any], rename_clients: bool = False) -> Plan:
    """Decide what importing `doc` would add; raise ValidationError naming the first bad row."""
    rows = list(read_rows(doc))
    refuse_repeated_ids(rows)
    stored = Stored.load(rows)
    plan = Plan()
    conflicts = []
    for row in rows:
        before = stored.same_key(row)
        if before is None:
            plan.new.append(row)
        elif before == row.values:
            plan.skipped.append(row)
        else:
            conflicts.append((row, before))
    refuse_conflicts(conflicts)
    owners = Owners(rows, stored)
    for row in plan.new:
        refuse_off_client(row, owners)
    plan.renamed = settle_client_names(plan.new, rename_clients)
    refuse_live_duplicates(plan.new)
    refuse_repeated_link_pairs(plan.new)
    return plan


# ---------------------------------------------------------------- reading and checking rows


def read_rows(doc: dict[str, Any]) -> Iterator[Row]:
    for section, kind, model in SECTIONS:
        for number, raw in enumerate(section_rows(doc, section), start=1):
            yield Row(section, number, kind, checked_row(section, number, raw, kind, model))


def section_rows(doc: dict[str, Any], section: str) -> list[Any]:
    if section.startswith("links."):
        return doc.get("links", {}).get(section.removeprefix("links."), [])
    return doc.get(section, [])


def checked_row(section: str, number: int, raw: Any, kind: str, model) -> dict[str, Any]:
    """Every column of the row, after the rules the editors apply (store.validate)."""
    where = f"Row {number} of {section!r}"
    if not isinstance(raw, dict):
        raise ValidationError(f"{where} is not an object.")
    key = raw.get("item_id" if kind == "position" else "id")
    if isinstance(key, str) and 0 < len(key) <= 100 and key.isprintable():
        where += f" ({'item_id' if kind == 'position' else 'id'} {key})"
    columns = {f.column_name: f for f in model._meta.sorted_fields}
    missing = [c for c, f in columns.items() if c not in raw and not f.null]
    unknown = [c for c in raw if c not in columns]
    if missing or unknown:
        problem = f"lacks {missing[0]!r}" if missing else f"has a column {shown(unknown[0])}"
        raise ValidationError(f"{where} {problem}{'' if missing else ' no Trellis row has'}.")
    try:
        return clean_stored(kind, raw)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}", exc.field) from exc


def refuse_repeated_ids(rows: list[Row]) -> None:
    """Items and links share one id space (restore-item, purge take any id); positions are
    keyed by their item's id, so they only must not repeat among themselves."""
    seen: dict[tuple[bool, str], Row] = {}
    for row in rows:
        first = seen.setdefault((row.kind == "position", row.key), row)
        if first is not row:
            raise ValidationError(
                f"{row.where()} repeats the id of row {first.number} of {first.section!r}; "
                "every row of a document needs its own id."
            )


# ---------------------------------------------------------------- what the database holds


@dataclass
class Stored:
    """The database's rows with an id the document mentions: kind and every column."""

    rows: dict[str, tuple[str, dict[str, Any]]]
    positions: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, rows: list[Row]) -> Stored:
        ids = mentioned_ids(rows)
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for _section, kind, model in SECTIONS[:-1]:
            found.update((key, (kind, row)) for key, row in rows_with_keys(model, ids).items())
        return cls(found, rows_with_keys(m.NodePosition, ids))

    def same_key(self, row: Row) -> dict[str, Any] | None:
        """The stored row with this row's id, or None; refuses an id taken by another kind."""
        if row.kind == "position":
            return self.positions.get(row.key)
        kind, before = self.rows.get(row.key, (row.kind, None))
        if kind != row.kind:
            raise ValidationError(
                f"{row.where()} has the id of a {kind.replace('_', '-')} link or item already in "
                "this database; every row needs its own id."
                if kind in m.LINK_MODELS
                else f"{row.where()} has the id of the {kind} {display_title(kind, before)!r} "
                "already in this database; every row needs its own id."
            )
        return before


def mentioned_ids(rows: Iterable[Row]) -> set[str]:
    """Every id a row has or points at (its own, its client, its ends, session or item)."""
    ids: set[str] = set()
    for row in rows:
        ids.update(v for c, v in row.values.items() if isinstance(v, str) and is_ref(c))
    return ids


def is_ref(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def rows_with_keys(model: type[m.BaseModel], ids: set[str]) -> dict[str, dict[str, Any]]:
    """The rows of `model` whose primary key is in `ids`, as raw column values.

    One scan of the table, filtered here: at 25,000 ids it took a fifth of the time of
    chunked `IN (...)` queries, which Peewee spends most of its time building.
    """
    fields = model._meta.sorted_fields
    columns = [f.column_name for f in fields]
    key = model._meta.primary_key.column_name
    rows = (dict(zip(columns, values, strict=True)) for values in fetch(model.select(*fields)))
    return {row[key]: row for row in rows if row[key] in ids}


def refuse_conflicts(conflicts: list[tuple[Row, dict[str, Any]]]) -> None:
    if not conflicts:
        return
    listed = conflicts[:CONFLICTS_SHOWN]
    shown_here = "; ".join(conflict_text(row, before) for row, before in listed)
    more = len(conflicts) - CONFLICTS_SHOWN
    tail = f"; and {more} more" if more > 0 else ""
    count = "1 row" if len(conflicts) == 1 else f"{len(conflicts)} rows"
    raise ValidationError(
        f"The document has other content than this database for {count} with the same id "
        f"({shown_here}{tail}); rows are merged only when identical, so nothing was imported."
    )


def conflict_text(row: Row, before: dict[str, Any]) -> str:
    differ = ", ".join(c for c in row.values if row.values[c] != before.get(c))
    if row.kind in m.KIND_MODELS:
        what = f"{row.kind} {display_title(row.kind, before)!r}"
    elif row.kind == "position":
        what = "position"
    else:
        what = f"{row.kind.replace('_', '-')} link"
    return f"{what}, {row.section} row {row.number}, id {row.key}: {differ} differ"


# ---------------------------------------------------------------- one client per row


class Owners:
    """Kind and client of every id, from the document's rows and the database's."""

    def __init__(self, rows: list[Row], stored: Stored):
        self.kinds = {key: (kind, row["root_id"]) for key, (kind, row) in stored.rows.items()}
        self.kinds.update(
            (row.key, (row.kind, row.values["root_id"])) for row in rows if row.kind != "position"
        )
        self.names = {
            key: row["name"] for key, (kind, row) in stored.rows.items() if kind == "client"
        }
        self.names.update((row.key, row.values["name"]) for row in rows if row.kind == "client")

    def client(self, root_id: str) -> str:
        """How a message names a client: by name (it may be one the document did not mention)."""
        if root_id not in self.names:
            row = m.Client.get_or_none(m.Client.id == root_id)
            return repr(row.name) if row is not None else root_id
        return repr(self.names[root_id])

    def of(self, item_id: str | None) -> tuple[str, str] | None:
        return self.kinds.get(item_id) if item_id is not None else None


def refuse_off_client(row: Row, owners: Owners) -> None:
    """The row's root_id names a client, and everything it points at belongs to that client."""
    root = row.values["root_id"]
    if row.kind == "client":
        if root != row.key:
            raise ValidationError(f"{row.where()}: a client's root_id must be its own id.")
        return
    if owners.of(root) is None or owners.of(root)[0] != "client":
        raise ValidationError(
            f"{row.where()}: root_id {root} is not a client in this database or the document."
        )
    for column, kind in pointers(row):
        refuse_foreign(row, column, kind, owners)


def pointers(row: Row) -> Iterator[tuple[str, str]]:
    """(column, kind it must name) for each item the row points at."""
    if row.kind == "commitment" and row.values["session_id"] is not None:
        yield "session_id", "session"
    elif row.kind == "position":
        yield "item_id", "node"
    elif row.kind in m.LINK_MODELS:
        model = m.LINK_MODELS[row.kind][0]
        for end in m.LINK_MODELS[row.kind][1:]:
            fk = model._meta.fields[end]
            yield fk.column_name, MODEL_KINDS[fk.rel_model]


def refuse_foreign(row: Row, column: str, kind: str, owners: Owners) -> None:
    target = owners.of(row.values[column])
    kinds = NODE_KINDS if kind == "node" else (kind,)
    wanted = "goal, outcome, sprint or commitment" if kind == "node" else kind
    if target is None or target[0] not in kinds:
        raise ValidationError(
            f"{row.where()}: {column} {row.values[column]} is no {wanted} in this database "
            "or the document."
        )
    if target[1] != row.values["root_id"]:
        raise ValidationError(
            f"{row.where()}: {column} {row.values[column]} belongs to client "
            f"{owners.client(target[1])}, not to this row's client "
            f"{owners.client(row.values['root_id'])}; rows never reach across clients."
        )


# ---------------------------------------------------------------- unique among live rows


def settle_client_names(new: list[Row], rename: bool) -> list[tuple[str, str]]:
    """Refuse (or, asked to, rename) new live clients whose name a live client already has."""
    clients = [r for r in new if r.kind == "client" and r.values["deleted_at"] is None]
    live, every = client_names()
    clashes = []
    for row in clients:
        name = row.values["name"]
        if name in live:
            clashes.append(row)
        live.add(name)
    if not clashes:
        return []
    renames = {}
    for row in clashes:
        renames[row.key] = free_name(row.values["name"], every)
        every.add(renames[row.key])
    if not rename:
        raise name_clash(clashes, renames)
    renamed = [(row.values["name"], renames[row.key]) for row in clashes]
    for row in clashes:
        row.values["name"] = renames[row.key]
    return renamed


def client_names() -> tuple[set[str], set[str]]:
    """(live client names, every client name): a trashed "Name (2)" is not free either,
    since restoring it would then clash."""
    rows = fetch(m.Client.select(m.Client.name, m.Client.deleted_at))
    return {name for name, deleted in rows if deleted is None}, {name for name, _ in rows}


def free_name(name: str, taken: set[str]) -> str:
    """The first "Name (n)" from n = 2 that no client has, within the length a name may have."""
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: TITLE_MAX - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
        n += 1


def name_clash(clashes: list[Row], renames: dict[str, str]) -> NameClash:
    first = clashes[0]
    others = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
    message = (
        f"This database already has a client named {first.values['name']!r}{others}, another "
        f"client than {first.where().lower()}; import it as {renames[first.key]!r} or rename "
        "one of them first."
    )
    return NameClash(message, {r.values["name"]: renames[r.key] for r in clashes})


# What must be unique among one client's live rows, as the partial unique indexes say.
LIVE_UNIQUE = {"goal": ("title", "a goal titled"), "sprint": ("sprint_number", "sprint number")}


def refuse_live_duplicates(new: list[Row]) -> None:
    for kind, (column, wording) in LIVE_UNIQUE.items():
        rows = [r for r in new if r.kind == kind and r.values["deleted_at"] is None]
        taken = live_values(kind, column, {r.values["root_id"] for r in rows})
        for row in rows:
            value = (row.values["root_id"], row.values[column])
            if value in taken:
                raise ValidationError(
                    f"{row.where()}: its client already has {wording} {value[1]!r} "
                    "(not in the trash); change one of them first."
                )
            taken.add(value)


def live_values(kind: str, column: str, roots: set[str]) -> set[tuple[str, Any]]:
    model = m.KIND_MODELS[kind]
    wanted = sorted(roots)
    found: set[tuple[str, Any]] = set()
    for start in range(0, len(wanted), 500):
        query = model.select(model.root, model._meta.columns[column]).where(
            model.root.in_(wanted[start : start + 500]) & model.deleted_at.is_null()
        )
        found.update(fetch(query))
    return found


def refuse_repeated_link_pairs(new: list[Row]) -> None:
    """One link per pair of items: the schema's UNIQUE index, said as a sentence."""
    for kind, (model, upper, lower) in m.LINK_MODELS.items():
        a, b = model._meta.fields[upper], model._meta.fields[lower]
        rows = [r for r in new if r.kind == kind]
        pairs = stored_pairs(model, a, b, {r.values[a.column_name] for r in rows})
        for row in rows:
            pair = (row.values[a.column_name], row.values[b.column_name])
            if pair in pairs:
                raise ValidationError(
                    f"{row.where()} joins the same two items as link {pairs[pair]}; two items "
                    "are linked once."
                )
            pairs[pair] = row.key


def stored_pairs(model, a, b, uppers: set[str]) -> dict[tuple[str, str], str]:
    wanted = sorted(uppers)
    found = {}
    for start in range(0, len(wanted), 500):
        query = model.select(a, b, model.id).where(a.in_(wanted[start : start + 500]))
        found.update(((x, y), link_id) for x, y, link_id in fetch(query))
    return found
