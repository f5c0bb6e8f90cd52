"""The import-legacy subcommand: filled in by the legacy-import issue."""


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
