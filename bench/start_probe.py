"""`python -m bench.start_probe trellis|bare [trellis arguments]`: start, and print the
moment (time.monotonic) the first main window has been painted, then exit at once.

`trellis` runs the real entry point (`cli.main.main`, what the `trellis` script calls) with
the arguments given; `bare` shows an empty QMainWindow of the same size. Both share this
file's start-up, so the difference is what Trellis does before its window appears. Exiting
with os._exit skips teardown, which neither figure should include.

Trellis shows its window before it loads the client, so for `trellis` the probe goes on
until the graph view's first paint and prints that moment too (`graph ...`).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsView, QMainWindow, QWidget

GIVE_UP_MS = 240_000  # no graph by then: stop (case_start reports the missing line)


class FirstPaint(QObject):
    """Reports once the first paint of any main window has been delivered, and (when asked)
    the first paint of a graph view's viewport."""

    def __init__(self, until_graph: bool):
        super().__init__()
        self.seen = False
        self.graph_seen = not until_graph

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.Paint or not isinstance(obj, QWidget):
            return False
        if not self.seen and isinstance(obj.window(), QMainWindow):
            self.seen = True
            # After the rest of this paint pass: the whole window is on screen by then.
            QTimer.singleShot(0, lambda: report("painted", self.graph_seen))
        elif not self.graph_seen and isinstance(obj.parent(), QGraphicsView):
            self.graph_seen = True
            QTimer.singleShot(0, lambda: report("graph", True))
        return False


def report(what: str, last: bool) -> None:
    print(f"{what} {time.monotonic()!r}", flush=True)
    if last:
        os._exit(0)


def main(argv: list[str]) -> int:
    mode, rest = argv[0], argv[1:]
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint(until_graph=mode == "trellis")
    app.installEventFilter(watcher)
    QTimer.singleShot(GIVE_UP_MS, lambda: os._exit(1))
    if mode == "trellis":
        from cli.main import main as trellis

        return trellis(rest)
    window = QMainWindow()
    window.setWindowTitle("Bare")
    window.resize(1480, 900)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
