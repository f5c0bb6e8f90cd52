"""A big client reads at a glance (issue 13, item 5): drawn as rows of goal blocks shaped like
the window, each row with its own lanes, no false link, and new items in their parent's row.

A generated ~300-item client (bench/dataset.py, the bench's own generator) in a real file,
shown in the real main window.
"""

from __future__ import annotations

import pytest

from tests.desktop.helpers import close_generated_client, open_generated_client
from tests.desktop.test_graph_truth import false_links


@pytest.fixture
def big_window(qtbot, tmp_path):
    win = open_generated_client(qtbot, tmp_path / "big.db", 1400, 900)
    yield win
    close_generated_client(win)


def goal_rows(window) -> list[float]:
    return sorted({v.centre().y() for v in window.scene.nodes.values() if v.kind == "goal"})


def test_a_generated_client_is_drawn_as_goal_blocks_no_wider_than_three_to_one(big_window):
    # It was one band: 295 items 45,640 x 550 scene units (83 : 1).
    rect = big_window.scene.nodes_rect()
    assert len(big_window.scene.nodes) > 250
    assert rect.width() / rect.height() <= 3.0
    assert len(goal_rows(big_window)) > 1
    assert false_links(big_window) == []


def test_each_row_of_goal_blocks_has_its_own_lanes_holding_its_nodes(big_window):
    scene = big_window.scene
    labels = {0: "GOALS", 1: "OUTCOMES", 2: "COMMITMENTS", 3: "SPRINTS"}
    bands = [(b.childItems()[0].text(), b.sceneBoundingRect()) for b in scene.lanes]
    assert sum(1 for text, _r in bands if text == "GOALS") == len(goal_rows(big_window))
    kind_row = {"goal": 0, "outcome": 1, "commitment": 2, "sprint": 3}
    for view in scene.nodes.values():
        label = labels[kind_row[view.kind]]
        assert any(t == label and r.contains(view.rect()) for t, r in bands), view.item_id


def test_a_new_commitment_joins_its_parents_row_of_blocks(big_window):
    scene, rows = big_window.scene, goal_rows(big_window)
    parent = next(
        n for n, v in scene.nodes.items() if v.kind == "outcome" and v.centre().y() > rows[1]
    )
    x, y = big_window.editor.free_spot("commitment", parent, None)
    lane = next(
        r
        for b in scene.lanes
        if b.childItems()[0].text() == "COMMITMENTS"
        and (r := b.sceneBoundingRect()).top() > scene.nodes[parent].centre().y()
        and r.top() - scene.nodes[parent].centre().y() < 200
    )
    assert lane.top() < y < lane.bottom()
