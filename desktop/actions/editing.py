"""Edit-menu actions on items: new item, new client, edit, delete the selection or a client.

Each takes the window (its workspace, shared selection, editor and undo stack) and changes
the model only through undo commands pushed by `window.push`; the views follow the signal.
The graph's context menu, the tree and the client list ask for the same functions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF

from desktop.dialogs.link_to import LinkToDialog, parent_picker, parents_label
from desktop.editors import EditDialog
from desktop.model.commands import CreateCommand, DeleteCommand
from desktop.plain import Button, ask
from store.errors import TrellisError


def selected_ids(window) -> tuple[list[str], list[str]]:
    """(items, links) in the shared selection."""
    ids = window.selection.ids
    links = [i for i in ids if window.ws.link(i) is not None]
    items = [i for i in ids if i not in links and (window.ws.item(i) or is_session(window, i))]
    return items, links


def is_session(window, item_id: str) -> bool:
    return any(s["id"] == item_id for s in window.ws.sessions())


def delete_selected(window) -> None:
    """Delete: selected links are unlinked, selected items go to the trash; one step."""
    if window.view.cancel_gesture():
        return
    items, links = selected_ids(window)
    if not items and not links:
        return
    if window.push_or_say(DeleteCommand(window.ws, items, links)) and items:
        window.statusBar().showMessage(
            "Moved to the trash. Undo (Ctrl+Z) or Tools → Trash… brings it back.", 6000
        )


def edit_selected(window) -> None:
    items, _links = selected_ids(window)
    if items:
        edit_item(window, items[0])


def edit_item(window, item_id: str) -> None:
    """Open the editor for an item (or client, or session); Save is one undo step."""
    try:
        row = window.ws.row(item_id)
    except TrellisError as exc:
        window.show_refusal(str(exc))
        return
    kind = kind_of(window, item_id, row)

    def save(changes: dict[str, Any]) -> None:
        window.save_fields(item_id, changes)

    EditDialog(kind, row, window.ws.sessions(), save, window).exec()


def kind_of(window, item_id: str, row: dict[str, Any]) -> str:
    item = window.ws.item(item_id)
    if item is not None:
        return item.kind
    if "held_on" in row:
        return "session"
    return "client"


def new_item(
    window, kind: str, parent_id: str | None = None, at: QPointF | None = None
) -> str | None:
    """Ask for a new item's fields and the parents it serves, then create it (linked to the
    ticked ones, placed) as one undo step."""
    if not window.ws.root_id:
        new_client(window)
        if not window.ws.root_id:
            return None
    chosen = [] if parent_id else selected_ids(window)[0]
    picker = parent_picker(window.ws, kind, chosen, asked=parent_id)
    created: list[str] = []

    def save(values: dict[str, Any]) -> None:
        parents = picker.chosen() if picker is not None else []
        first = parents[0] if parents else None
        position = None if kind == "session" else window.editor.free_spot(kind, first, at)
        command = CreateCommand(window.ws, kind, values, parents, position)
        window.push(command)
        created.append(command.item_id)

    extra = (parents_label(kind), picker) if picker is not None else None
    row = {"root_id": window.ws.root_id}
    EditDialog(kind, row, window.ws.sessions(), save, window, extra=extra).exec()
    if created and kind != "session":
        window.scene.select(created)
    return created[0] if created else None


def link_to(window) -> None:
    """Edit → Link to…: link the selected items by keyboard (one undo step)."""
    items, _links = selected_ids(window)
    items = [i for i in items if window.ws.item(i) is not None]  # not sessions or the client
    if not items:
        window.statusBar().showMessage("Select an item first, then Link to… (Ctrl+K).", 6000)
        return
    LinkToDialog(window.ws, items, window.push, window).exec()


def new_client(window) -> None:
    def save(values: dict[str, Any]) -> None:
        window.push(CreateCommand(window.ws, "client", values))

    EditDialog("client", {}, [], save, window).exec()


def delete_client(window, root_id: str) -> None:
    name = window.ws.client_name(root_id)
    answer = ask(
        window,
        "Move client to the trash",
        f"Move {name} and everything in their workspace to the trash?\n\n"
        "Undo (Ctrl+Z) or Tools → Trash… brings them back.",
    )
    if answer == Button.Yes:
        window.push_or_say(DeleteCommand(window.ws, [root_id]))
