"""Following other writers on a team database: LISTEN/NOTIFY, no polling of the server.

store.team.Listener holds a second connection LISTENing on `trellis_changes`; a
QSocketNotifier on its socket wakes the app the moment another session commits. The
notifications are read at once (so a socket left readable never spins the event loop) and
counted by the store, which is what Workspace.changed_elsewhere compares; `then` (the window's
follow_other_writers) reloads, keeping the selection and the view, as it does for a file another
program wrote to. A listener whose connection broke stops being watched until `watch` is called
again (after a reconnect).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

from store import team
from store.models import database, is_team


class TeamWatch(QObject):
    """Calls `then()` whenever another session wrote to the open team database."""

    def __init__(self, then: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.then = then
        self.notifier: QSocketNotifier | None = None
        self.listener: team.Listener | None = None
        self.others: set[str] = set()  # every client id others changed (for the status line)

    def watch(self) -> bool:
        """Watch the open database's listener (none on a file); True if now watching."""
        self.stop()
        if not is_team():
            return False
        try:
            self.listener = team.listener(database)
        except Exception:  # the server is away just now: Reconnect watches again
            return False
        self.notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self.readable)
        return True

    @property
    def watching(self) -> bool:
        return self.notifier is not None and self.notifier.isEnabled()

    def readable(self, *_args) -> None:
        listener = self.listener
        if listener is None:
            return
        try:
            found = listener.changed()
        except Exception:  # the listening connection broke (server gone): stop, do not spin
            self.stop()
            return
        if found:
            self.others |= found
            self.then()

    def stop(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
        self.notifier = None
        self.listener = None
