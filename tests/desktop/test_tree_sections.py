"""The outline's sections are made afresh at every fill: a client without sessions shown after
one with them keeps no row Qt has deleted."""

from __future__ import annotations

from tests.desktop.helpers import item_id, show_client


def test_a_client_without_sessions_after_one_with_them_takes_its_first_goal(window):
    show_client(window, "Maya Okafor")
    assert "sessions" in window.tree.sections  # the sample's Maya has had sessions
    root = window.ws.create_client("Sam New")["id"]
    window.ws.select_client(root)
    assert "sessions" not in window.tree.sections
    # The fill after this change walked the sections to keep what was open: it reached the
    # deleted Sessions row (RuntimeError: Internal C++ object already deleted).
    window.ws.create_item("goal", {"title": "First goal"})
    goals = window.tree.sections["goals"]
    assert [goals.child(i).text(0) for i in range(goals.childCount())] == ["First goal"]
    assert window.tree.entries[item_id(window, "First goal")]
