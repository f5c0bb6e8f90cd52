"""Driving the real graph view with mouse and keyboard events, and reading the database back."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

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


def on_next_modal(act, seen: list | None = None) -> None:
    """Run `act(dialog)` on the next modal dialog as soon as it is up (exec() blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        if seen is not None:
            seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, poll)
