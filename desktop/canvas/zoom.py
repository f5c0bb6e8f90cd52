"""Semantic zoom on the graph scene: the level drawn at each zoom, the goals' far-out cards
and the outcomes' large titles (what each looks like is in glance.py).

A mixin of GraphScene (it reads the scene's `nodes`, `ws`, `level`, `scale`, `cards`,
`big_titled` and `detail`), kept apart so the scene file holds the mirroring of the model.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from desktop.canvas.glance import (
    CLOSE,
    MIDDLE,
    GoalCard,
    counts_text,
    goal_counts,
    level_at,
    rooms,
    shown_goals,
)
from desktop.canvas.style import NODE


class SemanticZoom:
    """GraphScene's levels of detail beyond "text or no text"."""

    def set_zoom(self, scale: float) -> None:
        """Draw what reads at this zoom (glance.py): far, goal cards; middle, outcomes' large
        titles too; close, every node's own text."""
        self.scale = scale
        level = level_at(scale)
        if level == self.level == CLOSE:
            self.set_detail(True)
        elif level == self.level and not self.detail:
            for card in self.cards.values():
                card.set_zoom(scale)
        else:
            self.level = level
            if not self.set_detail(level == CLOSE):
                self.show_level()

    def show_level(self) -> None:
        """Cards and large titles for the current level and zoom."""
        far_out = self.level != CLOSE and not self.detail
        if far_out:
            self.refresh_cards()
        for card in self.cards.values():
            card.box.setVisible(far_out and self.nodes[card.goal_id].body.isVisible())
            if far_out:
                card.set_zoom(self.scale)
        if far_out and self.level == MIDDLE:
            self.realize_visible()
            return
        for item_id in self.big_titled:
            self.nodes[item_id].show_big_title(False)
        self.big_titled = set()

    def refresh_cards(self) -> None:
        """A card for every goal drawn, saying its current title, progress and counts, in
        the room left by its neighbours."""
        g, progress = self.ws.graph, self.ws.progress
        goals = shown_goals(self.nodes.values())
        room = rooms(goals)
        for goal_id in goals:
            card = self.cards.get(goal_id) or self.add_card(goal_id)
            view = self.nodes[goal_id]
            card.follow(view.centre())
            counts = counts_text(*goal_counts(g, goal_id)) if goal_id in g else ""
            if goal_id in self.fold_marks:  # collapsed: its mark lies under the card
                counts += f" · {self.fold_marks[goal_id].text()}"
            card.show(view.item.title, counts, progress.get(goal_id) or 0.0, room[goal_id])

    def cards_rect(self) -> QRectF:
        """What the goal cards on show cover, in scene units (null when none shows)."""
        found = QRectF()
        for card in self.cards.values():
            if card.box.isVisible():
                found = found.united(card.box.sceneBoundingRect())
        return found

    def add_card(self, goal_id: str) -> GoalCard:
        card = GoalCard(goal_id)
        self.addItem(card.box)
        self.cards[goal_id] = card
        # Not in `roles`: clicks and tooltips go through a card to the nodes it covers (its
        # top half lies on its own goal, which takes them there).
        card.set_zoom(self.scale)
        return card

    def big_titles_in(self, rect: QRectF) -> None:
        """Middle zoom: the outcomes meeting `rect` show their large titles."""
        mode = Qt.ItemSelectionMode.IntersectsItemBoundingRect
        for item in self.items(rect, mode):
            found = self.roles.get(item)
            if found is not None and found[0] == NODE and found[1] not in self.big_titled:
                view = self.nodes[found[1]]
                if view.kind == "outcome":
                    view.show_big_title(True)
                    self.big_titled.add(found[1])
