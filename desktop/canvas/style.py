"""How nodes look, by kind: colours, shapes, fonts, icons, pens and brushes, made once.

Shared by the node and link items (items.py, links.py), the gestures and the side panels'
icons. Also the names of what an item under the cursor stands for, and the z order.
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
    QGraphicsItem,
    QGraphicsSimpleTextItem,
)

from graph.layout import NODE_H, NODE_W

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


def plain_font() -> QFont:
    """The app's font without ligatures: text copied from a report's graph page, or read by a
    screen reader, is the text typed ("fi", not "ﬁ")."""
    f = QFont()
    for tag in ("liga", "clig"):
        f.setFeature(QFont.Tag(tag), 0)
    return f


def font(points: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = plain_font()
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
