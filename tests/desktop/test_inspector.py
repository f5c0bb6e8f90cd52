"""The inspector in the real window: it fits its panel, takes Enter and Esc like a dialog, and
never drops what was typed when the selection moves on."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from store import ops
from tests.desktop.helpers import (
    LEFT,
    NO_MODS,
    at_readable_zoom,
    item_id,
    show_client,
    vp,
)

LEO = "Leo Brandt"
MAYA = "Maya Okafor"


def type_into(line_edit, text: str) -> None:
    """Replace a line edit's text the way a person does: select all, type."""
    line_edit.setFocus()
    line_edit.selectAll()
    QTest.keyClicks(line_edit, text)


def click_node(window, node: str) -> None:
    at_readable_zoom(window, node)
    centre = vp(window, window.scene.nodes[node].centre())
    QTest.mouseClick(window.view.viewport(), LEFT, NO_MODS, centre)


def test_the_inspector_shows_every_field_without_scrolling_sideways(window):
    show_client(window, LEO)
    # A commitment from a session: the longest choice, and three dates with "No date" boxes.
    commitment = item_id(window, "Plan a referral bonus")
    assert ops.get_item(commitment)[1]["session_id"]
    window.selection.set([commitment])
    inspector = window.inspector
    viewport = inspector.scroll.viewport()
    assert not inspector.scroll.horizontalScrollBar().isVisible()
    for name, adapter in inspector.editor.inputs.items():
        right = adapter.widget.mapTo(viewport, QPoint(adapter.widget.width(), 0)).x()
        assert right <= viewport.width(), f"{name} is cut off at the panel's edge"
        assert adapter.widget.isVisibleTo(inspector) or name == "progress"


def test_clicking_save_with_the_mouse_keeps_the_saved_item_selected(window):
    show_client(window, MAYA)
    assert window.findings.findings  # the list the focus falls into when Save greys out
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    type_into(window.inspector.editor.inputs["title"].focus, "Lead with calm confidence")
    QTest.mouseClick(window.inspector.save_button, LEFT)
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.selection.ids == (goal,) and window.inspector.item_id == goal


def test_tabbing_into_the_findings_selects_nothing_until_a_finding_is_chosen(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    findings = window.findings.list
    findings.setFocus(Qt.FocusReason.TabFocusReason)
    assert window.selection.ids == (goal,)
    assert findings.currentRow() == 0  # current, as focus makes it, but not chosen
    QTest.keyClick(findings, Qt.Key.Key_Space)
    chosen = window.findings.findings[0]
    assert window.selection.ids == tuple(chosen.items) + tuple(chosen.links)
