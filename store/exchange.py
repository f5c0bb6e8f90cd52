"""JSON export and import in the document format of DESIGN §6.

Import merges by id (store.importing has the whole rule): a new id is added, a row identical
to the one here is skipped ("already present"), and a row whose id is here with other content
is a conflict that refuses the whole import, listing the conflicts. Anything invalid refuses
the whole document before a byte is written: no backup, no audit row.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from peewee import IntegrityError

from graph.check import check, has_errors
from store import audit, backup, sqlite, targets
from store import models as m
from store.errors import ValidationError
from store.importing import SECTIONS, Report, plan_import
from store.load import load_hierarchy, rows_of
from store.validate import shown

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
        rows = rows_of(m.KIND_MODELS[kind], root_id)
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


def not_text_values(doc: dict[str, Any]) -> int:
    """How many values of an export SQLite held as bytes, not UTF-8 text (store.sqlite.NotText).

    JSON can carry only text, so they are exported as read, U+FFFD for each bad byte, rather
    than refused: a bad `updated_at` no editor can change would otherwise block every export.
    """
    tables = [doc[s] for s, _ in ENTITY_SECTIONS] + list(doc["links"].values())
    rows = [row for table in [*tables, doc["positions"]] for row in table]
    return sum(isinstance(value, sqlite.NotText) for row in rows for value in row.values())


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
    if not path.is_file():  # a FIFO or /dev/zero would be read for ever
        raise ValidationError(f"{path} is not a regular file, so it is not a Trellis export.")
    try:
        # utf-8-sig: an export saved again by Windows Notepad starts with a byte-order mark.
        doc = parse(path.read_text(encoding="utf-8-sig"), path.name)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not a Trellis export (it is not JSON text)."
        ) from exc
    except OSError as exc:
        raise ValidationError(f"Cannot read {path.name} ({exc.strerror or exc}).") from exc
    check_shape(doc, path.name)
    return doc


def parse(text: str, name: str) -> Any:
    """JSON text as Python values; what json itself cannot take is refused in a sentence."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
    except RecursionError:
        # json's C scanner recurses once per level: a file nested thousands deep ends here.
        raise ValidationError(
            f"{name} is nested too deeply to be a Trellis export; nothing was read."
        ) from None
    except ValueError:  # Python reads no integer of more than 4300 digits
        raise ValidationError(
            f"{name} holds a number thousands of digits long, so it is not a Trellis export."
        ) from None


def check_shape(doc: Any, name: str = "The document") -> None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError(f'{name} is not a Trellis export (no "format": "trellis").')
    # True == 1 in Python, so a bool must be refused by name.
    if isinstance(doc.get("version"), bool) or doc.get("version") != VERSION:
        raise ValidationError(
            f"{name} is export version {shown(doc.get('version'))}; this Trellis reads "
            f"version {VERSION}."
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
    refuse_unknown_sections(doc, links, sections, name)


def refuse_unknown_sections(doc: dict, links: dict, sections: list[str], name: str) -> None:
    """A section this version does not know would be dropped without a word: refuse it."""
    unknown = [k for k in doc if k not in {"format", "version", "links", *sections}]
    unknown += [f"links.{k}" for k in links if k not in LINK_SECTIONS]
    if unknown:
        raise ValidationError(
            f"{name} has a section {shown(unknown[0])} this Trellis does not know; "
            "nothing was imported."
        )


def import_document(doc: dict[str, Any], rename_clients: bool = False) -> Report:
    """Merge a document into the database in one transaction; returns added/skipped counts.

    The rule is store.importing's: new ids are added, identical rows skipped, anything else
    refused before a byte is written. `rename_clients` imports a new client whose name is
    taken as "Name (2)" instead of raising NameClash. A document with nothing new writes
    nothing: no backup, no audit.
    """
    check_shape(doc)
    plan = plan_import(doc, rename_clients)
    report = plan.report()
    if not plan.new:
        return report
    already = error_keys()  # errors the database had before: not the document's doing
    with audit.operation("Import JSON"):
        insert_rows(plan.new)
        refuse_inconsistent(already)
        # Only once the import is known to be good, so a refused import writes no backup. The
        # backup reads through a connection of its own: it copies the database as it was.
        backup.safety_backup("import")
        audit.record("import", "database", "import", None, None, report | renames(report))
    return report


def renames(report: Report) -> dict[str, Any]:
    return {"renamed": report.renamed} if report.renamed else {}


def insert_rows(rows: list[Any]) -> None:
    """Insert planned rows in plan order (parents first), a hundred to a statement."""
    for _section, kind, model in SECTIONS:
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        batch = [{fields[c]: v for c, v in r.values.items()} for r in rows if r.kind == kind]
        for start in range(0, len(batch), 100):
            try:
                model.insert_many(batch[start : start + 100]).execute()
            except IntegrityError as exc:  # the plan checks every constraint; a last net
                raise ValidationError(
                    f"The database refused a row of {kind!r} ({exc}); nothing was imported."
                ) from exc


def refuse_inconsistent(already: Collection[tuple] = frozenset()) -> None:
    """Refuse the import if it left links across clients or rows under the wrong client.

    Only errors the import brought refuse it: one the database already had (an older version
    or another tool left it) is `trellis check`'s to report, and must not block every import.
    """
    findings = [f for f in check(load_hierarchy()) if f.severity == "error"]
    brought = [f for f in findings if finding_key(f) not in already]
    if has_errors(brought):
        first = brought[0]
        raise ValidationError(
            f"The document is inconsistent ({first.code}: {first.message}); nothing was imported."
        )


def error_keys() -> set[tuple]:
    """What identifies each error the database has now, to tell it from one an import adds."""
    return {finding_key(f) for f in check(load_hierarchy()) if f.severity == "error"}


def finding_key(finding) -> tuple:
    return finding.code, finding.items, finding.links
