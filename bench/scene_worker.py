"""One GUI measurement process: `python -m bench.scene_worker ours|bare IN.json OUT.json`.

Each mode runs in its own process so its peak memory (ru_maxrss) is its own. `ours` opens the
client in the app's GraphScene and GraphView; it also writes the geometry it drew (node boxes,
link ends, the opening, fit and drag views) so that `bare` can draw the same number of plain
QGraphicsRectItems and QGraphicsLineItems in the same places and look at them the same way.

Measured the same way in both modes, offscreen:
- first frame: scene and view made, every item added, the opening view set, one frame painted
  (`viewport().grab()` paints synchronously into a pixmap);
- repaint at fit: everything visible (the scale that fits all nodes), median of several grabs;
- drag step: one mouse-move event on a node being dragged plus the repaint it causes
  (`processEvents()` delivers the update; paints are counted to prove one happened).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
)

VIEW_W, VIEW_H = 860, 800  # the graph's share of the main window at its default size
FIT_MARGIN = 40.0
STEP_PX = 3
# Moves before timing starts: the first ones cross the drag threshold and start the gesture.
WARM_STEPS = 6


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux's VmHWM belongs to this program alone; ru_maxrss would also count the parent's
    peak, which a child inherits across fork and exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PaintCounter(QObject):
    """Counts paint events on the viewport, to show a drag step really repainted."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def configure(view: QGraphicsView) -> None:
    """Both modes paint with the same hints and update mode, so only the items differ."""
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
    view.setFrameShape(QGraphicsView.Shape.NoFrame)
    view.resize(VIEW_W, VIEW_H)


def look_at(view: QGraphicsView, spot: dict[str, float]) -> None:
    """Scale and centre the bare view as the recorded one was."""
    view.resetTransform()
    view.scale(spot["scale"], spot["scale"])
    view.centerOn(QPointF(spot["x"], spot["y"]))


def spot_of(view: QGraphicsView) -> dict[str, float]:
    centre = view.mapToScene(view.viewport().rect().center())
    return {"scale": view.transform().m11(), "x": centre.x(), "y": centre.y()}


def frame_times(view: QGraphicsView, frames: int) -> float:
    """Median seconds to paint the whole viewport once."""
    view.viewport().grab()
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        view.viewport().grab()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def send_move(view: QGraphicsView, point: QPoint) -> None:
    """A move with the left button held, as a window system delivers it (QTest.mouseMove
    does not carry the pressed button reliably)."""
    viewport = view.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def drag_steps(view: QGraphicsView, scene_point: QPointF, steps: int) -> dict[str, Any]:
    """Press on the node, then time each one-step move plus the repaint it triggers."""
    app = QApplication.instance()
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    app.processEvents()
    press = view.mapFromScene(scene_point)
    QTest.mousePress(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press
    )
    app.processEvents()
    for i in range(1, WARM_STEPS + 1):
        send_move(view, press + QPoint(i * STEP_PX, 0))
        app.processEvents()
    times, paints = [], []
    for i in range(WARM_STEPS + 1, WARM_STEPS + 1 + steps):
        before = counter.count
        start = time.perf_counter()
        send_move(view, press + QPoint(i * STEP_PX, 0))
        app.processEvents()
        times.append(time.perf_counter() - start)
        paints.append(counter.count - before)
    end = press + QPoint((WARM_STEPS + steps) * STEP_PX, 0)
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    view.viewport().removeEventFilter(counter)
    return {
        "step_seconds": statistics.median(times),
        "steps": steps,
        "steps_that_painted": sum(1 for p in paints if p),
    }


def discard(view: QGraphicsView, scene: QGraphicsScene) -> None:
    """Free a first-frame rep's view and scene now (deleteLater alone waits for an event loop)."""
    view.close()
    view.deleteLater()
    scene.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


# ---------------------------------------------------------------- ours


def run_ours(task: dict[str, Any]) -> dict[str, Any]:
    from desktop.canvas.scene import GraphScene
    from desktop.canvas.view import GraphView
    from desktop.model.workspace import Workspace

    started_mb = rss_mb()
    ws = Workspace()
    start = time.perf_counter()
    ws.open(task["db"], task["root"])
    workspace_open = time.perf_counter() - start
    opened_mb = rss_mb()

    def first_frame() -> tuple[float, Any, Any]:
        start = time.perf_counter()
        scene = GraphScene(ws)
        view = GraphView(scene, push=lambda command: None)
        configure(view)
        view.show()
        scene.rebuild()
        view.overview()
        view.viewport().grab()
        return time.perf_counter() - start, scene, view

    firsts: list[float] = []
    one_scene_mb = 0.0  # peak with exactly one scene alive, before the next rep makes another
    for _ in range(task["first_frames"]):
        seconds, scene, view = first_frame()
        firsts.append(seconds)
        one_scene_mb = one_scene_mb or rss_mb()
        if len(firsts) < task["first_frames"]:
            ws.changed.disconnect(scene.on_changed)
            discard(view, scene)
    opening = spot_of(view)
    rect = scene.nodes_rect().adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
    fit_scale = min(
        view.viewport().width() / rect.width(), view.viewport().height() / rect.height()
    )
    # Straight to the scale that shows every node: the app's Fit stops at its minimum zoom.
    view.set_scale(fit_scale)
    view.centerOn(rect.center())
    view.zoomed()
    fit = spot_of(view)
    visible = len(scene.items(view.mapToScene(view.viewport().rect()).boundingRect()))
    fit_seconds = frame_times(view, task["frames"])
    node_id = drag_node(ws)
    centre = scene.nodes[node_id].centre()
    # Recorded before the drag moves anything.
    geometry = {
        "nodes": [box(v.rect()) for v in scene.nodes.values()],
        "links": [link_ends(scene, v) for v in scene.links.values()],
        "opening": opening,
        "fit": fit,
        "drag": {"x": centre.x(), "y": centre.y(), "index": list(scene.nodes).index(node_id)},
    }
    Path(task["geometry"]).write_text(json.dumps(geometry))
    view.set_scale(1.0)
    view.zoomed()
    view.centerOn(centre)
    drag = drag_steps(view, centre, task["steps"])
    return {
        "workspace_open_seconds": workspace_open,
        "first_frame_seconds": statistics.median(firsts),
        "first_frame_all": firsts,
        "fit_repaint_seconds": fit_seconds,
        "fit_scale": fit_scale,
        "items_in_view_at_fit": visible,
        "qt_items": len(scene.items()),
        "nodes": len(scene.nodes),
        "links": len(scene.links),
        "drag": drag,
        "rss_mb_after_start": started_mb,
        "rss_mb_after_workspace_open": opened_mb,
        "peak_rss_mb": one_scene_mb,
        "peak_rss_mb_whole_run": rss_mb(),
    }


def drag_node(ws) -> str:
    """A live commitment near the middle of the client, with links to redraw as it moves."""
    commitments = [i.id for i in ws.live_items() if i.kind == "commitment"]
    middle = commitments[len(commitments) // 2 :]
    return next(c for c in middle if ws.graph.degree(c) >= 2)


def box(rect: QRectF) -> list[float]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def link_ends(scene, view) -> list[float]:
    a, b = scene.nodes[view.upper].centre(), scene.nodes[view.lower].centre()
    return [a.x(), a.y(), b.x(), b.y()]


# ---------------------------------------------------------------- bare


def run_bare(task: dict[str, Any]) -> dict[str, Any]:
    started_mb = rss_mb()
    geometry = json.loads(Path(task["geometry"]).read_text())
    pen, brush, line_pen = (
        QPen(QColor("#495057"), 1.5),
        QBrush(QColor("#e7f5ff")),
        QPen(QColor("#adb5bd"), 1.2),
    )

    def first_frame() -> tuple[float, QGraphicsScene, QGraphicsView, list]:
        start = time.perf_counter()
        scene = QGraphicsScene()
        rects = []
        for x, y, w, h in geometry["nodes"]:
            item = QGraphicsRectItem(x, y, w, h)
            item.setPen(pen)
            item.setBrush(brush)
            item.setZValue(1.0)
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
            scene.addItem(item)
            rects.append(item)
        for x1, y1, x2, y2 in geometry["links"]:
            line = QGraphicsLineItem(x1, y1, x2, y2)
            line.setPen(line_pen)
            scene.addItem(line)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-400, -400, 400, 400))
        view = QGraphicsView(scene)
        configure(view)
        view.show()
        look_at(view, geometry["opening"])
        view.viewport().grab()
        return time.perf_counter() - start, scene, view, rects

    firsts: list[float] = []
    one_scene_mb = 0.0  # peak with exactly one scene alive, before the next rep makes another
    for _ in range(task["first_frames"]):
        seconds, scene, view, rects = first_frame()
        firsts.append(seconds)
        one_scene_mb = one_scene_mb or rss_mb()
        if len(firsts) < task["first_frames"]:
            discard(view, scene)
    look_at(view, geometry["fit"])
    visible = len(scene.items(view.mapToScene(view.viewport().rect()).boundingRect()))
    fit_seconds = frame_times(view, task["frames"])
    spot = geometry["drag"]
    look_at(view, {"scale": 1.0, "x": spot["x"], "y": spot["y"]})
    drag = drag_steps(view, QPointF(spot["x"], spot["y"]), task["steps"])
    moved = rects[spot["index"]].pos() != QPointF(0, 0)
    return {
        "first_frame_seconds": statistics.median(firsts),
        "first_frame_all": firsts,
        "fit_repaint_seconds": fit_seconds,
        "items_in_view_at_fit": visible,
        "qt_items": len(scene.items()),
        "nodes": len(geometry["nodes"]),
        "links": len(geometry["links"]),
        "drag": drag | {"item_moved": moved},
        "rss_mb_after_start": started_mb,
        "peak_rss_mb": one_scene_mb,
        "peak_rss_mb_whole_run": rss_mb(),
    }


def main(argv: list[str]) -> int:
    mode, task_file, out_file = argv
    task = json.loads(Path(task_file).read_text())
    app = QApplication.instance() or QApplication([sys.argv[0]])  # noqa: F841 - keeps Qt alive
    result = run_ours(task) if mode == "ours" else run_bare(task)
    Path(out_file).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
