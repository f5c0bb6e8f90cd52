"""Field rules for every entity: bad input stops here with a message naming the field.

The schema's CHECKs enforce the same rules; this module exists so a person gets a sentence
("End date is before the start date.") instead of "CHECK constraint failed".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from store import models as m
from store.errors import ValidationError

TITLE_MAX = 200
SHORT_MAX = 60
TEXT_MAX = 20_000

Rule = Callable[[str, Any], Any]


def label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def required_text(limit: int) -> Rule:
    def rule(field: str, value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValidationError(f"{label(field)} cannot be empty.", field)
        if "\x00" in text:
            # SQLite's length() stops at NUL, so the schema would see an empty title.
            raise ValidationError(f"{label(field)} contains a NUL character; remove it.", field)
        if len(text) > limit:
            raise ValidationError(
                f"{label(field)} is {len(text)} characters long; keep it under {limit + 1}.",
                field,
            )
        return text

    return rule


def optional_text(limit: int) -> Rule:
    def rule(field: str, value: Any) -> str:
        text = "" if value is None else str(value)
        if len(text) > limit:
            raise ValidationError(
                f"{label(field)} is {len(text)} characters long; keep it under {limit + 1}.",
                field,
            )
        return text

    return rule


def choice(values: tuple[str, ...]) -> Rule:
    def rule(field: str, value: Any) -> str:
        if value not in values:
            raise ValidationError(
                f"{label(field)} must be one of {', '.join(values)} (got {value!r}).", field
            )
        return value

    return rule


def percent(field: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label(field)} must be a whole number from 0 to 100.", field)
    if number != value and not isinstance(value, str) and float(value) != number:
        raise ValidationError(f"{label(field)} must be a whole number from 0 to 100.", field)
    if not 0 <= number <= 100:
        raise ValidationError(f"{label(field)} must be from 0 to 100 (got {number}).", field)
    return number


def positive_int(field: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label(field)} must be a whole number.", field)
    if number < 1:
        raise ValidationError(f"{label(field)} must be 1 or more (got {number}).", field)
    return number


def whole_number(field: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label(field)} must be a whole number.", field)


def iso_date(required: bool) -> Rule:
    def rule(field: str, value: Any) -> str | None:
        if value in (None, ""):
            if required:
                raise ValidationError(f"{label(field)} is required.", field)
            return None
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(
                f"{label(field)} must be a date like 2026-03-31 (got {value!r}).", field
            )

    return rule


def session_ref(field: str, value: Any) -> str | None:
    return value or None


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
