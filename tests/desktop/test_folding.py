"""Collapse, expand and focus in the real window on the sample database: what is drawn,
the mark on a collapsed node, the status bar's note, Find revealing a folded item, and that
folding moves no node and writes nothing."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from store.load import load_hierarchy
from tests.desktop.helpers import (
    LEFT,
    NO_MODS,
    at_readable_zoom,
    item_id,
    show_client,
    snapshot,
    vp,
)

MAYA = "Maya Okafor"
LEAD = "Lead a team with confidence"
SPEAK = "Speak up in senior meetings"
SHARED = "Present the Q3 roadmap to directors"  # serves both goals


def entry(window, node: str, words: str):
    menu = window.editor.build_context_menu("node", node, QPointF())
    return next(a for a in menu.actions() if a.text().split("\t")[0] == words)


def places(window) -> dict:
    return {i: (v.body.x(), v.body.y()) for i, v in window.scene.nodes.items()}


def links_drawn_between_drawn_nodes(window) -> bool:
    scene = window.scene
    return all(v.upper in scene.nodes and v.lower in scene.nodes for v in scene.links.values())


def test_collapsing_a_goal_folds_what_serves_it_alone_and_keeps_what_it_shares(window):
    root = show_client(window, MAYA)
    goal, shared = item_id(window, LEAD), item_id(window, SHARED)
    before, saved = places(window), snapshot()
    g = window.ws.graph
    alone = {n for n in g.successors(goal) if set(g.predecessors(n)) == {goal}}
    others = set(g.successors(goal)) - alone  # the Q3 roadmap, and one shared with fitness
    assert len(alone) >= 2 and shared in others

    entry(window, goal, "Collapse").trigger()

    drawn = window.scene.nodes
    assert goal in drawn and others <= drawn.keys()
    assert not alone & drawn.keys()
    assert links_drawn_between_drawn_nodes(window)
    folded = len(before) - len(drawn)
    assert window.scene.fold_marks[goal].text() == f"▸ {folded} folded in"
    assert "1 collapsed" in window.fold_label.text()
    # Nothing moved, nothing was written: folding is a way of looking.
    assert {i: before[i] for i in drawn} == places(window)
    assert snapshot() == saved and load_hierarchy(root).positions

    at_readable_zoom(window, goal)
    QTest.mouseClick(window.view.viewport(), LEFT, NO_MODS, vp(window, drawn[goal].centre()))
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Space)
    assert places(window) == before and not window.scene.fold_marks
    assert window.fold_label.text() == ""


def test_a_goal_whose_only_outcome_is_shared_folds_nothing_and_says_so(window):
    show_client(window, MAYA)
    goal = item_id(window, SPEAK)
    count = len(window.scene.nodes)
    entry(window, goal, "Collapse").trigger()
    assert len(window.scene.nodes) == count
    assert window.scene.fold_marks[goal].text() == "▸ nothing folded in"


def test_unlinking_the_other_goal_folds_the_shared_outcome_in(window):
    root = show_client(window, MAYA)
    lead, speak, shared = (item_id(window, t) for t in (LEAD, SPEAK, SHARED))
    entry(window, lead, "Collapse").trigger()
    link = next(lk for lk in load_hierarchy(root).links if (lk.upper, lk.lower) == (speak, shared))
    window.scene.select([link.id])
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Delete)
    assert shared not in window.scene.nodes  # its one way up left is the collapsed goal
    assert links_drawn_between_drawn_nodes(window)
    window.undo_stack.undo()
    assert shared in window.scene.nodes


def test_focus_on_a_goal_draws_its_subtree_and_the_goal_it_shares_with(window):
    show_client(window, MAYA)
    lead, speak = item_id(window, LEAD), item_id(window, SPEAK)
    # The fitness goal shares "Asleep by 23:00" with leading; its shoes are its own.
    fitness = item_id(window, "Rebuild a steady fitness routine")
    shoes = item_id(window, "Buy running shoes")
    window.scene.select([lead])
    window.actions["focus_goal"].trigger()
    drawn = window.scene.nodes
    assert {lead, speak, fitness} <= drawn.keys() and shoes not in drawn
    assert all(n in drawn for n in window.ws.graph.successors(lead))
    assert links_drawn_between_drawn_nodes(window)
    assert window.fold_label.text().startswith(f"Focus on “{LEAD}”")
    assert window.actions["leave_focus"].isEnabled()

    window.actions["leave_focus"].trigger()
    assert shoes in window.scene.nodes and window.fold_label.text() == ""


def test_find_reveals_an_item_folded_into_a_collapsed_goal(window, qtbot):
    show_client(window, MAYA)
    goal = item_id(window, LEAD)
    drawn = set(window.scene.nodes)
    entry(window, goal, "Collapse").trigger()
    gone = drawn - window.scene.nodes.keys()
    hidden = min(i for i in gone if window.ws.item(i).kind == "commitment")

    window.actions["find"].trigger()
    qtbot.keyClicks(window.find_box, window.ws.item(hidden).title)
    QTest.keyClick(window.find_box, Qt.Key.Key_Return)

    assert hidden in window.scene.nodes and window.scene.selected == (hidden,)
    assert goal not in window.scene.collapsed


def test_find_leaves_a_focus_that_leaves_the_item_out(window, qtbot):
    show_client(window, MAYA)
    window.scene.focus_on(item_id(window, LEAD))
    outside = item_id(window, "Buy running shoes")
    assert outside not in window.scene.nodes
    window.actions["find"].trigger()
    qtbot.keyClicks(window.find_box, "running shoes")
    QTest.keyClick(window.find_box, Qt.Key.Key_Return)
    assert outside in window.scene.nodes and window.scene.focus_goal is None


def test_space_on_a_commitment_says_what_can_be_folded(window):
    show_client(window, MAYA)
    node = item_id(window, "Buy running shoes")
    window.scene.select([node])
    window.actions["toggle_fold"].trigger()
    assert not window.scene.collapsed
    assert "goal or an outcome" in window.statusBar().currentMessage()


def test_the_focus_note_shows_a_goals_markup_as_typed(window):
    from store import ops

    hostile = "<b>Lead</b> & <i>grow</i> 🌱"
    show_client(window, MAYA)
    ops.update_item(item_id(window, LEAD), title=hostile)
    window.open_database(window.ws.db_path)
    show_client(window, MAYA)
    window.scene.focus_on(item_id(window, hostile))
    label = window.fold_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text().startswith(f"Focus on “{hostile}”")


def test_a_collapsed_outcome_folded_into_its_collapsed_goal_comes_back_marked(window):
    show_client(window, MAYA)
    goal = item_id(window, LEAD)
    g = window.ws.graph
    outcome = next(n for n in g.successors(goal) if set(g.predecessors(n)) == {goal})
    entry(window, outcome, "Collapse").trigger()
    entry(window, goal, "Collapse").trigger()
    assert outcome not in window.scene.nodes  # its node (and its mark) went with the goal
    entry(window, goal, "Expand").trigger()
    assert outcome in window.scene.nodes and outcome in window.scene.collapsed
    assert window.scene.fold_marks[outcome].text().endswith("folded in")
    assert goal not in window.scene.fold_marks
