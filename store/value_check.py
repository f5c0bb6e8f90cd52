"""The `bad-value` finding: stored values the editors' rules refuse (store.validate).

A file written before import checked every value, by another tool or by hand can hold a weight
"abc", a title 5 or a deleted_at "yesterday"; SQLite's loose typing stores them, and the views
then fail on them. `trellis check` reports each such row, as an error, with the rule it breaks.
It lives in the store because the rules do, and graph/ never sees the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.check import ERROR, Finding
from store import models as m
from store import sqlite
from store.errors import ValidationError
from store.load import rows_of
from store.validate import clean_stored, label

CODE = "bad-value"


def bad_values(root_id: str | None = None) -> list[Finding]:
    """One `bad-value` error per stored row (of one client, or all) that breaks a field rule."""
    return [f for kind, model in checked_tables() for f in row_findings(kind, model, root_id)]


def checked_tables() -> Iterator[tuple[str, type[m.BaseModel]]]:
    yield from m.KIND_MODELS.items()
    yield from ((kind, model) for kind, (model, _upper, _lower) in m.LINK_MODELS.items())
    yield "position", m.NodePosition


def row_findings(kind: str, model: type[m.BaseModel], root_id: str | None) -> Iterator[Finding]:
    for row in rows_of(model, root_id):
        problem = not_text(row)
        if problem is None:
            try:
                clean_stored(kind, row)
            except ValidationError as exc:
                problem = str(exc)
        if problem is not None:
            yield finding(kind, row, problem)


def not_text(row: dict[str, Any]) -> str | None:
    """The first column SQLite held as bytes rather than UTF-8 text (store.sqlite.NotText).

    It reads as text with U+FFFD for the bad bytes, so the rules alone would pass it.
    """
    for column, value in row.items():
        if isinstance(value, sqlite.NotText):
            return (
                f"{label(column)} is not UTF-8 text (bytes another program stored; shown as "
                f"{str(value)!r})."
            )
    return None


def finding(kind: str, row: dict[str, Any], problem: str) -> Finding:
    root = str(row.get("root_id"))
    if kind in m.LINK_MODELS:
        _model, upper, lower = m.LINK_MODELS[kind]
        ends = (str(row.get(f"{upper}_id")), str(row.get(f"{lower}_id")))
        message = f"The {kind.replace('_', '-')} link {row.get('id')} has a bad value: {problem}"
        return Finding(CODE, ERROR, message, ends, root, (str(row.get("id")),))
    key = str(row.get("item_id" if kind == "position" else "id"))
    return Finding(CODE, ERROR, f"{named(kind, row, key)} has a bad value: {problem}", (key,), root)


def named(kind: str, row: dict[str, Any], key: str) -> str:
    """How the message names the row; its title may be the bad value, so only text counts."""
    if kind == "position":
        return f"The saved position of item {key}"
    title = row.get("name" if kind == "client" else "title")
    return f"The {kind} {title!r}" if isinstance(title, str) and title else f"The {kind} {key}"
