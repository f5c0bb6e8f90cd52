"""How one link looks: a QGraphicsPathItem curve through the gaps, with its arrowhead and
weight label (see items.py for why nothing here overrides `paint()`)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
)

from desktop.canvas.items import NodeView
from desktop.canvas.style import (
    LINK_COLOUR,
    LINK_STRONG,
    SELECTED,
    Z_LINK,
    fonts,
    text_item,
)
from graph.routing import Route, Rows, arrowhead, link_path


def curve(start: QPointF, end: QPointF) -> QPainterPath:
    """A vertical S-curve from a parent's bottom to a child's top (the live link line)."""
    return curve_xy(start.x(), start.y(), end.x(), end.y())


def curve_xy(x1: float, y1: float, x2: float, y2: float) -> QPainterPath:
    bend = abs(y2 - y1) / 2
    if bend < 40.0:
        bend = 40.0
    path = QPainterPath()
    path.moveTo(x1, y1)
    path.cubicTo(x1, y1 + bend, x2, y2 - bend, x2, y2)
    return path


def painter_path(points: Route, arrow_at_end: bool = False) -> QPainterPath:
    """A `graph.routing` path (a chain of cubics) as Qt draws it, with its arrowhead: the
    very points tests and the bench measure."""
    path = QPainterPath()
    path.moveTo(*points[0])
    for i in range(1, len(points) - 2, 3):
        (ax, ay), (bx, by), (cx, cy) = points[i : i + 3]
        path.cubicTo(ax, ay, bx, by, cx, cy)
    left, tip, right = arrowhead(points, arrow_at_end)
    path.moveTo(*left)
    path.lineTo(*tip)
    path.lineTo(*right)
    return path


def link_curve(
    upper: tuple[float, float],
    lower: tuple[float, float],
    rows: Rows | None,
    ports: tuple[float, float] = (0.0, 0.0),
) -> QPainterPath:
    """The drawn link between two node centres, through the gaps of the rows between: down
    from the higher node (`ports`: its offset there, then the lower node's), the arrowhead
    in the upper end, the one served."""
    if upper[1] <= lower[1]:
        return painter_path(link_path(upper, lower, rows, ports))
    return painter_path(link_path(lower, upper, rows, ports), arrow_at_end=True)


@cache
def link_pens() -> dict[str, QPen]:
    pens = {
        # One pixel (width 0) for the same two reasons as a node's outline (see paints); a
        # darker grey than a wider line would need keeps links as easy to follow.
        "": QPen(LINK_COLOUR, 0),
        "related": QPen(LINK_STRONG, 2.4),
        "selected": QPen(SELECTED, 3.4),
    }
    for pen in pens.values():
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setCosmetic(True)  # links stay visible when zoomed far out
    return pens


class LinkView:
    """The curve joining a parent (upper) node to a child (lower) node."""

    __slots__ = ("link_id", "upper", "lower", "item", "weight_label", "state", "weight")

    def __init__(
        self,
        link_id: str,
        upper: str,
        lower: str,
        weight: float,
        path: QPainterPath | None = None,
    ):
        self.link_id, self.upper, self.lower = link_id, upper, lower
        self.state = ""
        # Made with its final pen and shape: at 20,000 links every extra call counts. A link
        # routed later (wiring.py) gets its Qt item when first asked for it.
        self.item: QGraphicsPathItem | None = None
        if path is not None:
            self.item = QGraphicsPathItem(path)
            self.item.setPen(link_pens()[""])
        self.weight_label: QGraphicsSimpleTextItem | None = None
        self.weight = weight  # its label is made by `realize`, once the link is seen

    @property
    def path(self) -> QGraphicsPathItem:
        """The curve's Qt item."""
        if self.item is None:
            self.item = QGraphicsPathItem()
            self.item.setPen(link_pens().get(self.state, link_pens()[""]))
        return self.item

    def realize(self) -> None:
        if self.weight != 1.0 and self.weight_label is None:
            self.set_weight(self.weight)

    def set_weight(self, weight: float) -> None:
        """Show a weight other than 1 as a small "×2" on the curve."""
        self.weight = weight
        if weight == 1.0:
            if self.weight_label is not None:
                self.weight_label.setVisible(False)
            return
        if self.weight_label is None:
            self.weight_label = text_item(self.path, fonts().small, QBrush(LINK_STRONG))
            self.place_label(self.path.path())
        self.weight_label.setText(f"×{weight:g}")
        self.weight_label.setVisible(True)

    def tooltip(self) -> str:
        return f"Counts ×{self.weight:g} toward its parent's progress" if self.weight != 1 else ""

    def set_state(self, state: str) -> None:
        """'' plain, 'related' (part of the selection's family) or 'selected'."""
        self.state = state
        pens = link_pens()
        self.path.setPen(pens.get(state, pens[""]))
        self.path.setZValue(Z_LINK + (0.5 if state else 0.0))

    def route(
        self,
        upper: NodeView,
        lower: NodeView,
        rows: Rows | None = None,
        ports: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """Re-draw the curve between the two nodes' current places, through `rows`' gaps."""
        a, b = upper.centre(), lower.centre()
        path = link_curve((a.x(), a.y()), (b.x(), b.y()), rows, ports)
        self.path.setPath(path)
        if self.weight_label is not None:
            self.place_label(path)

    def place_label(self, path: QPainterPath) -> None:
        mid = path.pointAtPercent(0.5)
        self.weight_label.setPos(mid.x() + 4, mid.y() - 8)
