"""The one way the desktop runs long work: a progress dialog, a thread if asked, one refusal.

Every slow action (open a file, back up, restore, import, export, lay out, draw an image)
goes through `run`:

- a modal progress dialog, shown only when the work outlasts PROGRESS_AFTER_MS (so quick work
  never flashes one), with a wait cursor meanwhile; at once when it can be cancelled;
- `work(report)` runs in the GUI thread, or in a worker thread with `thread=True` (for work
  that never touches the store's connection from Qt, such as copying the file for a backup);
  `report(done, total, what="")` moves the bar and returns False once Cancel was pressed;
- an error of the `errors` kinds is shown one way: `desktop.plain.warn(parent, failed or
  title, explain(exc))`, and the outcome says it failed; anything else is raised to the caller;
- `after(result)` runs on success: the window passes its reload there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop.plain import TextLabel, warn

# Work that finishes sooner than this never flashes a progress dialog.
PROGRESS_AFTER_MS = 400

Report = Callable[..., bool]


class Outcome(NamedTuple):
    """What `run` gives back: whether the work finished, and what it returned."""

    ok: bool
    value: Any = None


def run(
    parent: QWidget | None,
    work: Callable[[Report], Any],
    label: str,
    *,
    title: str = "Trellis",
    thread: bool = False,
    cancellable: bool = False,
    errors: tuple[type[BaseException], ...] = (),
    explain: Callable[[BaseException], str] = str,
    failed: str | None = None,
    after: Callable[[Any], None] | None = None,
) -> Outcome:
    """Run `work(report)` behind a progress dialog; see the module docstring."""
    try:
        with progress_dialog(parent, label, title, cancellable) as dialog:
            value = (in_worker if thread else in_gui)(work, dialog)
    except errors as exc:
        warn(parent, failed or title, explain(exc))
        return Outcome(False)
    if after is not None:
        after(value)
    return Outcome(True, value)


@contextmanager
def progress_dialog(
    parent: QWidget | None, label: str, title: str = "Trellis", cancellable: bool = False
) -> Iterator[QProgressDialog]:
    """A modal progress dialog (busy bar until work reports a total) and the wait cursor."""
    dialog = QProgressDialog(label, "Cancel" if cancellable else None, 0, 0, parent)
    dialog.setLabel(TextLabel(label))  # it names the user's file or client: plain text
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    # A job that can be cancelled shows at once, so Cancel is there from the start.
    dialog.setMinimumDuration(0 if cancellable else PROGRESS_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setValue(0)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        QApplication.processEvents()
        yield dialog
    finally:
        QGuiApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()


def show_progress(dialog: QProgressDialog, done: int, total: int, what: str = "") -> None:
    dialog.setMaximum(max(total, 1))
    dialog.setValue(min(done, max(total, 1)))
    if what:
        # Through our TextLabel itself: QProgressDialog.setLabelText would skip its fitting.
        dialog.findChild(TextLabel).setText(f"{what}… ({done:,} of {total:,})")


def in_gui(work: Callable[[Report], Any], dialog: QProgressDialog) -> Any:
    """In the GUI thread: the bar moves and Cancel is heard each time the work reports."""

    def report(done: int, total: int, what: str = "") -> bool:
        show_progress(dialog, done, total, what)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    return work(report)


class Relay(QObject):
    """Carries a worker thread's progress and result to the GUI thread (queued signals)."""

    progressed = Signal(int, int, str)
    finished = Signal(object, object)


def in_worker(work: Callable[[Report], Any], dialog: QProgressDialog) -> Any:
    """Off the GUI thread: the window stays painted; the work's exception is raised here."""
    relay, loop, outcome = Relay(), QEventLoop(), {}

    def finish(result: Any, error: BaseException | None) -> None:
        outcome.update(result=result, error=error)
        loop.quit()

    relay.progressed.connect(lambda done, total, what: show_progress(dialog, done, total, what))
    relay.finished.connect(finish)

    def report(done: int, total: int, what: str = "") -> bool:
        # Widgets belong to the GUI thread: the worker only sends, and is never cancelled.
        relay.progressed.emit(done, total, what)
        return True

    worker = threading.Thread(target=work_then_report, args=(work, report, relay), daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]


def work_then_report(work: Callable[[Report], Any], report: Report, relay: Relay) -> None:
    try:
        result = work(report)
    except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
        relay.finished.emit(None, exc)
    else:
        relay.finished.emit(result, None)
