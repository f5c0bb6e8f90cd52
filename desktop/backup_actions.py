"""File menu actions for backups (Back up now, Restore from backup…): data-safety issue."""

from __future__ import annotations


def back_up_now(parent) -> None:
    """Back up the open database now and tell the user where the copy went."""
    raise NotImplementedError


def restore_from_backup(parent) -> bool:
    """Let the user pick a backup and restore it; True when the live database was replaced."""
    raise NotImplementedError
