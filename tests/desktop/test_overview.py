"""The overview map in the graph view's corner: a click brings that part of the graph into
view, it follows the drawing after a node moves, and View → Overview map hides it."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtTest import QTest

from tests.desktop.helpers import LEFT, NO_MODS, at_readable_zoom, drag, item_id, show_client

MAYA = "Maya Okafor"


def test_a_click_on_the_map_centres_the_view_on_that_place(window):
    show_client(window, MAYA)
    overview = window.view.overview_map
    QTest.qWait(overview.redraw_timer.interval() + 50)
    assert overview.isVisible()
    target = window.scene.nodes[item_id(window, "Delegate two recurring tasks")].centre()

    QTest.mouseClick(overview, LEFT, NO_MODS, overview.to_map(target).toPoint())

    centre = window.view.visible_scene_rect().center()
    # One map pixel is 1 / scale scene units: the click lands within a pixel of the node.
    assert (centre - target).manhattanLength() <= 2 / overview.scale()


def test_the_map_follows_a_node_dragged_far_out(window, qtbot):
    show_client(window, MAYA)
    overview = window.view.overview_map
    node = item_id(window, "Buy running shoes")
    at_readable_zoom(window, node)
    qtbot.waitUntil(lambda: not overview.bounds.isEmpty())
    before = QPointF(overview.bounds.bottomRight())
    start = window.scene.nodes[node].centre()
    drag(window, start, start + QPointF(0, 900))
    qtbot.waitUntil(lambda: overview.bounds.bottom() > before.y() + 800)


def test_the_view_menu_hides_and_shows_the_map(window, qtbot):
    show_client(window, MAYA)
    overview = window.view.overview_map
    qtbot.waitUntil(overview.isVisible)
    window.actions["overview_map"].trigger()
    assert not overview.isVisible() and not window.actions["overview_map"].isChecked()
    window.actions["overview_map"].trigger()
    assert overview.isVisible()


def test_the_map_shows_only_while_part_of_the_graph_is_off_screen(window, qtbot):
    show_client(window, MAYA)
    overview = window.view.overview_map
    qtbot.waitUntil(overview.isVisible)
    window.actions["fit"].trigger()
    assert not overview.isVisible()  # it would only cover part of the graph
    window.actions["zoom_in"].trigger()
    window.actions["zoom_in"].trigger()
    assert overview.isVisible()
