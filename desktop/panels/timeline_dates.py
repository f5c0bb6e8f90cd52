"""Day arithmetic for the timeline that stays within the dates Python holds (0001-01-01 to
9999-12-31): an item may fall on either, and a date out of range raised inside a Qt override
(a show, a paint, a mouse release) takes the whole process down instead of one view."""

from __future__ import annotations

from datetime import date

FIRST, LAST = date.min.toordinal(), date.max.toordinal()


def shifted(day: date, days: int) -> date:
    """`day` moved by `days`, held at the first or the last date there is."""
    return date.fromordinal(max(FIRST, min(LAST, day.toordinal() + days)))


def shift_within(days: int, *moved: date) -> int:
    """`days`, cut so that every one of `moved` shifted by it is still a date."""
    low = max(FIRST - day.toordinal() for day in moved)
    high = min(LAST - day.toordinal() for day in moved)
    return max(low, min(high, days))
