"""Backup subcommands (backup, backups, restore, migrate): filled in by the data-safety issue."""


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
