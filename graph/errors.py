"""The one error type `graph/` raises, so callers catch one thing and show its message."""

from __future__ import annotations


class LinkRefused(ValueError):
    """A link that may not exist; the message says why and what to do instead.

    Examples
    --------
    >>> try:
    ...     raise LinkRefused("Goals do not link to each other.")
    ... except ValueError as error:
    ...     print(error)
    Goals do not link to each other.
    """
