"""JSON export and import in the document format of DESIGN §6.

Import merges: a row whose id is already in the database is left as it is and counted as
skipped, so importing the same document twice adds nothing. Anything invalid refuses the
whole document and the database stays exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peewee import IntegrityError

from graph.check import check, has_errors
from store import audit, backup, targets
from store import models as m
from store.db import database
from store.errors import ValidationError
from store.load import load_hierarchy, rows_of
from store.validate import FIELD_RULES, check_dates, clean

FORMAT = "trellis"
VERSION = 1

# document key -> kind, in the order rows must be inserted (parents before children).
ENTITY_SECTIONS = (
    ("clients", "client"),
    ("sessions", "session"),
    ("goals", "goal"),
    ("outcomes", "outcome"),
    ("sprints", "sprint"),
    ("commitments", "commitment"),
)
LINK_SECTIONS = ("outcome_goal", "outcome_sprint", "commitment_outcome")


def export_document(root_id: str | None = None) -> dict[str, Any]:
    """Every row (deleted ones too) of one client, or of the whole database."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for section, kind in ENTITY_SECTIONS:
        model = m.KIND_MODELS[kind]
        if kind == "client":
            rows = [r for r in rows_of(model, None) if root_id in (None, r["id"])]
        else:
            rows = rows_of(model, root_id)
        doc[section] = sorted(rows, key=lambda r: r["id"])
    doc["links"] = {
        kind: sorted(rows_of(m.LINK_MODELS[kind][0], root_id), key=lambda r: r["id"])
        for kind in LINK_SECTIONS
    }
    doc["positions"] = sorted(rows_of(m.NodePosition, root_id), key=lambda r: r["item_id"])
    return doc


def export_to(path: Path, root_id: str | None = None) -> dict[str, Any]:
    """Write the export to `path` whole or not at all; never over a database or its side files."""
    path = Path(path)
    targets.refuse_unsafe_target(path, "an export", "give a .json file name")
    doc = export_document(root_id)
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    try:
        targets.write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(why_not_exported(exc, path)) from exc
    return doc


def why_not_exported(exc: OSError, path: Path) -> str:
    if isinstance(exc, IsADirectoryError):
        return f"Cannot export to {path}: it is a folder; give a file name."
    return f"Cannot export to {path} ({exc.strerror or exc}); nothing was exported."


def read_document(path: Path) -> dict[str, Any]:
    """Parse and shape-check an export file; refuse anything that is not one."""
    path = Path(path)
    if path.is_dir():
        raise ValidationError(f"{path} is a folder, not a Trellis export file.")
    if not path.exists():
        raise ValidationError(f"There is no file {path}.")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not a Trellis export (it is not JSON text)."
        ) from exc
    except OSError as exc:
        raise ValidationError(f"Cannot read {path.name} ({exc.strerror or exc}).") from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{Path(path).name} is not valid JSON (line {exc.lineno}: {exc.msg})."
        ) from exc
    check_shape(doc, Path(path).name)
    return doc


def check_shape(doc: Any, name: str = "The document") -> None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError(f'{name} is not a Trellis export (no "format": "trellis").')
    # True == 1 in Python, so a bool must be refused by name.
    if isinstance(doc.get("version"), bool) or doc.get("version") != VERSION:
        raise ValidationError(
            f"{name} is export version {doc.get('version')!r}; this Trellis reads version "
            f"{VERSION}."
        )
    sections = [s for s, _ in ENTITY_SECTIONS] + ["positions"]
    for section in sections:
        if not isinstance(doc.get(section, []), list):
            raise ValidationError(f"{name}: {section!r} must be a list of rows.")
    links = doc.get("links", {})
    if not isinstance(links, dict) or any(
        not isinstance(links.get(k, []), list) for k in LINK_SECTIONS
    ):
        raise ValidationError(f"{name}: 'links' must map each link kind to a list of rows.")


def import_document(doc: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Merge a document into the database in one transaction; returns added/skipped counts.

    A document with nothing new (every row already here) writes nothing: no backup, no audit.
    """
    check_shape(doc)
    report = merge(doc, write=False)  # validates every row, so a bad document is refused here
    if not any(counts["added"] for counts in report.values()):
        return report
    backup.safety_backup("import")
    with database.atomic():
        report = merge(doc, write=True)
        refuse_inconsistent()
        audit.record("import", "database", "import", None, None, report)
    return report


def merge(doc: dict[str, Any], write: bool) -> dict[str, dict[str, int]]:
    """Insert the rows whose ids are new (or, without `write`, only count them)."""
    report: dict[str, dict[str, int]] = {}
    for section, kind in ENTITY_SECTIONS:
        rows = doc.get(section, [])
        report[section] = insert_rows(section, m.KIND_MODELS[kind], rows, kind, write)
    for kind in LINK_SECTIONS:
        rows = doc.get("links", {}).get(kind, [])
        report[kind] = insert_rows(kind, m.LINK_MODELS[kind][0], rows, None, write)
    rows = doc.get("positions", [])
    report["positions"] = insert_rows("positions", m.NodePosition, rows, None, write)
    return report


def insert_rows(
    section: str,
    model: type[m.BaseModel],
    rows: list[Any],
    kind: str | None = None,
    write: bool = True,
) -> dict[str, int]:
    columns = {f.column_name: f for f in model._meta.sorted_fields}
    key = model._meta.primary_key
    added = skipped = 0
    for number, row in enumerate(rows, start=1):
        where = f"Row {number} of {section!r}"
        values = checked_row(where, row, columns, kind)
        if model.select().where(key == values[key.column_name]).exists():
            skipped += 1
            continue
        if not write:
            added += 1
            continue
        try:
            model.insert({columns[c]: v for c, v in values.items()}).execute()
        except IntegrityError as exc:
            raise ValidationError(f"{where} is refused by the database: {exc}.") from exc
        added += 1
    return {"added": added, "skipped": skipped}


def checked_row(where: str, row: Any, columns: dict[str, Any], kind: str | None) -> dict[str, Any]:
    """The row's columns after the same validation the editors apply."""
    if not isinstance(row, dict):
        raise ValidationError(f"{where} is not an object.")
    missing = [c for c, f in columns.items() if c not in row and not f.null]
    unknown = [c for c in row if c not in columns]
    if missing or unknown:
        problem = f"lacks {missing[0]!r}" if missing else f"has an unknown column {unknown[0]!r}"
        raise ValidationError(f"{where} {problem}.")
    values = {c: row.get(c) for c in columns}
    if kind is not None:
        try:
            editable = {f: values[f] for f in FIELD_RULES[kind] if f in values}
            values |= clean(kind, editable, creating=True)
            check_dates(kind, values)
        except ValidationError as exc:
            raise ValidationError(f"{where}: {exc}") from exc
    return values


def refuse_inconsistent() -> None:
    """Refuse the import if it left links across clients or rows under the wrong client."""
    findings = [f for f in check(load_hierarchy()) if f.severity == "error"]
    if has_errors(findings):
        first = findings[0]
        raise ValidationError(
            f"The document is inconsistent ({first.code}: {first.message}); nothing was imported."
        )
