"""Turning one messy legacy value into one valid Trellis value, saying what changed and why.

Every function returns `(value, note)`: `note` is None when the value was already fine (or
differed only in case, spacing or `-`/`_`), else a sentence for the report. The rules match
store.validate so every row the plan makes passes the same checks an editor would apply.
"""

from __future__ import annotations

import difflib
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from store import models as m
from store.errors import ValidationError
from store.legacy.source import Mended
from store.validate import FIELD_RULES, SHORT_MAX, TEXT_MAX, TITLE_MAX, check_dates, clean

Result = tuple[Any, str | None]
LARGEST = 2**31 - 1  # a sprint number or an order index beyond this is a typo, not a number
SHOWN_MAX = 60  # characters of a legacy value a report line quotes

# Words the old app (and its users) wrote for our statuses, by kind.
SYNONYMS: dict[str, dict[str, str]] = {
    "goal": {
        "in_progress": "active",
        "ongoing": "active",
        "open": "active",
        "not_started": "active",
        "planned": "active",
        "planning": "active",
        "new": "active",
        "done": "completed",
        "complete": "completed",
        "achieved": "completed",
        "finished": "completed",
        "closed": "completed",
        "on_hold": "paused",
        "hold": "paused",
        "blocked": "paused",
        "inactive": "paused",
        "deferred": "paused",
        "cancelled": "abandoned",
        "canceled": "abandoned",
        "dropped": "abandoned",
        "archived": "abandoned",
    },
    "outcome": {
        "in_progress": "active",
        "ongoing": "active",
        "open": "active",
        "not_started": "active",
        "planned": "active",
        "pending": "active",
        "new": "active",
        "done": "completed",
        "complete": "completed",
        "achieved": "completed",
        "finished": "completed",
        "met": "completed",
        "on_hold": "deferred",
        "paused": "deferred",
        "postponed": "deferred",
        "blocked": "deferred",
        "cancelled": "abandoned",
        "canceled": "abandoned",
        "dropped": "abandoned",
        "missed": "abandoned",
    },
    "sprint": {
        "planned": "planning",
        "not_started": "planning",
        "upcoming": "planning",
        "draft": "planning",
        "future": "planning",
        "in_progress": "active",
        "current": "active",
        "ongoing": "active",
        "running": "active",
        "open": "active",
        "done": "completed",
        "complete": "completed",
        "finished": "completed",
        "closed": "completed",
        "canceled": "cancelled",
        "abandoned": "cancelled",
        "dropped": "cancelled",
    },
    "commitment": {
        "planned": "draft",
        "idea": "draft",
        "pending": "active",
        "todo": "active",
        "to_do": "active",
        "open": "active",
        "not_started": "active",
        "new": "active",
        "started": "in_progress",
        "doing": "in_progress",
        "ongoing": "in_progress",
        "blocked": "in_progress",
        "done": "completed",
        "complete": "completed",
        "finished": "completed",
        "achieved": "completed",
        "cancelled": "abandoned",
        "canceled": "abandoned",
        "dropped": "abandoned",
        "skipped": "abandoned",
        "missed": "abandoned",
    },
    "type": {
        "task": "commitment",
        "action": "commitment",
        "action_item": "commitment",
        "homework": "commitment",
        "routine": "habit",
        "daily": "habit",
        "practice": "habit",
        "study": "learning",
        "reading": "learning",
        "course": "learning",
        "skill": "learning",
        "goal": "milestone",
        "deliverable": "milestone",
        "checkpoint": "milestone",
    },
    "priority": {
        "normal": "medium",
        "med": "medium",
        "moderate": "medium",
        "minor": "low",
        "lowest": "low",
        "major": "high",
        "important": "high",
        "critical": "urgent",
        "highest": "urgent",
        "asap": "urgent",
        "blocker": "urgent",
        "1": "urgent",
        "2": "high",
        "3": "medium",
        "4": "low",
    },
}

ENUMS: dict[str, tuple[tuple[str, ...], str]] = {
    # key -> (valid values, default)
    "goal": (m.GOAL_STATUSES, "active"),
    "outcome": (m.OUTCOME_STATUSES, "active"),
    "sprint": (m.SPRINT_STATUSES, "planning"),
    "commitment": (m.COMMITMENT_STATUSES, "active"),
    "type": (m.COMMITMENT_TYPES, "commitment"),
    "priority": (m.PRIORITIES, "medium"),
}


def text(value: Any) -> str:
    """Any SQLite value as text; NULL is empty. NUL characters go: SQLite's length() and
    trim() stop at them, so a title of "\x00" would be empty to the schema's CHECKs."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "")


def shown(value: Any) -> str:
    """A legacy value as a report line quotes it: a 5,000-digit number or a megabyte of text
    is cut, saying how long it was, so one bad cell cannot bury the report; a float too big
    to be exact reads as it was stored (1.7e+308), not as its 309 digits."""
    if isinstance(value, float) and abs(value) >= 2**53:
        return repr(value)
    raw = text(value).strip()
    if len(raw) <= SHOWN_MAX:
        return raw
    return f"{raw[:SHOWN_MAX]}… ({len(raw)} characters)"


def token(value: Any) -> str:
    """The comparable form of an enum word: "In Progress" and "in-progress" -> "in_progress"."""
    return "_".join(text(value).strip().lower().replace("-", " ").split())


def enum(key: str, field: str, value: Any) -> Result:
    """The valid value nearest to `value` (same word, synonym, close spelling), else a default."""
    valid, default = ENUMS[key]
    word = token(value)
    if word in valid:
        return word, None
    if word == "":
        return default, f"{field} is empty; imported as {default!r}"
    mapped = SYNONYMS[key].get(word)
    how = "the nearest"
    if mapped is None:
        close = difflib.get_close_matches(word, list(valid) + list(SYNONYMS[key]), 1, 0.75)
        mapped = SYNONYMS[key].get(close[0], close[0]) if close else None
    if mapped is None:
        mapped, how = default, "the default"
    return (
        mapped,
        f"{field} {shown(value)!r} is not one Trellis knows; imported as {how} {mapped!r}",
    )


def title(value: Any, placeholder: str) -> Result:
    """A title that passes the editors' rule: not blank, at most TITLE_MAX characters."""
    words = " ".join(text(value).split())
    if not words:  # saying it is empty says what was mended away too
        return placeholder, f"title is empty; imported as {placeholder!r}"
    return with_mending(value, "title", clipped(words, TITLE_MAX, "title"))


def clipped(value: str, limit: int, field: str) -> Result:
    if len(value) <= limit:
        return value, None
    return value[: limit - 1] + "…", f"{field} is {len(value)} characters long; cut to {limit}"


def free_text(value: Any, field: str, limit: int = TEXT_MAX) -> Result:
    return with_mending(value, field, clipped(text(value), limit, field))


def category(value: Any) -> Result:
    return with_mending(
        value, "category", clipped(" ".join(text(value).split()), SHORT_MAX, "category")
    )


def with_mending(value: Any, field: str, result: Result) -> Result:
    """`result`, its note also saying what `text` changed silently: bad bytes, NULs."""
    notes = [note for note in (*mending(value, field), result[1]) if note]
    return result[0], "; ".join(notes) or None


def mending(value: Any, field: str) -> list[str]:
    """What `text` had to change in `value` for it to be text at all, as report sentences."""
    notes = []
    if isinstance(value, Mended) or (isinstance(value, bytes) and not is_utf8(value)):
        notes.append(f"{field} held bytes that are not UTF-8 text; each became \ufffd")
    if isinstance(value, (str, bytes)) and ("\x00" if isinstance(value, str) else b"\x00") in value:
        notes.append(f"{field} held NUL characters; they were removed")
    return notes


def is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def percent(value: Any, field: str) -> Result:
    """A whole number 0–100 from 45, 45.6, "45%", "0.45"-style text; 0 when unreadable."""
    raw = text(value).strip().rstrip("%").strip()
    if raw == "":
        return 0, None
    try:
        number = float(raw)
    except ValueError:
        return 0, f"{field} {shown(value)!r} is not a number; imported as 0"
    if not math.isfinite(number):
        return 0, f"{field} {shown(raw)} is not a number; imported as 0"
    whole = round(number)
    if 0 <= whole <= 100:
        return whole, None if number == whole else f"{field} {shown(raw)} rounded to {whole}"
    bound = 0 if whole < 0 else 100
    quoted = shown(value if isinstance(value, float) else raw)  # 9.9e+307, not its 308 digits
    return bound, f"{field} {quoted} is outside 0–100; imported as {bound}"


def day(value: Any, field: str) -> Result:
    """A YYYY-MM-DD date from a date, a datetime ("2024-03-01T10:00", "2024-03-01 10:00") or
    a few common written forms; None (with a note) when unreadable."""
    raw = text(value).strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw[:10]).isoformat(), None
    except ValueError:
        pass
    for layout in ("%Y/%m/%d", "%d.%m.%Y", "%Y%m%d"):
        try:
            return datetime.strptime(raw, layout).date().isoformat(), None
        except ValueError:
            continue
    return None, f"{field} {shown(raw)!r} is not a date; left empty"


def stamp(value: Any, fallback: str) -> str:
    """An ISO-8601 UTC timestamp from the legacy one (naive times are taken as UTC)."""
    raw = text(value).strip()
    if not raw:
        return fallback
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(raw[:10]), datetime.min.time())
        except ValueError:
            return fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        return fallback


def shifted(day_text: str, days: int) -> str:
    """The date `days` after (before, if negative) a YYYY-MM-DD date, kept within the calendar."""
    try:
        return (date.fromisoformat(day_text) + timedelta(days=days)).isoformat()
    except OverflowError:
        return (date.max if days > 0 else date.min).isoformat()


def order(value: Any) -> Result:
    """An outcome's place among its siblings: a whole number 0…LARGEST, else 0 (reported)."""
    if text(value).strip() in ("", "0"):
        return 0, None
    number = positive(value)
    if number is None:
        return 0, f"order_index {shown(value)} is not a whole number from 0 to {LARGEST}; set to 0"
    return number, None


def positive(value: Any) -> int | None:
    """A whole number ≥ 1, or None."""
    try:
        number = float(text(value).strip())
    except ValueError:
        return None
    if not number.is_integer() or not 1 <= number <= LARGEST:
        return None
    return int(number)


def refusal(kind: str, row: dict[str, Any]) -> str | None:
    """What the editors' own rules (store.validate) say against the row, or None if it passes."""
    editable = {f: row[f] for f in FIELD_RULES[kind] if f in row}
    try:
        check_dates(kind, row | clean(kind, editable, creating=True))
    except ValidationError as exc:
        return str(exc)
    return None
