"""Semantic zoom: what a big client shows when zoomed too far out to read a node's own text.

Three levels, chosen from the view's scale (`level_at`):
- far: every node is a bare shape in its kind's colour, and each goal carries a card, drawn
  at a constant size in screen pixels, with its title, progress and counts
  ("14 outcomes · 52 commitments");
- middle: the goal cards stay, and each outcome shows its title in a large font that stays
  readable down to OUTCOME_SCALE;
- close: every node draws its own text (the cards and large titles are hidden).

A card is a plain QGraphicsRectItem with text children, scaled by 1 / zoom (so scene lookups
and hit tests see its true extent, which ItemIgnoresTransformations items would not give),
and its lines are elided to the room between its goal and the next goal in its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import networkx as nx
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from desktop.canvas.style import Z_SELECTED, blend, paints, plain_font, style_of, text_item
from graph.layout import NODE_H, NODE_W
from graph.model import COMMITMENT, OUTCOME

FAR, MIDDLE, CLOSE = "far", "middle", "close"
DETAIL_SCALE = 0.5  # from this zoom up, nodes draw their own text
OUTCOME_SCALE = 0.25  # from this zoom up, outcomes show their large titles
CARD_TITLE_PX = 10  # a goal card's title, in screen pixels at every zoom
CARD_SMALL_PX = 9
BAR_ROW = 5.0  # the progress bar's row, pixels
CARD_MAX_W = 210.0  # pixels: a card is never wider than this
CARD_MIN_W = 48.0  # ...nor narrower, even when its neighbour is nearer
CARD_PAD = 3.0
CARD_GAP = 6.0  # pixels kept free between two cards side by side
BIG_TITLE_PT = 19.0  # an outcome's large title (scene units, like the node's own 9.4 pt)
Z_CARD = Z_SELECTED + 1  # above every node, so a card is never covered by its own block


def level_at(scale: float) -> str:
    """The level of detail drawn at this zoom.

    Examples
    --------
    >>> level_at(0.03), level_at(0.3), level_at(0.8)
    ('far', 'middle', 'close')
    """
    if scale >= DETAIL_SCALE:
        return CLOSE
    return MIDDLE if scale >= OUTCOME_SCALE else FAR


def counts_text(outcomes: int, commitments: int) -> str:
    """ "14 outcomes · 52 commitments", each in the singular when there is one."""
    return f"{plural(outcomes, 'outcome')} · {plural(commitments, 'commitment')}"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def goal_counts(g: nx.DiGraph, goal: str) -> tuple[int, int]:
    """The goal's outcomes, and the distinct commitments serving them."""
    kind = g.nodes
    outcomes = [o for o in g.successors(goal) if kind[o].get("kind") == OUTCOME]
    work = {c for o in outcomes for c in g.successors(o) if kind[c].get("kind") == COMMITMENT}
    return len(outcomes), len(work)


def rooms(centres: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """For each goal, the scene distances to the nearest goal beside it in its row and to
    the next row of goals below (the width and height its card may take without meeting
    another card); a goal with no neighbour that way has no limit.

    Examples
    --------
    >>> rooms({"a": (0.0, 0.0), "b": (500.0, 0.0), "c": (0.0, 900.0)})["a"]
    (500.0, 900.0)
    >>> rooms({"a": (0.0, 0.0), "b": (500.0, 0.0), "c": (0.0, 900.0)})["c"]
    (inf, inf)
    """
    rows: dict[int, list[tuple[float, str]]] = {}
    row_y: dict[int, float] = {}  # a row's height: its first goal's (rows are within NODE_H)
    for goal, (x, y) in centres.items():
        rows.setdefault(round(y / NODE_H), []).append((x, goal))
        row_y.setdefault(round(y / NODE_H), y)
    tops = sorted(rows)
    room: dict[str, tuple[float, float]] = {}
    for r, key in enumerate(tops):
        row = sorted(rows[key])
        below = row_y[tops[r + 1]] - row_y[key] if r + 1 < len(tops) else float("inf")
        xs = [x for x, _g in row]
        for i, (x, goal) in enumerate(row):
            gaps = [x - xs[i - 1]] if i else []
            gaps += [xs[i + 1] - x] if i + 1 < len(xs) else []
            room[goal] = (min(gaps) if gaps else float("inf"), below)
    return room


@cache
def card_fonts() -> tuple[QFont, QFont, QFontMetricsF, QFontMetricsF]:
    """Pixel-sized fonts: a card is laid out in screen pixels."""
    title, small = plain_font(), plain_font()
    title.setPixelSize(CARD_TITLE_PX)
    title.setWeight(QFont.Weight.Bold)
    small.setPixelSize(CARD_SMALL_PX)
    return title, small, QFontMetricsF(title), QFontMetricsF(small)


@cache
def big_title_font() -> tuple[QFont, QFontMetricsF]:
    f = plain_font()
    f.setPointSizeF(BIG_TITLE_PT)
    f.setWeight(QFont.Weight.DemiBold)
    return f, QFontMetricsF(f)


class GoalCard:
    """A goal's far-out card: title, progress bar and counts, a constant size on screen."""

    __slots__ = ("goal_id", "box", "title", "counts", "track", "fill", "words", "room", "scale")

    def __init__(self, goal_id: str):
        self.goal_id = goal_id
        look = paints("goal")
        self.box = QGraphicsRectItem()
        self.box.setZValue(Z_CARD)
        self.box.setBrush(QBrush(QColor(255, 255, 255, 236)))
        self.box.setPen(QPen(QColor(style_of("goal").accent), 0))
        title_font, small_font, _tm, _sm = card_fonts()
        self.title = text_item(self.box, title_font, look.text)
        self.counts = text_item(self.box, small_font, look.soft)
        self.track = QGraphicsRectItem(self.box)
        self.track.setBrush(look.track)
        self.track.setPen(look.no_pen)
        self.fill = QGraphicsRectItem(self.box)
        self.fill.setBrush(QBrush(blend(QColor("#ffffff"), QColor(style_of("goal").accent), 0.9)))
        self.fill.setPen(look.no_pen)
        self.words = ("", "", 0.0)  # title, counts, progress
        self.room = (float("inf"), float("inf"))  # scene units to the next goals (rooms)
        self.scale = 1.0
        self.box.setVisible(False)

    def show(self, title: str, counts: str, progress: float, room: tuple[float, float]) -> None:
        """Say this, in this much room (scene units) beside the goal."""
        if (title, counts, progress) != self.words or room != self.room:
            self.words, self.room = (title, counts, progress), room
            self.lay_out()

    def follow(self, centre: QPointF) -> None:
        """Sit on the goal: the card's top middle at the goal node's top middle."""
        self.box.setPos(centre.x(), centre.y() - NODE_H / 2)

    def set_zoom(self, scale: float) -> None:
        """Keep a constant size in pixels at this zoom, and fit the room beside the goal."""
        if scale != self.scale:
            self.scale = scale
            self.box.setScale(1.0 / scale)
            self.lay_out()

    def width(self) -> float:
        """The card's width in pixels: its room at this zoom, within the card's limits."""
        room = self.room[0] * self.scale - CARD_GAP
        return max(CARD_MIN_W, min(CARD_MAX_W, room))

    def lay_out(self) -> None:
        """Title and progress always; then, as far as the room down to the next row of
        cards allows, the counts, the title's second line and the counts' second line."""
        title, counts, progress = self.words
        _tf, _sf, tm, sm = card_fonts()
        inner = self.width() - 2 * CARD_PAD
        heads, tails = split_lines(title, inner, tm), split_lines(counts, inner, sm, " · ")
        budget = self.room[1] * self.scale - CARD_GAP - 2 * CARD_PAD - tm.height() - BAR_ROW
        shown_heads, shown_tails = 1, 0
        for lines, metrics in ((tails, sm), (heads, tm), (tails, sm)):
            wanted = (shown_tails if lines is tails else shown_heads) + 1
            if wanted <= len(lines) and budget >= metrics.height():
                budget -= metrics.height()
                shown_tails, shown_heads = (
                    (wanted, shown_heads) if lines is tails else (shown_tails, wanted)
                )
        self.title.setText(fitted(heads, shown_heads, inner, tm))
        self.counts.setText(fitted(tails, shown_tails, inner, sm))
        self.counts.setVisible(shown_tails > 0)
        left, y = -inner / 2, CARD_PAD
        self.title.setPos(left, y)
        y += tm.height() * shown_heads + 1
        self.track.setRect(QRectF(left, y, inner, 3))
        self.fill.setRect(QRectF(left, y, inner * max(0.0, min(100.0, progress)) / 100, 3))
        y += BAR_ROW - 1
        self.counts.setPos(left, y)
        y += sm.height() * shown_tails + CARD_PAD
        self.box.setRect(QRectF(-inner / 2 - CARD_PAD, 0, inner + 2 * CARD_PAD, y))

    def title_px(self) -> float:
        """How tall the title's line is on screen, in pixels (its font's height at this zoom)."""
        return card_fonts()[2].height() * self.box.scale() * self.scale


def split_lines(text: str, width: float, metrics: QFontMetricsF, sep: str = " ") -> list[str]:
    """`text` as one line if it fits `width`, else as two, broken at the last `sep` that
    lets the first line fit (the second may still need eliding)."""
    if metrics.horizontalAdvance(text) <= width or sep not in text:
        return [text]
    parts = text.split(sep)
    for cut in range(len(parts) - 1, 0, -1):
        first = sep.join(parts[:cut])
        if metrics.horizontalAdvance(first) <= width:
            return [first, sep.join(parts[cut:])]
    return [parts[0], sep.join(parts[1:])]


def fitted(lines: list[str], count: int, width: float, metrics: QFontMetricsF) -> str:
    """The first `count` lines, the last of them holding the rest of the text, elided."""
    shown = lines[: count - 1] + [" ".join(lines[count - 1 :])] if count else []
    elide = Qt.TextElideMode.ElideRight
    return "\n".join(metrics.elidedText(line, elide, width) for line in shown)


def big_title(parent: QGraphicsItem, title: str) -> QGraphicsSimpleTextItem:
    """An outcome's title in a large font over its node, for the middle zoom: two lines at
    most, elided to the node's width."""
    label = text_item(parent, big_title_font()[0], paints("outcome").text)
    retitle(label, title)
    return label


def retitle(label: QGraphicsSimpleTextItem, title: str) -> None:
    """Show `title` in a large title, centred on its node."""
    width, metrics = NODE_W - 16, big_title_font()[1]
    lines = split_lines(title, width, metrics)
    label.setText(fitted(lines, len(lines), width, metrics))
    box = label.boundingRect()
    label.setPos(-box.width() / 2, -box.height() / 2)


def shown_goals(views: Iterable) -> dict[str, tuple[float, float]]:
    """Centres of the visible goal nodes, for working out the cards' rooms."""
    return {
        v.item_id: (v.body.x(), v.body.y())
        for v in views
        if v.kind == "goal" and v.body.isVisible()
    }
