"""Field rules for every row: bad input stops here with a message naming the field.

One set of rules for the editors (`clean`), JSON import and `trellis check` (`clean_stored`):
a value any of them accepts is one the others accept. The schema's CHECKs enforce the same
rules; this module exists so a person gets a sentence ("End date is before the start date.")
instead of "CHECK constraint failed", and so the values SQLite's loose typing would store
anyway (a weight "abc", a title 5) never reach the views.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from store import models as m
from store.errors import ValidationError

TITLE_MAX = 200
SHORT_MAX = 60
TEXT_MAX = 20_000
ID_MAX = 100
STAMP_MAX = 40  # "2026-03-31T09:00:00.123456+00:00" is 32
# The years a stored time may have: any time zone can move such a time a day either way
# without leaving what Python's datetime holds (years 1 to 9999).
STAMP_YEARS = (1900, 9998)
LARGEST = 2**31 - 1  # a sprint number or an order index beyond this is a typo, not a number
COORDINATE_MAX = 1e9  # further out than any layout draws; beyond it Qt loses precision

# SQLite stores text as UTF-8, which has no encoding for a lone UTF-16 surrogate.
SURROGATE = re.compile("[\ud800-\udfff]")

Rule = Callable[[str, Any], Any]


def label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def shown(value: Any) -> str:
    """A value for a message: short scalars as written, anything else by its type alone
    (a 5 MB string or a list nested 900 deep must not become the message)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}…"


def what(value: Any) -> str:
    """A value as JSON spells it, for "must be text (got 5)": true, null, Infinity."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return shown(value)


def storable(field: str, text: str) -> str:
    if "\x00" in text:
        # SQLite's length() stops at NUL, so the schema would see an empty title.
        raise ValidationError(f"{label(field)} contains a NUL character; remove it.", field)
    if SURROGATE.search(text):
        raise ValidationError(
            f"{label(field)} contains a lone surrogate (\\ud800–\\udfff), which no file can "
            "store as text; remove it.",
            field,
        )
    return text


def text_of(field: str, value: Any, limit: int) -> str:
    """`value` as text within `limit` characters; None reads as empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label(field)} must be text (got {what(value)}).", field)
    if len(value) > limit:
        raise ValidationError(
            f"{label(field)} is {len(value)} characters long; keep it under {limit + 1}.",
            field,
        )
    return storable(field, value)


def required_text(limit: int) -> Rule:
    def rule(field: str, value: Any) -> str:
        text = text_of(field, value, limit).strip()
        if not text:
            raise ValidationError(f"{label(field)} cannot be empty.", field)
        return text

    return rule


def optional_text(limit: int) -> Rule:
    def rule(field: str, value: Any) -> str:
        return text_of(field, value, limit)

    return rule


def choice(values: tuple[str, ...]) -> Rule:
    def rule(field: str, value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise ValidationError(
                f"{label(field)} must be one of {', '.join(values)} (got {shown(value)}).", field
            )
        return value

    return rule


def as_whole(value: Any) -> int | None:
    """A whole number from an int, a float with no fraction or short digit text; else None.

    True is an int in Python and must not count as 1; infinity and NaN have no whole value.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and len(value) <= 20:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def whole_in(low: int, high: int, wording: str) -> Rule:
    def rule(field: str, value: Any) -> int:
        number = as_whole(value)
        if number is None:
            raise ValidationError(
                f"{label(field)} must be a whole number {wording} (got {what(value)}).", field
            )
        if not low <= number <= high:
            raise ValidationError(f"{label(field)} must be {wording} (got {shown(number)}).", field)
        return number

    return rule


percent = whole_in(0, 100, "from 0 to 100")
positive_int = whole_in(1, LARGEST, f"from 1 to {LARGEST}")
whole_number = whole_in(-LARGEST, LARGEST, f"from {-LARGEST} to {LARGEST}")


def as_real(value: Any) -> float | None:
    """A finite number from an int, a float or short number text; else None (true, NaN, inf)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) if abs(value) < 1e300 else math.inf
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def weight(field: str, value: Any) -> float:
    """How much a child counts toward a parent: a finite number above 0."""
    number = as_real(value)
    if number is None:
        raise ValidationError(
            f"{label(field)} must be a number above 0 (got {what(value)}).", field
        )
    if not number > 0:
        raise ValidationError(f"{label(field)} must be above 0 (got {shown(value)}).", field)
    return number


def coordinate(field: str, value: Any) -> float:
    number = as_real(value)
    if number is None or abs(number) > COORDINATE_MAX:
        raise ValidationError(
            f"{label(field)} must be a number from -1e9 to 1e9 (got {what(value)}).", field
        )
    return number


def iso_date(required: bool) -> Rule:
    def rule(field: str, value: Any) -> str | None:
        if value in (None, ""):
            if required:
                raise ValidationError(f"{label(field)} is required.", field)
            return None
        if isinstance(value, date):
            return value.isoformat()
        try:
            if not isinstance(value, str) or len(value) > 20:
                raise ValueError
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValidationError(
                f"{label(field)} must be a date like 2026-03-31 (got {what(value)}).", field
            ) from None

    return rule


def timestamp(required: bool) -> Rule:
    """An ISO-8601 time as store.audit.now() writes it; text sorts by it, so nothing else."""

    def rule(field: str, value: Any) -> str | None:
        if value is None and not required:
            return None
        try:
            if not isinstance(value, str) or len(value) > STAMP_MAX:
                raise ValueError
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                f"{label(field)} must be a time like 2026-03-31T09:00:00+00:00 "
                f"(got {what(value)}).",
                field,
            ) from None
        if not STAMP_YEARS[0] <= moment.year <= STAMP_YEARS[1]:
            # Year 1 or 9999 leaves the calendar when moved to the user's time zone.
            raise ValidationError(
                f"{label(field)} must be a time from the year {STAMP_YEARS[0]} to "
                f"{STAMP_YEARS[1]} (got {what(value)}).",
                field,
            )
        return value

    return rule


def identifier(field: str, value: Any) -> str:
    # Ids are printed by the CLI and shown in messages: no control characters in them.
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ValidationError(f"{label(field)} must be an id (got {what(value)}).", field)
    return text_of(field, value, ID_MAX)


def session_ref(field: str, value: Any) -> str | None:
    return identifier(field, value) if value not in (None, "") else None


TITLE = required_text(TITLE_MAX)
DESCRIPTION = optional_text(TEXT_MAX)

FIELD_RULES: dict[str, dict[str, Rule]] = {
    "client": {"name": required_text(TITLE_MAX), "notes": DESCRIPTION},
    "goal": {
        "title": TITLE,
        "description": DESCRIPTION,
        "category": optional_text(SHORT_MAX),
        "status": choice(m.GOAL_STATUSES),
        "progress": percent,
        "progress_mode": choice(m.PROGRESS_MODES),
        "target_date": iso_date(False),
    },
    "outcome": {
        "title": TITLE,
        "description": DESCRIPTION,
        "status": choice(m.OUTCOME_STATUSES),
        "progress_percentage": percent,
        "progress_mode": choice(m.PROGRESS_MODES),
        "target_date": iso_date(False),
        "order_index": whole_number,
    },
    "sprint": {
        "sprint_number": positive_int,
        "title": TITLE,
        "description": DESCRIPTION,
        "start_date": iso_date(True),
        "end_date": iso_date(True),
        "status": choice(m.SPRINT_STATUSES),
    },
    "commitment": {
        "title": TITLE,
        "description": DESCRIPTION,
        "type": choice(m.COMMITMENT_TYPES),
        "status": choice(m.COMMITMENT_STATUSES),
        "priority": choice(m.PRIORITIES),
        "start_date": iso_date(False),
        "target_date": iso_date(False),
        "completed_date": iso_date(False),
        "progress_percentage": percent,
        "session_id": session_ref,
    },
    "session": {
        "held_on": iso_date(True),
        "title": optional_text(TITLE_MAX),
        "notes": DESCRIPTION,
    },
}

# Fields a new item must be given; the rest have defaults.
REQUIRED_ON_CREATE = {
    "client": ("name",),
    "goal": ("title",),
    "outcome": ("title",),
    "sprint": ("title", "start_date", "end_date"),
    "commitment": ("title",),
    "session": ("held_on",),
}

# The columns no editor shows, which a stored row (an import, a file `check` reads) still has.
ENTITY_COLUMNS: dict[str, Rule] = {
    "id": identifier,
    "root_id": identifier,
    "created_at": timestamp(True),
    "updated_at": timestamp(True),
    "deleted_at": timestamp(False),
}
LINK_COLUMNS: dict[str, Rule] = {
    "id": identifier,
    "root_id": identifier,
    "weight": weight,
    "created_at": timestamp(True),
}
STORED_RULES: dict[str, dict[str, Rule]] = {
    **{kind: ENTITY_COLUMNS | rules for kind, rules in FIELD_RULES.items()},
    "outcome_goal": LINK_COLUMNS | {"target_id": identifier, "goal_id": identifier},
    "outcome_sprint": LINK_COLUMNS | {"target_id": identifier, "sprint_id": identifier},
    "commitment_outcome": LINK_COLUMNS | {"commitment_id": identifier, "target_id": identifier},
    "position": {
        "item_id": identifier,
        "root_id": identifier,
        "x": coordinate,
        "y": coordinate,
        "updated_at": timestamp(True),
    },
}


def clean(kind: str, values: dict[str, Any], creating: bool) -> dict[str, Any]:
    """Return `values` normalised for `kind`, or raise ValidationError at the first bad field."""
    rules = FIELD_RULES[kind]
    unknown = sorted(set(values) - set(rules))
    if unknown:
        raise ValidationError(f"A {kind} has no field named {unknown[0]!r}.", unknown[0])
    if creating:
        for field in REQUIRED_ON_CREATE[kind]:
            if values.get(field) in (None, ""):
                rules[field](field, values.get(field))  # raises with the field's own message
    return {field: rules[field](field, value) for field, value in values.items()}


def clean_stored(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A whole stored row (every column) normalised, checked as the editors check their fields.

    `kind` is an entity kind, a link kind (models.LINK_MODELS) or "position".
    """
    rules = STORED_RULES[kind]
    values = {column: rules[column](column, row.get(column)) for column in rules}
    if kind in FIELD_RULES:
        check_dates(kind, values)
    return values


def check_dates(kind: str, row: dict[str, Any]) -> None:
    """Cross-field date rules on the row as it will be saved."""
    if kind == "sprint" and row["end_date"] < row["start_date"]:
        raise ValidationError(
            f"End date {row['end_date']} is before the start date {row['start_date']}.",
            "end_date",
        )
    if kind == "commitment" and row.get("start_date") and row.get("target_date"):
        if row["target_date"] < row["start_date"]:
            raise ValidationError(
                f"Target date {row['target_date']} is before the start date {row['start_date']}.",
                "target_date",
            )
