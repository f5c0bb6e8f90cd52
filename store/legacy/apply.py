"""Writing a plan: backup first, then every new row and link in one transaction, bulk-inserted,
each with an `import` audit row, the counts verified against the plan and `check` run before
the commit. Any failure rolls the whole import back; the database is then as it was.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import peewee
from peewee import AutoField, IntegrityError

from graph.check import check
from store import audit, backup
from store import models as m
from store.errors import TrellisError, ValidationError
from store.legacy.model import KIND_ORDER, LINK_KINDS, Plan
from store.load import load_hierarchy
from store.models import database

CHUNK = 2000  # rows per executemany: progress moves about every 2,000 rows
# Called after each chunk with (done, total, what); returning False cancels the import.
Progress = Callable[[int, int, str], bool | None]


class ImportCancelled(TrellisError):
    """The user cancelled the import; nothing was written."""


def has_rows() -> bool:
    """Whether the open database holds anything worth a backup."""
    return any(m.KIND_MODELS[k].select().exists() for k in ("client", "goal", "commitment"))


def run_plan(plan: Plan, progress: Progress | None = None) -> dict[str, Any]:
    """Carry out `plan` on the open database; returns what was done (see report.result_of)."""
    if plan.nothing_new:
        return {"added": {}, "backup": None, "findings": check(load_hierarchy())}
    copy = backup.safety_backup("legacy-import") if has_rows() else None
    try:
        with audit.operation("Import legacy database"):
            before = table_counts()
            write_plan(plan, progress or (lambda *_: None))
            added = verify(before, plan)
            findings = check(load_hierarchy())
            refuse_errors(findings, plan)
    except IntegrityError as exc:
        raise ValidationError(
            f"The database refused the import ({exc}); it may have changed since the plan was "
            "made. Nothing was imported: plan again."
        ) from exc
    return {"added": added, "backup": str(copy) if copy else None, "findings": findings}


def write_plan(plan: Plan, progress: Progress) -> None:
    total = plan.new_rows + plan.new_links
    done = 0
    batches = [(kind, m.KIND_MODELS[kind], plan.rows[kind]) for kind in KIND_ORDER]
    batches += [(kind, m.LINK_MODELS[kind][0], plan.links[kind]) for kind in LINK_KINDS]
    run_id = str(uuid.uuid4())
    for kind, model, rows in batches:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            insert_chunk(model, chunk)
            insert_audit([audit_row(kind, row) for row in chunk])
            done += len(chunk)
            if progress(done, total, f"Importing {section_name(kind)}") is False:
                raise ImportCancelled("Import cancelled; nothing was imported.")
    audit.record("import", "legacy-file", run_id, None, None, audit_summary(plan))


def section_name(kind: str) -> str:
    return kind.replace("_", "–") + " links" if kind in LINK_KINDS else kind + "s"


def insert_chunk(model: type[m.BaseModel], rows: list[dict[str, Any]]) -> None:
    """Insert rows given by column name, in the models' column order."""
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    insert_values(model, fields, [tuple(row[f.column_name] for f in fields) for row in rows])


def insert_values(model: type[m.BaseModel], fields: list, values: list[tuple]) -> None:
    """Peewee writes the INSERT for one row; the driver's executemany runs it for all of them.

    Building SQL for every row is what made peewee's insert_many take seconds for 20,000
    commitments; executemany of one prepared statement takes a fraction of that.
    """
    if not values:
        return
    sql, _params = model.insert_many(values[:1], fields=fields).sql()
    with peewee.__exception_wrapper__:  # the driver's errors as peewee's, as for any query
        database.cursor().executemany(sql, values)


def audit_row(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        **audit.operation_columns("Import legacy database"),
        "at": audit.now(),
        "action": "import",
        "entity": kind,
        "entity_id": row["id"],
        "root_id": row["root_id"],
        "before": None,
        "after": audit.as_json(row),
    }


def insert_audit(rows: list[dict[str, Any]]) -> None:
    """One `import` audit row per row written, in the same transaction."""
    insert_chunk(m.AuditLog, rows)


def audit_summary(plan: Plan) -> dict[str, Any]:
    return {
        "source": plan.source,
        "rows": {kind: len(rows) for kind, rows in plan.rows.items()},
        "links": {kind: len(rows) for kind, rows in plan.links.items()},
        "placeholders": len(plan.placeholders),
        "conversions": len(plan.conversions),
        "problems": len(plan.problems),
    }


def table_counts() -> Counter:
    counts: Counter = Counter()
    for kind in KIND_ORDER:
        counts[kind] = m.KIND_MODELS[kind].select().count()
    for kind in LINK_KINDS:
        counts[kind] = m.LINK_MODELS[kind][0].select().count()
    return counts


def verify(before: Counter, plan: Plan) -> dict[str, int]:
    """Each table grew by exactly what the plan says, or the transaction is rolled back."""
    expected = {k: len(plan.rows[k]) for k in KIND_ORDER}
    expected |= {k: len(plan.links[k]) for k in LINK_KINDS}
    after = table_counts()
    for kind, count in expected.items():
        if after[kind] - before[kind] != count:
            raise ValidationError(
                f"The import wrote {after[kind] - before[kind]} {section_name(kind)} where the "
                f"plan has {count}; nothing was imported."
            )
    return expected


def refuse_errors(findings: list, plan: Plan) -> None:
    """Roll back if `check` finds an error in anything this import wrote."""
    mine = {row["id"] for rows in plan.rows.values() for row in rows}
    mine |= {row["id"] for rows in plan.links.values() for row in rows}
    for f in findings:
        if f.severity == "error" and (mine & set(f.items) or mine & set(f.links)):
            raise ValidationError(
                f"The import would leave an error ({f.code}: {f.message}); nothing was imported."
            )
