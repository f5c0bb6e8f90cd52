"""File → Import legacy database…: legacy-import issue."""

from __future__ import annotations


def import_legacy(parent) -> bool:
    """Preview and run a legacy import; True when the database changed."""
    raise NotImplementedError
