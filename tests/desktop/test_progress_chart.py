"""The inspector's progress chart: the selected goal's, outcome's or sprint's series from
store.series, none for a commitment, a larger one on a double-click, and new values after an
edit."""

from __future__ import annotations

from PySide6.QtTest import QTest

from store.series import client_series
from tests.desktop.helpers import LEFT, NO_MODS, item_id, show_client


def chart_of(window, title: str):
    show_client(window, "Maya Okafor")
    window.selection.set([item_id(window, title)])
    return window.inspector.progress_chart


def test_a_selected_goal_shows_its_progress_over_time_from_the_audit_log(window):
    panel = chart_of(window, "Lead a team with confidence")
    goal = item_id(window, "Lead a team with confidence")
    assert panel.isVisible()
    # Sampled at instants up to "now", which moves between two reads: every value charted is
    # one the goal really had after some change, in the order it had them.
    history = [p.value for p in client_series(window.ws.root_id)[goal]]
    charted = [p.value for p in panel.chart.points]
    assert len(charted) > 1 and is_in_order_within(charted, history)
    assert panel.chart.points[-1].value == window.ws.progress[goal]


def is_in_order_within(values: list, history: list) -> bool:
    rest = iter(history)
    return all(any(v == h for h in rest) for v in values)


def test_a_commitment_has_no_progress_chart(window):
    panel = chart_of(window, "Buy running shoes")
    assert not panel.isVisible()


def test_double_clicking_the_chart_opens_a_larger_one_of_the_same_item(window):
    panel = chart_of(window, "Sprint 2: Delegation and voice")
    QTest.mouseDClick(panel.chart, LEFT, NO_MODS, panel.chart.rect().center())
    assert panel.dialog is not None and panel.dialog.isVisible()
    assert panel.dialog.chart.points == panel.chart.points
    assert "Delegation and voice" in panel.dialog.windowTitle()
    assert panel.dialog.chart.height() > 2 * panel.chart.height()


def test_an_edit_adds_the_new_value_to_the_chart(window):
    panel = chart_of(window, "Present the Q3 roadmap to directors")
    outcome = item_id(window, "Present the Q3 roadmap to directors")
    window.inspector.save_handler(outcome, {"progress_mode": "manual", "progress_percentage": 90})
    assert panel.chart.points[-1].value == 90.0
    window.undo_stack.undo()
    assert panel.chart.points[-1].value == window.ws.progress[outcome] != 90.0
