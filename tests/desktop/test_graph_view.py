"""The graph view driven with real mouse and key events on its viewport.

Every test works on the sample database through the real MainWindow, and checks the result in
the database (through store), not only on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsItem

from desktop.canvas.gestures import NewLinkGesture
from desktop.canvas.style import Z_GESTURE
from desktop.canvas.view import DETAIL_SCALE
from desktop.model.commands import WeightCommand
from graph.build import has_link
from graph.layout import NODE_H
from store import ops
from store.load import load_hierarchy
from tests.desktop.helpers import (
    LEFT,
    NO_MODS,
    at_readable_zoom,
    drag,
    item_id,
    move,
    show_client,
    snapshot,
    vp,
    wheel,
)

MAYA = "Maya Okafor"


def saved_position(root: str, node: str):
    return load_hierarchy(root).positions.get(node)


def temporary_items(window) -> list:
    """Items a gesture may have added (they sit at Z_GESTURE and above)."""
    return [i for i in window.scene.items() if i.zValue() >= Z_GESTURE]


def link_between(root: str, a: str, b: str):
    return next((lk for lk in load_hierarchy(root).links if {lk.upper, lk.lower} == {a, b}), None)


# ---------------------------------------------------------------- moving


def test_dragging_a_node_saves_its_position_as_one_undo_step(window):
    root = show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    start = window.scene.nodes[node].centre()
    depth = window.undo_stack.count()

    drag(window, start, start + QPointF(120, 60))

    x, y = saved_position(root, node)
    assert (round(x), round(y)) == (round(start.x() + 120), round(start.y() + 60))
    assert window.undo_stack.count() == depth + 1
    window.undo_stack.undo()
    # Back where the first drawing saved it (every node's place is kept from then on).
    assert saved_position(root, node) == (start.x(), start.y())
    assert window.scene.nodes[node].centre() == start
    window.undo_stack.redo()
    assert saved_position(root, node) == (x, y)
    assert window.scene.nodes[node].centre() == QPointF(x, y)


def test_dragging_several_selected_nodes_is_one_step(window):
    root = show_client(window, MAYA)
    a = item_id(window, "Run 5 km three times a week")
    b = item_id(window, "Asleep by 23:00 on work nights")
    at_readable_zoom(window, a, b)
    viewport = window.view.viewport()
    QTest.mouseClick(viewport, LEFT, NO_MODS, vp(window, window.scene.nodes[a].centre()))
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.mouseClick(viewport, LEFT, ctrl, vp(window, window.scene.nodes[b].centre()))
    assert set(window.scene.selected) == {a, b}
    starts = {n: window.scene.nodes[n].centre() for n in (a, b)}
    depth = window.undo_stack.count()

    drag(window, starts[a], starts[a] + QPointF(0, 80))

    assert window.undo_stack.count() == depth + 1
    for n in (a, b):
        assert saved_position(root, n) == (starts[n].x(), starts[n].y() + 80)
    window.undo_stack.undo()
    for n in (a, b):
        assert saved_position(root, n) == (starts[n].x(), starts[n].y())


def test_a_click_without_moving_writes_nothing(window):
    root = show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    depth = window.undo_stack.count()
    before = saved_position(root, node)
    QTest.mouseClick(
        window.view.viewport(), LEFT, NO_MODS, vp(window, window.scene.nodes[node].centre())
    )
    assert window.undo_stack.count() == depth
    assert saved_position(root, node) == before
    assert window.scene.selected == (node,)


def test_esc_during_a_drag_puts_the_node_back_and_saves_nothing(window):
    root = show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    start = window.scene.nodes[node].centre()
    drag(window, start, start + QPointF(100, 0), release=False)
    assert window.scene.nodes[node].centre() != start
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Escape)
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, vp(window, start + QPointF(100, 0)))
    assert window.scene.nodes[node].centre() == start
    assert saved_position(root, node) == (start.x(), start.y())
    assert window.undo_stack.count() == 0


# ---------------------------------------------------------------- drag to link


def test_drag_from_handle_to_a_valid_node_links_them_and_undo_unlinks(window):
    root = show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    outcome = item_id(window, "Delegate two recurring tasks")
    assert link_between(root, goal, outcome) is None
    at_readable_zoom(window, goal, outcome)
    handle = window.scene.nodes[goal].bottom()
    target = window.scene.nodes[outcome].centre()

    drag(window, handle, target, release=False)
    gesture = window.view.gesture
    assert isinstance(gesture, NewLinkGesture)
    assert gesture.target_id == outcome and gesture.reason is None
    assert window.scene.nodes[outcome].state == "valid"
    assert "Link to outcome" in gesture.label.text()
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, vp(window, target))

    link = link_between(root, goal, outcome)
    assert link is not None and (link.upper, link.lower) == (goal, outcome)
    assert link.id in window.scene.links
    assert temporary_items(window) == []
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert link_between(root, goal, outcome) is None
    assert link.id not in window.scene.links
    window.undo_stack.redo()
    assert link_between(root, goal, outcome).id == link.id
    assert link.id in window.scene.links


def test_shift_drag_from_a_node_body_also_links(window):
    root = show_client(window, MAYA)
    commitment = item_id(window, "Buy running shoes")
    outcome = item_id(window, "Asleep by 23:00 on work nights")
    at_readable_zoom(window, commitment, outcome)
    shift = Qt.KeyboardModifier.ShiftModifier
    drag(
        window,
        window.scene.nodes[commitment].centre(),
        window.scene.nodes[outcome].centre(),
        mods=shift,
    )
    link = link_between(root, commitment, outcome)
    assert link is not None and (link.upper, link.lower) == (outcome, commitment)


def test_drag_to_an_invalid_node_shows_the_reason_and_writes_nothing(window):
    show_client(window, MAYA)
    commitment = item_id(window, "Buy running shoes")
    goal = item_id(window, "Rebuild a steady fitness routine")
    at_readable_zoom(window, commitment, goal)
    before = snapshot()
    messages = []
    window.view.message.connect(messages.append)

    drag(
        window,
        window.scene.nodes[commitment].bottom(),
        window.scene.nodes[goal].centre(),
        release=False,
    )
    gesture = window.view.gesture
    assert gesture.target_id == goal
    assert "through an outcome" in gesture.reason
    assert " ".join(gesture.label.text().split()) == gesture.reason  # wrapped onto lines
    assert window.scene.nodes[goal].state == "invalid"
    drop = vp(window, window.scene.nodes[goal].centre())
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, drop)

    assert snapshot() == before
    assert window.undo_stack.count() == 0
    assert temporary_items(window) == []
    assert window.scene.nodes[goal].state == ""
    assert messages and "through an outcome" in messages[-1]


def test_drag_to_an_already_linked_node_is_refused_with_the_reason(window):
    show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    outcome = item_id(window, "Run 5 km three times a week")
    assert has_link(window.ws.graph, goal, outcome)
    at_readable_zoom(window, goal, outcome)
    drag(
        window,
        window.scene.nodes[goal].bottom(),
        window.scene.nodes[outcome].centre(),
        release=False,
    )
    assert "already linked" in window.view.gesture.reason
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Escape)
    assert window.undo_stack.count() == 0


def test_esc_cancels_a_link_drag_and_leaves_nothing_behind(window):
    root = show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    outcome = item_id(window, "Delegate two recurring tasks")
    at_readable_zoom(window, goal, outcome)
    before = snapshot()
    items_before = len(window.scene.items())
    target = window.scene.nodes[outcome].centre()
    drag(window, window.scene.nodes[goal].bottom(), target, release=False)
    assert temporary_items(window)  # the live line and its label

    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Escape)
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, vp(window, target))

    assert window.view.gesture is None
    assert temporary_items(window) == []
    assert len(window.scene.items()) == items_before
    assert window.scene.nodes[outcome].state == ""
    assert snapshot() == before
    assert link_between(root, goal, outcome) is None


def test_releasing_a_link_drag_on_empty_space_cancels(window):
    show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    at_readable_zoom(window, goal)
    before = snapshot()
    start = window.scene.nodes[goal].bottom()
    drag(window, start, start + QPointF(0, NODE_H * 0.9))  # between the rows
    assert temporary_items(window) == []
    assert snapshot() == before
    assert window.undo_stack.count() == 0


# ---------------------------------------------------------------- delete


def test_selecting_a_link_and_pressing_delete_unlinks_undoably(window):
    root = show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    outcome = item_id(window, "Run 5 km three times a week")
    link = link_between(root, goal, outcome)
    at_readable_zoom(window, goal, outcome)
    path = window.scene.links[link.id].path.path()
    # A point of the curve that no other link crosses (links fan out from the same node).
    points = [path.pointAtPercent(t / 20) for t in range(4, 17)]
    point = next(p for p in points if window.scene.hit(p) == ("link", link.id))

    QTest.mouseClick(window.view.viewport(), LEFT, NO_MODS, vp(window, point))
    assert window.scene.selected == (link.id,)
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Delete)

    assert link_between(root, goal, outcome) is None
    assert link.id not in window.scene.links
    window.undo_stack.undo()
    restored = link_between(root, goal, outcome)
    assert restored is not None and restored.id == link.id
    assert link.id in window.scene.links


def test_delete_on_a_node_trashes_it_and_undo_brings_its_links_back(window):
    root = show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    links = {lk.id for lk in window.ws.live_links() if outcome in (lk.upper, lk.lower)}
    assert len(links) >= 3
    at_readable_zoom(window, outcome)
    QTest.mouseClick(
        window.view.viewport(), LEFT, NO_MODS, vp(window, window.scene.nodes[outcome].centre())
    )
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Delete)

    assert ops.get_item(outcome)[1]["deleted_at"] is not None
    assert outcome not in window.scene.nodes
    assert not links & set(window.scene.links)
    window.undo_stack.undo()
    assert ops.get_item(outcome)[1]["deleted_at"] is None
    assert outcome in window.scene.nodes
    assert links <= set(window.scene.links)
    assert links <= {lk.id for lk in load_hierarchy(root).links}


# ---------------------------------------------------------------- zoom, pan, fit, find


def test_wheel_zooms_around_the_cursor(window):
    show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    target = window.scene.nodes[node].centre()
    point = vp(window, target)
    wheel(window, point, 240)
    assert window.view.scale_factor() > 1.3
    after = window.view.mapToScene(point)
    assert abs(after.x() - target.x()) < 2 and abs(after.y() - target.y()) < 2
    wheel(window, point, -480)
    assert window.view.scale_factor() < 1.0


def test_dragging_the_background_pans(window):
    show_client(window, MAYA)
    window.view.resetTransform()
    window.view.scale(1.5, 1.5)
    window.view.zoomed()
    viewport = window.view.viewport()
    empty = viewport.rect().center()
    while window.scene.hit(window.view.mapToScene(empty)):
        empty.setY(empty.y() + 15)
    before = window.view.mapToScene(empty)
    QTest.mousePress(viewport, LEFT, NO_MODS, empty)
    for step in range(1, 6):
        move(window, empty + (empty * 0 + QPointF(-20 * step, 0).toPoint()))
    QTest.mouseRelease(viewport, LEFT, NO_MODS, empty + QPointF(-100, 0).toPoint())
    after = window.view.mapToScene(empty)
    assert after.x() > before.x() + 50  # the scene moved left under a still cursor
    assert window.undo_stack.count() == 0


def nodes_on_screen(window) -> list:
    visible = window.view.visible_scene_rect()
    return [v for v in window.scene.nodes.values() if visible.intersects(v.rect())]


def test_a_small_client_opens_with_every_node_in_view_and_readable(window):
    # The work row is laid out in two staggered sub-rows, so a dozen commitments under three
    # outcomes fit a full-HD window without shrinking the titles away. (Four sub-rows fitted
    # 1400 px, but their links had to run behind the nodes above: false links.)
    window.resize(1920, 1000)
    show_client(window, "Leo Brandt")
    window.view.overview()
    visible = window.view.visible_scene_rect()
    assert all(visible.contains(view.rect()) for view in window.scene.nodes.values())
    assert window.view.scale_factor() >= DETAIL_SCALE
    assert all(view.shows_text() for view in window.scene.nodes.values())


def test_every_node_of_a_laid_out_client_sits_inside_its_lane(window):
    show_client(window, "Leo Brandt")  # its commitments are drawn in staggered sub-rows
    lanes = [band.rect() for band in window.scene.lanes]
    assert len(lanes) == 4  # goals, outcomes, commitments, sprints: each kind its own
    for view in window.scene.nodes.values():
        assert any(lane.contains(view.rect()) for lane in lanes), view.item_id


def test_fit_shows_every_node_and_zoomed_out_nodes_lose_their_text(window):
    show_client(window, MAYA)
    window.view.resize(400, 300)
    window.actions["fit"].trigger()
    visible = window.view.visible_scene_rect()
    for view in window.scene.nodes.values():
        assert visible.contains(view.rect())
    assert window.view.scale_factor() < DETAIL_SCALE
    assert not window.scene.detail
    assert not any(view.shows_text() for view in window.scene.nodes.values())
    while window.view.scale_factor() < DETAIL_SCALE:
        assert not window.scene.detail
        window.actions["zoom_in"].trigger()
    assert window.scene.detail
    on_screen = nodes_on_screen(window)
    assert on_screen and all(view.shows_text() for view in on_screen)


def test_a_node_gets_its_text_when_first_scrolled_into_view_up_close(window):
    window.view.resize(400, 300)  # before opening, so the opening view shows only a corner
    show_client(window, MAYA)
    at_readable_zoom(window, item_id(window, "Rebuild a steady fitness routine"))
    far = max(window.scene.nodes.values(), key=lambda v: v.centre().x())
    assert far not in nodes_on_screen(window) and not far.realized  # made only when seen
    window.view.centerOn(far.centre())  # scrolls, as panning does
    assert far.realized and far.shows_text()
    assert far.title.text() and far.caption.text()
    assert window.scene.hit(far.bottom()) == ("handle", far.item_id)


def test_hovering_a_node_or_a_link_shows_what_it_is(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    window.view.resize(400, 300)
    window.actions["fit"].trigger()  # far out: no text on the nodes, the tooltip still tells
    centre = window.scene.nodes[outcome].centre()
    assert window.scene.tooltip_at(centre).startswith("Outcome: Run 5 km three times a week")
    link = next(lk for lk in window.ws.live_links() if outcome in (lk.upper, lk.lower))
    window.undo_stack.push(WeightCommand(window.ws, link.id, 2.0))
    path = window.scene.links[link.id].path.path()
    points = [path.pointAtPercent(t / 20) for t in range(4, 17)]
    point = next(p for p in points if window.scene.hit(p) == ("link", link.id))
    assert "×2" in window.scene.tooltip_at(point)


def test_find_focuses_a_node_by_title(window, qtbot):
    show_client(window, MAYA)
    window.actions["find"].trigger()
    assert window.find_box.hasFocus()
    qtbot.keyClicks(window.find_box, "brag document")
    QTest.keyClick(window.find_box, Qt.Key.Key_Return)
    node = item_id(window, "Note wins in a brag document")
    assert window.scene.selected == (node,)
    assert window.selection.ids == (node,)
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    off = (centre - window.scene.nodes[node].centre()).manhattanLength()
    assert off < 4 / window.view.scale_factor()  # scrolling moves in whole device pixels


def test_selecting_a_node_highlights_its_ancestors_and_descendants(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    goal = item_id(window, "Rebuild a steady fitness routine")
    commitment = item_id(window, "Buy running shoes")
    sprint = item_id(window, "Sprint 1: Foundations")
    other_goal = item_id(window, "Speak up in senior meetings")
    window.scene.select([outcome])
    assert window.scene.nodes[outcome].state == "selected"
    for related in (goal, commitment, sprint):
        assert window.scene.nodes[related].state == "related"
    assert window.scene.nodes[other_goal].state == ""
    window.scene.select([])
    assert window.scene.nodes[goal].state == ""


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_a_drag(window, qtbot):
    root = show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    start = window.scene.nodes[node].centre()
    drag(window, start, start + QPointF(0, 90))
    assert saved_position(root, node) is not None
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(window.view, Qt.Key.Key_Z, ctrl)
    assert saved_position(root, node) == (start.x(), start.y())
    QTest.keyClick(window.view, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert saved_position(root, node) == (start.x(), start.y() + 90)


def test_a_drag_paints_quickly_and_release_restores_full_quality(window):
    show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    start = window.scene.nodes[node].centre()
    antialiased = QPainter.RenderHint.Antialiasing

    drag(window, start, start + QPointF(60, 0), release=False)
    assert window.view.dragging and not window.view.renderHints() & antialiased
    assert window.scene.nodes[node].body.cacheMode() != QGraphicsItem.CacheMode.NoCache
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, vp(window, start + QPointF(60, 0)))

    assert not window.view.dragging and window.view.renderHints() & antialiased
    assert window.scene.nodes[node].body.cacheMode() == QGraphicsItem.CacheMode.NoCache
    assert window.view.cached == []


def test_esc_during_a_drag_also_restores_full_quality(window):
    show_client(window, MAYA)
    node = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, node)
    start = window.scene.nodes[node].centre()
    drag(window, start, start + QPointF(60, 0), release=False)
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Escape)
    assert window.view.renderHints() & QPainter.RenderHint.Antialiasing
    assert window.view.cached == []
    QTest.mouseRelease(window.view.viewport(), LEFT, NO_MODS, vp(window, start))
