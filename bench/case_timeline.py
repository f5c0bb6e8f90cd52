"""Issue 16: the timeline of the 10,000-item client, first frame, against bare Qt items.

`ours` builds the timeline view of the loaded client (rows, marks through outcomes, the
findings it outlines), fits it and paints one frame; `bare` adds a plain QGraphicsRectItem
for each thing it draws (bar, label, line, and each mark, which ours stamps from one item) at
the same place to a fresh scene and paints one frame of the same size.
Loading the client is the same for both and left out (case_load measures it).
"""

from __future__ import annotations

from bench.context import Context
from bench.timing import Result, paired

SIZE = (1200, 700)


def run(ctx: Context) -> list[Result]:
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene, QGraphicsView

    from desktop.model.workspace import Selection, Workspace
    from desktop.panels.timeline import TimelineView
    from desktop.panels.timeline_marks import MARK_PX
    from store.opening import close_database, open_database

    app = QApplication.instance() or QApplication([])
    open_database(ctx.big)
    ws = Workspace()
    ws.load_client(ctx.root, save=False)
    shown: dict = {}

    def ours() -> None:
        view = TimelineView(ws, Selection(), push=lambda command: None)
        view.resize(*SIZE)
        view.show()
        view.canvas.viewport().grab()
        canvas = view.canvas
        items = [i for i in canvas.scene().items() if i is not canvas.layer]
        half = MARK_PX / canvas.transform().m11()  # a mark's half-width in scene units
        shown["rects"] = [i.sceneBoundingRect() for i in items] + [
            QRectF(m.x - half, m.y - MARK_PX, 2 * half, 2 * MARK_PX) for m in canvas.layer.drawn
        ]
        shown["ppd"] = canvas.ppd()
        view.deleteLater()
        app.processEvents()

    def bare() -> None:
        scene = QGraphicsScene()
        for rect in shown["rects"]:
            scene.addItem(QGraphicsRectItem(rect))
        view = QGraphicsView(scene)
        view.resize(*SIZE)
        view.scale(shown["ppd"] / 24.0, 1.0)
        view.show()
        view.viewport().grab()
        view.deleteLater()
        app.processEvents()

    ours()  # records the geometry the baseline copies
    try:
        mine, theirs = paired(ours, bare, ctx.reps(5, 1))
    finally:
        close_database()
    return [
        Result(
            "timeline_first_frame",
            "timeline of the 10,000-item client, first frame",
            mine,
            theirs,
            ("max", 2.0),
            ours_label="TimelineView built (rows, marks, findings), fitted, one frame painted",
            baseline_label="a bare rect item per bar, label, line and mark at the same place, "
            "one frame painted",
            extra={"things_drawn": len(shown["rects"])},
        )
    ]
