"""Collapse, expand and focus on the graph scene: what graph/folding.py folds away is not
drawn, and each collapsed node carries a mark saying how much is folded into it.

A mixin of GraphScene (it reads the scene's `ws`, `nodes` and `sync_node`, `rebuild`), kept
apart so the scene file holds the mirroring of the model. Folds are a way of looking, not an
edit: no undo step, no audit row, and no node moves (a folded node keeps its place).
"""

from __future__ import annotations

import networkx as nx
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from desktop.canvas.style import fonts, text_item
from graph.folding import FOLDABLE, folded_away, folded_under, reach_of
from graph.layout import NODE_H, NODE_W

REFOLD_REDRAW_AT = 300  # more nodes than this coming or going: draw afresh
MARK_INK = QBrush(QColor("#495057"))


class Folding:
    """GraphScene's collapsed goals and outcomes and its focus goal."""

    def init_folding(self) -> None:
        self.collapsed: set[str] = set()
        self.focus_goal: str | None = None
        self.hidden: set[str] = set()  # what the folds leave out, as last worked out
        self.fold_marks: dict[str, QGraphicsSimpleTextItem] = {}

    def is_folded(self) -> bool:
        return bool(self.collapsed) or self.focus_goal is not None

    def can_fold(self, item_id: str) -> bool:
        item = self.ws.item(item_id)
        return item is not None and item.kind in FOLDABLE and item_id in self.nodes

    def fold_set(self) -> set[str]:
        """What the folds leave out of the current hierarchy (forgetting folds of items
        that are gone)."""
        g = self.ws.graph
        self.collapsed &= set(g)
        if self.focus_goal not in g:
            self.focus_goal = None
        return folded_away(g, self.collapsed, self.focus_goal) if self.is_folded() else set()

    def refold(self) -> None:
        """Draw what the folds leave, after they or the hierarchy changed."""
        was, self.hidden = self.hidden, self.fold_set()
        flipped = was ^ self.hidden
        if len(flipped) > REFOLD_REDRAW_AT:
            self.rebuild()  # it marks the folds itself
            return
        for item_id in flipped:
            self.sync_node(item_id)
        self.reroute_shifted()
        self.prune_selection()
        self.mark_folds()
        self.folds_changed.emit()

    # ------------------------------------------------------------ what the person asks

    def set_collapsed(self, item_ids, on: bool) -> None:
        """Collapse (or expand) these goals and outcomes, in one redraw."""
        chosen = {i for i in item_ids if self.can_fold(i)}
        before = set(self.collapsed)
        self.collapsed = (self.collapsed | chosen) if on else (self.collapsed - chosen)
        if self.collapsed != before:
            self.refold()

    def collapse(self, item_id: str) -> None:
        self.set_collapsed([item_id], True)

    def expand(self, item_id: str) -> None:
        self.set_collapsed([item_id], False)

    def toggle_fold(self, item_ids) -> None:
        """Collapse the foldable ones of these, or expand them if all are collapsed."""
        chosen = [i for i in item_ids if self.can_fold(i)]
        self.set_collapsed(chosen, not all(i in self.collapsed for i in chosen))

    def expand_all(self) -> None:
        if self.collapsed:
            self.collapsed.clear()
            self.refold()

    def focus_on(self, goal_id: str) -> None:
        item = self.ws.item(goal_id)
        if item is not None and item.kind == "goal" and goal_id in self.ws.graph:
            self.focus_goal = goal_id
            self.refold()

    def leave_focus(self) -> None:
        if self.focus_goal is not None:
            self.focus_goal = None
            self.refold()

    def reveal(self, item_id: str) -> None:
        """Unfold what hides the item (Find's match): leave a focus it is outside of, and
        expand the collapsed nodes above it."""
        if item_id not in self.hidden:
            return
        g = self.ws.graph
        if self.focus_goal is not None and item_id not in reach_of(g, self.focus_goal):
            self.focus_goal = None
        self.collapsed -= nx.ancestors(g, item_id)
        self.refold()

    # ------------------------------------------------------------ marks

    def mark_folds(self) -> None:
        """A line under each collapsed node drawn: how many items are folded into it."""
        for item_id, mark in self.fold_marks.items():
            view = self.nodes.get(item_id)
            if view is not None and mark.parentItem() is view.body:
                self.removeItem(mark)  # a node drawn afresh took its old mark with it
        self.fold_marks = {}
        g = self.ws.graph
        for item_id in self.collapsed & self.nodes.keys():
            count = folded_under(g, item_id, self.hidden)
            mark = text_item(self.nodes[item_id].body, fonts().caption, MARK_INK)
            mark.setText(f"▸ {count:,} folded in" if count else "▸ nothing folded in")
            mark.setPos(-NODE_W / 2 + 6, NODE_H / 2 + 3)
            self.fold_marks[item_id] = mark
        if self.cards:
            self.refresh_cards()
