"""How one node and one link look, built only from Qt's own graphics items.

No class here overrides `paint()`: at 10,000 nodes every Python call per paint counts, so a
node is a QGraphicsPathItem (its shape, by kind) with plain Qt children for text and the
progress bar, made only once the node is seen up close, and a link is a QGraphicsPathItem
curve. `NodeView` / `LinkView` are ordinary Python objects that keep those items and change
their pens, text and positions.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from desktop.canvas.glance import big_title, retitle
from desktop.canvas.style import (
    BAR_H,
    FADED,
    HANDLE_RECT,
    PAD,
    Z_NODE,
    Z_SELECTED,
    KindStyle,
    fonts,
    outline_of,
    paints,
    readable_status,
    short_date,
    style_of,
    text_item,
    wrap_title,
)
from graph.layout import NODE_H, NODE_W
from graph.model import Item


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
        "big",
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
        self.big: QGraphicsSimpleTextItem | None = None  # an outcome's title at middle zoom

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
        if self.big is not None:
            retitle(self.big, item.title)

    def show_big_title(self, on: bool) -> None:
        """Middle zoom: an outcome's title in a font large enough to read from there (made
        the first time it is wanted)."""
        if on and self.big is None:
            self.big = big_title(self.body, self.item.title)
        if self.big is not None:
            self.big.setVisible(on)

    def shows_big_title(self) -> bool:
        return self.big is not None and self.big.isVisible()

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
