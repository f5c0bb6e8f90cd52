"""The typed errors a store function raises; each message is one sentence a person can act on."""

from graph import errors as graph_errors

__all__ = [
    "TrellisError",
    "ValidationError",
    "NotFound",
    "FileRefused",
    "LinkRefused",
    "DatabaseInUse",
    "TeamUnavailable",
    "StaleEdit",
]


class TrellisError(Exception):
    """Base of every refusal the store makes on purpose."""


class ValidationError(TrellisError, ValueError):
    """A value is not acceptable; `field` names the editor field to show it at, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(TrellisError, LookupError):
    """No item with that id (or name) exists."""


class FileRefused(TrellisError):
    """A file is not a Trellis database we can open: foreign, corrupt, or from a newer version.

    `reason` says which, for a caller that treats them differently ("not-sqlite", "foreign",
    "damaged", "newer", …: store.sqlite.identify_file sets it).
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason


class DatabaseInUse(TrellisError):
    """The file is open elsewhere, so it cannot be replaced (or opened) now."""


class LinkRefused(TrellisError, graph_errors.LinkRefused):
    """A link may not exist; the message (from graph's link rules) says what to link instead."""


class TeamUnavailable(TrellisError):
    """The team database's server cannot be reached or refused us (the message says which);
    nothing was changed, and what was reported saved before is on the server."""


class StaleEdit(TrellisError):
    """Another session changed the row since it was read: the edit is refused, not written
    over theirs."""


def error_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain
