"""`python -m bench.start_probe trellis|bare [trellis arguments]`: start, and print the
moment (time.monotonic) the first main window has been painted, then exit at once.

`trellis` runs the real entry point (`cli.main.main`, what the `trellis` script calls) with
the arguments given; `bare` shows an empty QMainWindow of the same size. Both share this
file's start-up, so the difference is what Trellis does before its window appears. Exiting
with os._exit skips teardown, which neither figure should include.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class FirstPaint(QObject):
    """Reports once the first paint of any main window has been delivered."""

    def __init__(self):
        super().__init__()
        self.seen = False

    def eventFilter(self, obj, event) -> bool:
        if (
            not self.seen
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and isinstance(obj.window(), QMainWindow)
        ):
            self.seen = True
            # After the rest of this paint pass: the whole window is on screen by then.
            QTimer.singleShot(0, report)
        return False


def report() -> None:
    print(f"painted {time.monotonic()!r}", flush=True)
    os._exit(0)


def main(argv: list[str]) -> int:
    mode, rest = argv[0], argv[1:]
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    app.installEventFilter(watcher)
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
