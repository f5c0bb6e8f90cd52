"""Driving the real window in tests: the graph view with mouse and keyboard events, modal
dialogs answered in order (the one driver: `on_next_modal`, `Dialogs`, `press`, `pick`), and
the database read back."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from store import exchange

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier


def show_client(window, name: str) -> str:
    """Switch the window to the client called `name`; returns its id."""
    root = next(c["id"] for c in window.ws.clients if c["name"] == name)
    window.ws.select_client(root)
    return root


def item_id(window, title: str) -> str:
    return next(i.id for i in window.ws.live_items() if i.title == title)


def at_readable_zoom(window, *ids: str) -> None:
    """Zoom 1:1 (or out, as far as titles still show, for nodes far apart) centred between
    the given nodes, so each is on screen and hit-testable."""
    from desktop.canvas.view import DETAIL_SCALE

    view = window.view
    points = [window.scene.nodes[i].centre() for i in ids]
    xs, ys = [p.x() for p in points], [p.y() for p in points]
    port = view.viewport().rect()
    room = min(port.width() / (max(xs) - min(xs) + 260), port.height() / (max(ys) - min(ys) + 120))
    view.set_scale(max(DETAIL_SCALE, min(1.0, room)))
    view.zoomed()
    n = len(points)
    centre = QPointF(sum(xs) / n, sum(ys) / n)
    view.centerOn(centre)
    for point in points:
        assert view.viewport().rect().contains(view.mapFromScene(point)), "node off screen"


def vp(window, scene_point: QPointF) -> QPoint:
    return window.view.mapFromScene(scene_point)


def move(window, point: QPoint, buttons=LEFT, mods=NO_MODS) -> None:
    """A mouse move with buttons held, sent as a real QMouseEvent to the viewport.

    QTest.mouseMove (PySide6 6.11) does carry the pressed button, but it takes no keyboard
    modifiers; building the event states both, as a window system delivers them.
    """
    viewport = window.view.viewport()
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        buttons,
        mods,
    )
    QApplication.sendEvent(viewport, event)


def drag(window, start: QPointF, end: QPointF, mods=NO_MODS, steps: int = 6, release=True):
    """Press at `start`, move in steps to `end` and release there (scene coordinates)."""
    viewport = window.view.viewport()
    a, b = vp(window, start), vp(window, end)
    QTest.mousePress(viewport, LEFT, mods, a)
    for i in range(1, steps + 1):
        move(window, a + (b - a) * i / steps, mods=mods)
    if release:
        QTest.mouseRelease(viewport, LEFT, mods, b)


def snapshot() -> dict:
    """The whole database as the export document, minus the stamps a replay rewrites.

    Undo then redo must leave every row as it was; only when things happened may differ
    (updated_at, the link's created_at, the position's updated_at, and deleted_at, which
    keeps only whether the row is in the trash).
    """
    doc = exchange.export_document()
    for rows in doc.values():
        if isinstance(rows, list):
            for row in rows:
                row.pop("updated_at", None)
                if "deleted_at" in row:
                    row["deleted_at"] = row["deleted_at"] is not None
    for rows in doc["links"].values():
        for row in rows:
            row.pop("created_at", None)
    return doc


def on_next_modal(act, seen: list | None = None, kind: type = QWidget) -> None:
    """Run `act(dialog)` on the next modal dialog of `kind` as soon as it is up (exec()
    blocks the test); `seen` collects it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        if seen is not None:
            seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, poll)


# ------------------------------------------------------------ answering dialogs in order


def said(widget) -> str:
    """What a dialog says, for `Dialogs.seen`: a message box's text, else its class name."""
    return widget.text() if isinstance(widget, QMessageBox) else type(widget).__name__


class Dialogs:
    """Answers modal dialogs as they open, in order, the way a person would.

    `steps` are (dialog class, answer) pairs such as `press(QMessageBox, "OK")` and
    `pick(path)`; `seen` gathers `describe(dialog)` for each one answered. Each answer runs
    from its own single-shot timer, not from the polling timer: an answer that opens a
    further dialog (Choose file…) blocks in that dialog's event loop, and Qt does not fire
    a timer again while its own timeout is still running. A dialog nobody expected is
    closed after a minute, so the test fails in `done()` instead of hanging.
    """

    def __init__(self, *steps, describe=said):
        self.steps = list(steps)
        self.describe = describe
        self.seen: list[str] = []
        self.answering = False
        self.started = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and time.monotonic() - self.started > 60:
            widget.close()
        if self.answering or widget is None or not self.steps or not widget.isVisible():
            return
        kind, answer = self.steps[0]
        if type(widget) is kind:
            self.steps.pop(0)
            self.seen.append(self.describe(widget))
            self.answering = True
            QTimer.singleShot(0, lambda: self.answer(answer, widget))

    def answer(self, answer, widget) -> None:
        self.answering = False
        answer(widget)

    def done(self) -> None:
        self.timer.stop()
        assert self.steps == [], f"dialogs never shown: {[k.__name__ for k, _ in self.steps]}"


def press(kind, text: str):
    """A step: click the button labelled `text` (mnemonic ampersands ignored)."""

    def answer(widget) -> None:
        buttons = widget.findChildren(QPushButton)
        button = next(b for b in buttons if b.text().replace("&", "") == text)
        assert button.isEnabled(), f"{text!r} is disabled"
        QTest.mouseClick(button, LEFT)

    return kind, answer


def pick(path):
    """A step: choose `path` in the file chooser and click Open (or Save).

    (Typing a whole path makes Qt's dialog change folder as it goes, and in the offscreen
    platform its folder model loads too late for the typed name to be accepted.)
    """

    def answer(dialog: QFileDialog) -> None:
        # Folder first, then the name: selectFile(whole path) leaves the name empty when
        # the folder's model is still loading and a filter is set.
        dialog.setDirectory(str(Path(path).parent))
        dialog.findChild(QLineEdit, "fileNameEdit").setText(Path(path).name)
        box = dialog.findChild(QDialogButtonBox, "buttonBox")
        Button = QDialogButtonBox.StandardButton
        accept = box.button(Button.Open) or box.button(Button.Save)
        QTest.mouseClick(accept, LEFT)

    return QFileDialog, answer


def cancel_file_chooser(then=lambda dialog: None):
    """A step: run `then(dialog)` in the file chooser, then cancel it."""

    def answer(dialog: QFileDialog) -> None:
        then(dialog)
        dialog.reject()

    return QFileDialog, answer


def wheel(window, point, delta: int) -> None:
    """Turn the mouse wheel by `delta` eighths of a degree at `point` of the graph view."""
    viewport = window.view.viewport()
    event = QWheelEvent(
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        QPointF(0, 0).toPoint(),
        QPointF(0, delta).toPoint(),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def open_generated_client(qtbot, path: Path, width: int, height: int):
    """The real main window at `width` x `height` on a generated ~300-item client in a new
    file at `path` (bench/dataset.py, the bench's own generator); close it with
    `close_generated_client`."""
    from bench import dataset
    from desktop.window import MainWindow

    dataset.generate(path, 0.03, 1)
    win = MainWindow()
    qtbot.addWidget(win, before_close_func=lambda w: w.inspector.revert())
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.open_database(path)
    win.ws.select_client(win.ws.clients[0]["id"])
    return win


def close_generated_client(win) -> None:
    from store.opening import close_database

    win.view.cancel_gesture()
    close_database()
