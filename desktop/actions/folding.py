"""View-menu actions that fold the graph: collapse or expand the selected goal or outcome,
expand everything, focus on the selected goal and leave the focus (desktop/canvas/folds.py
does the folding; nothing here edits the hierarchy)."""

from __future__ import annotations


def toggle_selected(window) -> None:
    """Collapse the selected goals and outcomes, or expand them if all are collapsed."""
    scene = window.scene
    if not any(scene.can_fold(i) for i in window.selection.ids):
        window.statusBar().showMessage("Select a goal or an outcome to collapse or expand.", 5000)
        return
    scene.toggle_fold(window.selection.ids)


def focus_selected(window) -> None:
    goals = [i for i in window.selection.ids if (it := window.ws.item(i)) and it.kind == "goal"]
    if not goals:
        window.statusBar().showMessage("Select a goal to focus on.", 5000)
        return
    window.scene.focus_on(goals[0])
    window.view.fit()


def summary(scene) -> str:
    """The status bar's note while the graph is folded, so a shorter graph is never taken
    for the whole hierarchy."""
    if not scene.is_folded():
        return ""
    parts = []
    if scene.focus_goal is not None:
        title = scene.ws.item(scene.focus_goal).title
        parts.append(f"Focus on “{title if len(title) <= 40 else title[:39] + '…'}”")
    if scene.collapsed:
        parts.append(f"{len(scene.collapsed):,} collapsed")
    parts.append(f"{len(scene.nodes):,} of {len(scene.ws.live_items()):,} items drawn")
    return "  ·  ".join(parts)
