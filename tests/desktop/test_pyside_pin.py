"""DESIGN §8: PySide6 6.12.0 on Python 3.11 corrupts None's reference count in QGraphicsItem
setFlag/setFlags/setPos (and QObject.setObjectName) loops, aborting the process after a few
thousand calls with "Fatal Python error: none_dealloc". The pin (<6.12) keeps us on a clean
release; this test makes the calls the scene makes, 100,000 times, in one process."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsScene, QGraphicsTextItem

CALLS = 100_000


def test_pyside_is_below_the_broken_release():
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12)


def test_a_hundred_thousand_set_flag_set_pos_and_set_object_name_calls_survive(qapp):
    scene = QGraphicsScene()
    rects = [QGraphicsRectItem(0, 0, 10, 10) for _ in range(100)]
    texts = [QGraphicsTextItem("t") for _ in range(100)]
    for item in rects + texts:
        scene.addItem(item)
    flag = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    for i in range(CALLS):
        rect = rects[i % 100]
        rect.setFlag(flag, bool(i & 1))
        rect.setFlags(rect.flags())
        rect.setPos(QPointF(i % 997, i % 991))
        texts[i % 100].setObjectName(f"node-{i % 50}")
        texts[i % 100].setPos(i % 13, i % 17)
    assert rects[0].pos() == QPointF((CALLS - 100) % 997, (CALLS - 100) % 991)
    assert all(item.scene() is scene for item in rects + texts)
