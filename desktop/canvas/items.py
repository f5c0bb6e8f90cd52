"""How one node and one link look, built only from Qt's own graphics items.

No class here overrides `paint()`: at 10,000 nodes every Python call per paint counts, so a
node is a QGraphicsPathItem (its shape, by kind) with plain Qt children for text and the
progress bar, made only once the node is seen up close, and a link is a QGraphicsPathItem
curve. `NodeView` / `LinkView` are ordinary Python objects that keep those items and change
their pens, text and positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from graph.layout import NODE_H, NODE_W
from graph.model import Item
from graph.routing import Route, Rows, arrowhead, link_path

# What a Qt item under the cursor stands for (the scene maps each item to (role, id)).
NODE, HANDLE, LINK = "node", "handle", "link"

# Links sit under nodes: by Z_LINK, or, for the links a rebuild makes, by being added first
# (at equal z Qt draws later items on top), which saves a call on each of 20,000 items.
Z_LANE, Z_LINK, Z_NODE, Z_SELECTED, Z_GESTURE = -10.0, -1.0, 0.0, 2.0, 10.0

PAD = 12.0
BAR_H = 5.0
HANDLE_R = 6.0
TEXT_DARK = QColor("#212529")
TEXT_SOFT = QColor("#5c636a")


@dataclass(frozen=True)
class KindStyle:
    """The colours and outline that tell one kind from another at a glance."""

    label: str
    accent: str
    fill: str
    shape: str
    inset: float = 0.0  # how far the outline's slanted sides reach into the text area


STYLES = {
    "goal": KindStyle("GOAL", "#6741d9", "#f3f0ff", "hexagon", inset=12.0),
    "outcome": KindStyle("OUTCOME", "#0c8599", "#e3fafc", "rounded"),
    "sprint": KindStyle("SPRINT", "#e8590c", "#fff4e6", "ticket", inset=4.0),
    "commitment": KindStyle("COMMITMENT", "#1971c2", "#e7f5ff", "pill", inset=6.0),
}
FALLBACK = KindStyle("ITEM", "#495057", "#f1f3f5", "rounded")

VALID = QColor("#2f9e44")
INVALID = QColor("#e03131")
SELECTED = QColor("#f76707")
LINK_COLOUR = QColor("#8e959c")
LINK_STRONG = QColor("#495057")


def style_of(kind: str) -> KindStyle:
    return STYLES.get(kind, FALLBACK)


def font(points: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont()
    f.setPointSizeF(points)
    f.setWeight(weight)
    return f


@dataclass(frozen=True)
class Fonts:
    caption: QFont
    title: QFont
    small: QFont
    title_metrics: QFontMetricsF


@cache
def fonts() -> Fonts:
    """Made on first use: fonts and their metrics need the QApplication to exist."""
    title = font(9.4, QFont.Weight.DemiBold)
    return Fonts(font(6.6, QFont.Weight.Bold), title, font(7.0), QFontMetricsF(title))


def outline(shape: str, w: float = NODE_W, h: float = NODE_H) -> QPainterPath:
    """The node's outline, centred on (0, 0): each kind has its own silhouette."""
    path = QPainterPath()
    left, top, right, bottom = -w / 2, -h / 2, w / 2, h / 2
    if shape == "hexagon":
        cut = 14.0 if h >= 40 else h / 2  # icons need a sharper point to read as a hexagon
        points = [
            (left + cut, top),
            (right - cut, top),
            (right, 0),
            (right - cut, bottom),
            (left + cut, bottom),
            (left, 0),
        ]
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
        path.closeSubpath()
    elif shape == "ticket":
        cut = 10.0 if h >= 40 else h / 3.5
        points = [
            (left + cut, top),
            (right - cut, top),
            (right, top + cut),
            (right, bottom - cut),
            (right - cut, bottom),
            (left + cut, bottom),
            (left, bottom - cut),
            (left, top + cut),
        ]
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
        path.closeSubpath()
    elif shape == "pill":
        radius = h / 2.6 if h >= 40 else h / 2
        path.addRoundedRect(QRectF(left, top, w, h), radius, radius)
    else:
        path.addRoundedRect(QRectF(left, top, w, h), 9.0, 9.0)
    return path


@cache
def outline_of(kind: str) -> QPainterPath:
    return outline(style_of(kind).shape)


@cache
def kind_icon(kind: str, size: int = 14) -> QIcon:
    """A small copy of a kind's node shape, for trees and menus."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on HiDPI screens
    pixmap.fill(Qt.GlobalColor.transparent)
    style = style_of(kind)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shape = QTransform().translate(size, size).map(outline(style.shape, size * 2 - 3, size * 1.3))
    painter.setPen(QPen(QColor(style.accent), 2.4))
    painter.setBrush(QBrush(QColor(style.fill)))
    painter.drawPath(shape)
    painter.end()
    pixmap.setDevicePixelRatio(2.0)
    return QIcon(pixmap)


@cache
def dot_icon(colour: str, size: int = 10) -> QIcon:
    """A filled circle: findings' severity at a glance."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(colour)))
    painter.drawEllipse(3, 3, size * 2 - 6, size * 2 - 6)
    painter.end()
    pixmap.setDevicePixelRatio(2.0)
    return QIcon(pixmap)


def wrap_title(title: str, width: float, lines: int = 2) -> str:
    """Break a title into at most `lines` lines that fit `width`, eliding what does not fit."""
    metrics = fonts().title_metrics
    if metrics.horizontalAdvance(title) <= width:
        return title  # most titles fit on one line: one measurement
    words, out = title.split(), []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out.append(" ".join(words))
    elide = Qt.TextElideMode.ElideRight
    return "\n".join(metrics.elidedText(line, elide, width) for line in out)


def readable_status(status: str) -> str:
    return status.replace("_", " ").capitalize() if status else ""


def short_date(text: str | None) -> str:
    try:
        day = date.fromisoformat(text) if text else None
        return f"{day.day} {day:%b}" if day else ""
    except ValueError:
        return text or ""


HANDLE_RECT = QRectF(-HANDLE_R, NODE_H / 2 - HANDLE_R, 2 * HANDLE_R, 2 * HANDLE_R)
HANDLE_TIP = "Drag to another item to link them (or Shift-drag the item)."
FADED = ("completed", "abandoned", "cancelled")


@dataclass(frozen=True)
class Paints:
    """Every pen and brush one kind's nodes use, made once (10,000 nodes share them)."""

    accent: QBrush
    text: QBrush
    soft: QBrush
    track: QBrush
    white: QBrush
    handle: QPen
    no_pen: QPen
    pens: dict[str, QPen]
    fills: dict[str, QBrush]
    far_fill: QBrush  # zoomed far out: a stronger tint, since no text says what it is


@cache
def paints(kind: str) -> Paints:
    style = style_of(kind)
    accent = QColor(style.accent)
    pens = {
        # Width 0 is Qt's one-pixel cosmetic pen: the raster engine draws it on its fast path
        # (wider cosmetic pens are stroked as shapes), and a path item with it finds its
        # bounding rect without stroking its outline, which is most of indexing 10,000 nodes.
        "": QPen(accent, 0),
        "selected": QPen(SELECTED, 3.2),
        "related": QPen(accent.darker(115), 2.6),
        "valid": QPen(VALID, 3.6),
        "invalid": QPen(INVALID, 3.6),
    }
    for pen in pens.values():
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCosmetic(True)  # outlines keep their width in pixels when zoomed out
    fills = {
        "": QBrush(QColor(style.fill)),
        "valid": QBrush(QColor("#ebfbee")),
        "invalid": QBrush(QColor("#fff5f5")),
    }
    return Paints(
        accent=QBrush(accent),
        text=QBrush(TEXT_DARK),
        soft=QBrush(TEXT_SOFT),
        track=QBrush(QColor("#dee2e6")),
        white=QBrush(QColor("#ffffff")),
        handle=QPen(accent, 1.6),
        no_pen=QPen(Qt.PenStyle.NoPen),
        pens=pens,
        fills=fills,
        far_fill=QBrush(blend(QColor(style.fill), accent, 0.45)),
    )


def blend(a: QColor, b: QColor, share: float) -> QColor:
    """`share` of b mixed into a."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * share),
        round(a.green() + (b.green() - a.green()) * share),
        round(a.blue() + (b.blue() - a.blue()) * share),
    )


def text_item(parent: QGraphicsItem, f: QFont, brush: QBrush) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(parent)
    item.setFont(f)
    item.setBrush(brush)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


class NodeView:
    """The Qt items drawing one goal, outcome, sprint or commitment.

    A node starts as its shape alone (one Qt item); its text, progress bar and link handle
    are made by `realize` the first time it is on screen at a readable zoom. Most of 10,000
    nodes are never seen up close, and six fewer items each is most of what a client costs
    to open.
    """

    __slots__ = (
        "item_id",
        "kind",
        "item",
        "progress",
        "body",
        "caption",
        "title",
        "detail",
        "track",
        "fill",
        "handle",
        "state",
        "far",
    )

    def __init__(self, item: Item, progress: float | None, far: bool = False):
        self.item_id = item.id
        self.kind = item.kind
        self.item = item
        self.progress = progress
        self.state = ""
        self.far = far
        look = paints(item.kind)
        self.body = QGraphicsPathItem(outline_of(item.kind))
        self.body.setPen(look.pens[""])
        self.body.setBrush(look.far_fill if far else look.fills[""])
        if (item.fields.get("status") or "") in FADED:
            self.body.setOpacity(0.62)
        self.caption: QGraphicsSimpleTextItem | None = None
        self.title: QGraphicsSimpleTextItem | None = None
        self.detail: QGraphicsSimpleTextItem | None = None
        self.track: QGraphicsRectItem | None = None
        self.fill: QGraphicsRectItem | None = None
        self.handle: QGraphicsEllipseItem | None = None

    @property
    def style(self) -> KindStyle:
        return style_of(self.kind)

    @property
    def text_width(self) -> float:
        return NODE_W - 2 * (PAD + self.style.inset)

    @property
    def realized(self) -> bool:
        return self.title is not None

    def realize(self) -> bool:
        """Make the text, bar and handle (once); returns True if they were made now."""
        if self.title is not None:
            return False
        look, f = paints(self.kind), fonts()
        left = -NODE_W / 2 + PAD + self.style.inset
        self.caption = text_item(self.body, f.caption, look.accent)
        self.caption.setPos(left, -NODE_H / 2 + 6)
        self.title = text_item(self.body, f.title, look.text)
        self.title.setPos(left, -NODE_H / 2 + 18)
        self.detail = text_item(self.body, f.small, look.soft)
        bar_y = NODE_H / 2 - 12
        self.track = QGraphicsRectItem(QRectF(left, bar_y, self.text_width - 34, BAR_H), self.body)
        self.track.setBrush(look.track)
        self.track.setPen(look.no_pen)
        self.fill = QGraphicsRectItem(QRectF(left, bar_y, 0, BAR_H), self.body)
        self.fill.setBrush(look.accent)
        self.fill.setPen(look.no_pen)
        self.handle = QGraphicsEllipseItem(HANDLE_RECT, self.body)
        self.handle.setBrush(look.white)
        self.handle.setPen(look.handle)
        self.show_content()
        if self.far:
            self.show_parts(False)
        return True

    # ------------------------------------------------------------ content

    def update(self, item: Item, progress: float | None) -> None:
        """Show the item's current title, status and progress."""
        self.item, self.progress = item, progress
        faded = (item.fields.get("status") or "") in FADED
        self.body.setOpacity(0.62 if faded else 1.0)
        if self.title is not None:
            self.show_content()

    def show_content(self) -> None:
        item, fields = self.item, self.item.fields
        status = fields.get("status") or ""
        self.caption.setText(f"{self.style.label}  ·  {readable_status(status)}".upper())
        self.title.setText(wrap_title(item.title, self.text_width))
        if item.kind == "sprint":
            self.show_dates(fields.get("start_date"), fields.get("end_date"))
        else:
            self.set_progress(self.progress or 0.0)

    def show_dates(self, start: str | None, end: str | None) -> None:
        """Sprints carry no progress: their bar row shows the timebox instead."""
        self.track.setVisible(False)
        self.fill.setVisible(False)
        self.detail.setText(f"{short_date(start)} – {short_date(end)}")
        self.detail.setPos(self.track.rect().left(), self.track.rect().top() - 5)

    def set_progress(self, value: float) -> None:
        rect = self.track.rect()
        value = max(0.0, min(100.0, value))
        self.fill.setRect(QRectF(rect.left(), rect.top(), rect.width() * value / 100, BAR_H))
        self.detail.setText(f"{value:.0f}%")
        right = NODE_W / 2 - PAD - self.style.inset
        self.detail.setPos(right - self.detail.boundingRect().width(), rect.top() - 4)

    def set_detail(self, on: bool) -> None:
        """Level of detail: zoomed far out, a node is only its shape in its kind's colour."""
        self.far = not on
        if self.title is not None:
            self.show_parts(on)
        self.set_state(self.state)

    def show_parts(self, on: bool) -> None:
        for child in (self.caption, self.title, self.detail, self.handle):
            child.setVisible(on)
        progress = on and self.kind != "sprint"
        self.track.setVisible(progress)
        self.fill.setVisible(progress)

    def shows_text(self) -> bool:
        """Whether the node's title is on screen (made, and not hidden by level of detail)."""
        return self.title is not None and self.title.isVisible()

    def tooltip(self) -> str:
        return tooltip(self.item, self.progress)

    # ------------------------------------------------------------ state

    def set_state(self, state: str) -> None:
        """'' plain, 'selected', 'related' (highlighted), 'valid'/'invalid' (link drop target)."""
        self.state = state
        look = paints(self.kind)
        self.body.setPen(look.pens.get(state, look.pens[""]))
        plain = look.far_fill if self.far else look.fills[""]
        self.body.setBrush(look.fills.get(state, plain) if state else plain)
        self.body.setZValue(Z_SELECTED if state in ("selected", "valid", "invalid") else Z_NODE)

    # ------------------------------------------------------------ geometry

    def centre(self) -> QPointF:
        return self.body.pos()

    def set_centre(self, point: QPointF) -> None:
        self.body.setPos(point)

    def rect(self) -> QRectF:
        """The node's box in scene coordinates."""
        c = self.body.pos()
        return QRectF(c.x() - NODE_W / 2, c.y() - NODE_H / 2, NODE_W, NODE_H)

    def bottom(self) -> QPointF:
        c = self.body.pos()
        return QPointF(c.x(), c.y() + NODE_H / 2)

    def top(self) -> QPointF:
        c = self.body.pos()
        return QPointF(c.x(), c.y() - NODE_H / 2)


def tooltip(item: Item, progress: float | None) -> str:
    status = readable_status(item.fields.get("status") or "")
    parts = [f"{style_of(item.kind).label.capitalize()}: {item.title}", status]
    if progress is not None and item.kind != "sprint":
        parts.append(f"{progress:.0f}% done")
    return "\n".join(p for p in parts if p)


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

    __slots__ = ("link_id", "upper", "lower", "path", "weight_label", "state", "weight")

    def __init__(self, link_id: str, upper: str, lower: str, weight: float, path: QPainterPath):
        self.link_id, self.upper, self.lower = link_id, upper, lower
        self.state = ""
        # Made with its final pen and shape: at 20,000 links every extra call counts.
        self.path = QGraphicsPathItem(path)
        self.path.setPen(link_pens()[""])
        self.weight_label: QGraphicsSimpleTextItem | None = None
        self.weight = weight  # its label is made by `realize`, once the link is seen

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
