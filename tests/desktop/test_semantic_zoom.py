"""Semantic zoom (issue 13, item 5): far out, goals show their title, progress and counts
on a card of constant size; closer, outcomes show their titles; close, everything.

A generated ~300-item client (bench/dataset.py) in a real file, shown in the real main
window at 1280 x 800, zoomed with real keys and wheel events.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.canvas.glance import CLOSE, FAR, MIDDLE, counts_text
from desktop.model.commands import EditCommand
from tests.desktop.helpers import close_generated_client, open_generated_client, wheel


@pytest.fixture
def big_window(qtbot, tmp_path):
    win = open_generated_client(qtbot, tmp_path / "big.db", 1280, 800)
    yield win
    close_generated_client(win)


def fit_with_keys(window) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def wheel_at_centre(window, delta: int) -> None:
    wheel(window, window.view.viewport().rect().center(), delta)


def on_screen(window, kind: str) -> list:
    visible = window.view.visible_scene_rect()
    return [v for v in window.scene.nodes.values() if v.kind == kind and visible.contains(v.rect())]


def counts_of(window, goal: str) -> str:
    """The goal's outcomes and their distinct commitments, counted from the live links."""
    kinds = {i.id: i.kind for i in window.ws.live_items()}
    links = [(lk.upper, lk.lower) for lk in window.ws.live_links()]
    outcomes = {lower for upper, lower in links if upper == goal and kinds[lower] == "outcome"}
    work = {lo for up, lo in links if up in outcomes and kinds[lo] == "commitment"}
    return counts_text(len(outcomes), len(work))


def screen_height(window, item) -> float:
    return window.view.mapFromScene(item.sceneBoundingRect()).boundingRect().height()


def test_at_fit_each_goal_card_shows_its_title_readably_and_commitments_show_no_title(
    big_window,
):
    fit_with_keys(big_window)
    scene = big_window.scene
    assert scene.level == FAR
    goals = [v for v in scene.nodes.values() if v.kind == "goal"]
    assert goals and set(scene.cards) == {v.item_id for v in goals}
    for view in goals:
        card = scene.cards[view.item_id]
        assert card.box.isVisible()
        shown = card.title.text().split("\n")[0].removesuffix("…")
        assert shown and view.item.title.startswith(shown)
        assert screen_height(big_window, card.title) >= 6
        assert card.title_px() >= 6
    for view in scene.nodes.values():
        assert not view.shows_text() and not view.shows_big_title()


def test_a_goal_card_with_room_says_its_progress_and_counts(big_window):
    fit_with_keys(big_window)
    scene = big_window.scene
    # The last row of cards has the room below it for the counts line.
    lowest = max(scene.cards.values(), key=lambda c: (c.box.y(), -c.box.x()))
    goal = lowest.goal_id
    assert lowest.counts.isVisible()
    assert lowest.counts.text().replace("\n", " · ") == counts_of(big_window, goal)
    progress = big_window.ws.progress.get(goal) or 0.0
    assert lowest.fill.rect().width() == pytest.approx(lowest.track.rect().width() * progress / 100)


def test_cards_at_fit_never_cover_one_another(big_window):
    fit_with_keys(big_window)
    boxes = [c.box.sceneBoundingRect() for c in big_window.scene.cards.values()]
    overlapping = [
        (i, j)
        for i, a in enumerate(boxes)
        for j in range(i + 1, len(boxes))
        if a.intersects(boxes[j])
    ]
    assert overlapping == []


def test_zooming_in_shows_outcome_titles_then_every_nodes_own_text(big_window):
    fit_with_keys(big_window)
    scene = big_window.scene
    while scene.level == FAR:
        wheel_at_centre(big_window, 120)
    assert scene.level == MIDDLE
    outcomes = on_screen(big_window, "outcome")
    assert outcomes and all(v.shows_big_title() for v in outcomes)
    assert all(c.box.isVisible() for c in scene.cards.values())  # goals keep their cards
    assert not any(v.shows_text() for v in on_screen(big_window, "commitment"))
    while scene.level == MIDDLE:
        wheel_at_centre(big_window, 120)
    assert scene.level == CLOSE
    assert not any(c.box.isVisible() for c in scene.cards.values())
    assert not any(v.shows_big_title() for v in scene.nodes.values())
    shown = on_screen(big_window, "commitment") + on_screen(big_window, "outcome")
    assert shown and all(v.shows_text() for v in shown)


def test_a_card_keeps_its_size_on_screen_while_zooming_out(big_window):
    fit_with_keys(big_window)
    card = next(iter(big_window.scene.cards.values()))
    before = screen_height(big_window, card.title)
    wheel_at_centre(big_window, -240)
    assert screen_height(big_window, card.title) == pytest.approx(before, abs=1.0)


def test_at_fit_every_goal_card_is_inside_the_view(big_window):
    """Cards keep their size in pixels, so they reach past their goals: Fit leaves room."""
    fit_with_keys(big_window)
    visible = big_window.view.visible_scene_rect()
    cut = [c.goal_id for c in big_window.scene.cards.values()
           if not visible.contains(c.box.sceneBoundingRect())]  # fmt: skip
    assert big_window.scene.cards and cut == []


def test_a_goal_card_follows_an_edit_of_its_goal_and_its_undo(big_window):
    fit_with_keys(big_window)
    scene = big_window.scene
    goal = min(scene.cards)
    old = big_window.ws.item(goal).title
    big_window.push(EditCommand(big_window.ws, goal, {"title": "Zz renamed goal"}))
    assert scene.cards[goal].title.text().replace("\n", " ").startswith("Zz")
    big_window.undo_stack.undo()
    shown = scene.cards[goal].title.text().split("\n")[0].removesuffix("…")
    assert shown and old.startswith(shown)
