"""Words a coach reads instead of stored values: kind names, choice labels, local times."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import Any

CHOICE_FIELDS = {"status", "type", "priority", "progress_mode"}

KIND_LABELS = {
    "client": "Client",
    "goal": "Goal",
    "outcome": "Outcome",
    "sprint": "Sprint",
    "commitment": "Commitment",
    "session": "Session",
    "outcome_goal": "Link outcome → goal",
    "outcome_sprint": "Link outcome → sprint",
    "commitment_outcome": "Link commitment → outcome",
}

# Stored values whose plain capitalised form would read badly.
CHOICE_LABELS = {
    "derived": "Derived from linked items",
    "manual": "Set by hand",
}

FIELD_LABELS = {
    "progress": "Progress",
    "progress_percentage": "Progress",
    "progress_mode": "Progress mode",
    "session_id": "Session",
    "held_on": "Held on",
    "order_index": "Order",
    "sprint_number": "Sprint number",
    "deleted_at": "Deleted",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def choice_label(value: str) -> str:
    """'in_progress' -> 'In progress'."""
    return CHOICE_LABELS.get(value, value.replace("_", " ").capitalize())


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def local_time(stamp: object) -> str:
    """An ISO UTC timestamp as the user's local time, e.g. '22 Nov 2026 14:05'.

    Never raises: a value no Trellis writes ("yesterday", year 1 moved across a time zone,
    bytes another tool stored) is shown as it is, so one odd row cannot stop a dialog opening.
    """
    if not stamp:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp)  # type: ignore[arg-type]
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        return f"{moment.day} {moment:%b %Y %H:%M}"
    except (TypeError, ValueError, OverflowError, OSError):
        return raw_text(stamp)


def raw_text(value: object) -> str:
    """Any stored value as text to show: bytes spelled out, never decoded into an error."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def readable_date(value: str | None) -> str:
    """'2026-03-31' -> '31 Mar 2026'; None -> 'no date'."""
    if not value:
        return "no date"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%b %Y}"


# A whole ISO date; inside a stamp ('2026-03-31T09:00') no word boundary follows, so it stays.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def readable_dates_in(message: str) -> str:
    """Rewrite the ISO dates in a store message the way the date fields show them.

    >>> readable_dates_in("End date 2020-01-01 is before the start date 2026-03-31.")
    'End date 1 Jan 2020 is before the start date 31 Mar 2026.'
    """
    return ISO_DATE.sub(lambda match: readable_date(match.group()), message)


def plural(count: int, noun: str) -> str:
    """'1 link', '2 links', '1,200 rows'.

    >>> plural(1, "link"), plural(1200, "row")
    ('1 link', '1,200 rows')
    """
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    # End on a whole word when one ends in the second half; a cut word reads as a typo.
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def readable_value(field: str, value: Any) -> str:
    """A stored field value as a person would say it."""
    if value is None or value == "":
        return "no date" if field.endswith(("_date", "held_on")) else "—"
    if field.endswith("_date") or field == "held_on":
        return readable_date(str(value))
    if field in ("progress", "progress_percentage"):
        return f"{value}%"
    if field in CHOICE_FIELDS:
        return choice_label(str(value))
    return shorten(str(value))


# ---------------------------------------------------------------- user text into Qt
# Qt guesses whether a string is HTML (Qt.mightBeRichText) for labels, message boxes and
# tooltips: a title "Email <b>Jim</b>" would render bold, "<img src=file:…>" would load a
# file. User text therefore goes to plain-text widgets, or through these, never as is.


def as_html(text: str) -> str:
    """`text` escaped for a place that is rich text on purpose; it reads exactly as typed.

    >>> as_html('x < y & <b>z</b>')
    'x &lt; y &amp; &lt;b&gt;z&lt;/b&gt;'
    """
    return html.escape(str(text), quote=False)


def tip(text: str) -> str:
    """A tooltip that shows `text` verbatim, line breaks and spaces kept.

    Always rich text, so Qt never has to guess: a plain tooltip starting "&lt;" or "<b>"
    would be read as HTML. (Rich tooltips also wrap long lines.)

    >>> tip('<h1>big</h1>')
    "<p style='white-space:pre-wrap'>&lt;h1&gt;big&lt;/h1&gt;</p>"
    """
    return f"<p style='white-space:pre-wrap'>{as_html(text)}</p>"


def window_title(text: str) -> str:
    """`text` for setWindowTitle: Qt replaces "[*]" by the unsaved-changes mark ("[*][*]" is one).

    >>> window_title('Plan [*] — Trellis')
    'Plan [*][*] — Trellis'
    """
    return str(text).replace("[*]", "[*][*]")


def action_text(text: str) -> str:
    """`text` for a menu entry or button: a lone '&' would underline the next letter.

    >>> action_text('Undo Tom & Jerry')
    'Undo Tom && Jerry'
    """
    return str(text).replace("&", "&&")
