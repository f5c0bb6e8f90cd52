"""Undo commands: each user gesture is one QUndoCommand made of small store steps.

Commands change only the model, through the workspace (which calls `store`); the scene and
every other view follow the workspace's signal. Each run of a command — the first, every undo,
every redo — is one operation (Workspace.operation): one transaction, one audit operation id,
one `changed` signal. A step the store refuses rolls the steps before it back with the
transaction, so there is nothing to compensate. A command's first run happens in `push`,
before it reaches the stack, so a refusal (ValidationError, LinkRefused) comes back to the
caller with nothing on the stack and nothing written. Replays (undo/redo) that the store
refuses — say, the item was purged meanwhile — drop the command and say why.

Soft delete makes undo simple: deleting an item keeps its link rows (hidden), so restoring
it brings its links back; undoing a creation moves the new item to the trash.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.model.workspace import Point, Workspace
from desktop.readable import action_text
from store.errors import TrellisError
from store.locking import STORAGE_ERRORS, explain_storage_error
from store.ops import new_id

# What a step may raise: a refusal on purpose, or the file itself failing (busy, disk full).
STEP_ERRORS = (TrellisError, *STORAGE_ERRORS)


class StorageProblem(TrellisError):
    """The database file could not take the change (busy, read-only, full): one sentence."""


class Step:
    """One store change and its inverse."""

    def first(self, ws: Workspace) -> None:
        self.redo(ws)

    def redo(self, ws: Workspace) -> None:
        raise NotImplementedError

    def undo(self, ws: Workspace) -> None:
        raise NotImplementedError


class CreateStep(Step):
    def __init__(self, kind: str, fields: dict[str, Any], item_id: str | None = None):
        self.kind, self.fields = kind, dict(fields)
        self.item_id = item_id or new_id()

    def first(self, ws: Workspace) -> None:
        if self.kind == "client":
            ws.create_client(client_id=self.item_id, **self.fields)
        else:
            ws.create_item(self.kind, self.fields, item_id=self.item_id)

    def redo(self, ws: Workspace) -> None:
        ws.restore(self.item_id)

    def undo(self, ws: Workspace) -> None:
        ws.delete(self.item_id)


class EditStep(Step):
    def __init__(self, ws: Workspace, item_id: str, changes: dict[str, Any]):
        row = ws.row(item_id)
        self.item_id = item_id
        self.after = dict(changes)
        self.before = {k: row.get(k) for k in changes}

    def redo(self, ws: Workspace) -> None:
        ws.update(self.item_id, self.after)

    def undo(self, ws: Workspace) -> None:
        ws.update(self.item_id, self.before)


class DeleteStep(Step):
    def __init__(self, item_id: str):
        self.item_id = item_id

    def redo(self, ws: Workspace) -> None:
        ws.delete(self.item_id)

    def undo(self, ws: Workspace) -> None:
        ws.restore(self.item_id)


class RestoreStep(Step):
    def __init__(self, item_id: str, with_parents: bool = False):
        self.item_id, self.with_parents = item_id, with_parents
        self.restored: list[str] = []

    def redo(self, ws: Workspace) -> None:
        self.restored = ws.restore(self.item_id, with_parents=self.with_parents)

    def undo(self, ws: Workspace) -> None:
        for item_id in reversed(self.restored):
            ws.delete(item_id)


class LinkStep(Step):
    def __init__(self, a_id: str, b_id: str, weight: float = 1.0):
        self.a_id, self.b_id, self.weight = a_id, b_id, weight
        self.row: dict[str, Any] | None = None

    def first(self, ws: Workspace) -> None:
        self.row = ws.link_items(self.a_id, self.b_id, weight=self.weight)

    def redo(self, ws: Workspace) -> None:
        row = self.row
        ws.link_items(row["upper"], row["lower"], weight=row["weight"], link_id=row["id"])

    def undo(self, ws: Workspace) -> None:
        ws.unlink(self.row["id"])


class UnlinkStep(Step):
    def __init__(self, link_id: str):
        self.link_id = link_id
        self.row: dict[str, Any] | None = None

    def redo(self, ws: Workspace) -> None:
        self.row = ws.unlink(self.link_id)

    def undo(self, ws: Workspace) -> None:
        row = self.row
        ws.link_items(row["upper"], row["lower"], weight=row["weight"], link_id=row["id"])


class WeightStep(Step):
    def __init__(self, ws: Workspace, link_id: str, weight: float):
        self.link_id, self.after = link_id, weight
        self.before = ws.link(link_id).weight

    def redo(self, ws: Workspace) -> None:
        ws.set_link_weight(self.link_id, self.after)

    def undo(self, ws: Workspace) -> None:
        ws.set_link_weight(self.link_id, self.before)


class MoveStep(Step):
    def __init__(self, root_id: str, positions: dict[str, Point]):
        self.root_id, self.positions = root_id, dict(positions)
        self.before: dict[str, Point | None] = {}

    def redo(self, ws: Workspace) -> None:
        self.before = ws.set_positions(self.positions, root_id=self.root_id)

    def undo(self, ws: Workspace) -> None:
        ws.set_positions(self.before, root_id=self.root_id)


class StoreCommand(QUndoCommand):
    """A list of steps done in order and undone in reverse, as one undo step."""

    def __init__(self, ws: Workspace, text: str, steps: list[Step]):
        # Before the newline: text(), as said in messages; after it: the Undo/Redo menu entry's
        # words, where a title's '&' must not become a shortcut letter.
        super().__init__(f"{text}\n{action_text(text)}")
        self.ws = ws
        self.steps = steps
        self.applied = False  # set by `first`, so the stack's own first redo() does nothing

    def first(self) -> None:
        """Run the steps for the first time, as one operation; a refusal re-raises, and the
        transaction has taken back whatever the steps before it did."""
        self.forward(first=True)
        self.applied = True

    def forward(self, first: bool = False) -> None:
        label = self.text() if first else f"Redo {self.text()}"
        with self.ws.operation(label):
            for step in self.steps:
                step.first(self.ws) if first else step.redo(self.ws)

    def backward(self) -> None:
        with self.ws.operation(f"Undo {self.text()}"):
            for step in reversed(self.steps):
                step.undo(self.ws)

    def redo(self) -> None:
        if self.applied:
            self.applied = False
            return
        self.replay(self.forward)

    def undo(self) -> None:
        self.replay(self.backward)

    def replay(self, run) -> None:
        """Undo/redo from the stack: exceptions cannot cross Qt, so report and drop instead."""
        try:
            run()
        except STEP_ERRORS as exc:
            self.setObsolete(True)
            self.ws.refused.emit(f"Could not {self.text().lower()}: {readable(exc)}")


def readable(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, TrellisError) else explain_storage_error(exc)


def push(stack: QUndoStack, command: StoreCommand) -> None:
    """Apply `command` (a refusal raises here, leaving the stack alone) and put it on `stack`.

    A failing file (busy, full, read-only) is raised as StorageProblem, a TrellisError, so every
    caller that shows refusals shows it too.
    """
    try:
        command.first()
    except STORAGE_ERRORS as exc:
        raise StorageProblem(explain_storage_error(exc)) from exc
    stack.push(command)


# ---------------------------------------------------------------- the user's gestures


def quoted(ws: Workspace, item_id: str) -> str:
    item = ws.item(item_id)
    if item is not None:
        return f"'{item.title}'"
    return f"'{ws.client_name(item_id)}'" if ws.client_name(item_id) else "item"


class CreateCommand(StoreCommand):
    """New item (optionally linked to `parent_id` and placed at `position`), or new client."""

    def __init__(
        self,
        ws: Workspace,
        kind: str,
        fields: dict[str, Any],
        parent_id: str | list[str] | None = None,
        position: Point | None = None,
    ):
        create = CreateStep(kind, fields)
        self.item_id = create.item_id
        steps: list[Step] = [create]
        # One parent (the context menu's) or several (the new-item dialog's ticked ones).
        parents = [parent_id] if isinstance(parent_id, str) else list(parent_id or [])
        steps.extend(LinkStep(parent, create.item_id) for parent in parents)
        if position is not None:
            steps.append(MoveStep(ws.root_id, {create.item_id: position}))
        super().__init__(ws, f"New {kind}", steps)


class EditCommand(StoreCommand):
    def __init__(self, ws: Workspace, item_id: str, changes: dict[str, Any]):
        super().__init__(ws, f"Edit {quoted(ws, item_id)}", [EditStep(ws, item_id, changes)])


class DeleteCommand(StoreCommand):
    """Unlink the chosen links and move the chosen items to the trash, as one step."""

    def __init__(self, ws: Workspace, item_ids: list[str], link_ids: list[str] = ()):
        steps: list[Step] = [UnlinkStep(i) for i in link_ids]
        steps += [DeleteStep(i) for i in item_ids]
        if len(item_ids) == 1 and not link_ids:
            text = f"Delete {quoted(ws, item_ids[0])}"
        elif not item_ids:
            text = "Unlink" if len(link_ids) == 1 else f"Unlink {len(link_ids)} links"
        else:
            text = f"Delete {len(item_ids) + len(link_ids)} items"
        super().__init__(ws, text, steps)


class RestoreCommand(StoreCommand):
    def __init__(self, ws: Workspace, item_id: str, with_parents: bool = False):
        super().__init__(ws, "Restore from trash", [RestoreStep(item_id, with_parents)])


class LinkCommand(StoreCommand):
    def __init__(self, ws: Workspace, a_id: str, b_id: str, weight: float = 1.0):
        text = f"Link {quoted(ws, a_id)} and {quoted(ws, b_id)}"
        super().__init__(ws, text, [LinkStep(a_id, b_id, weight)])

    @property
    def link_id(self) -> str | None:
        row = self.steps[0].row
        return row["id"] if row else None


class UnlinkCommand(StoreCommand):
    def __init__(self, ws: Workspace, link_ids: list[str]):
        text = "Unlink" if len(link_ids) == 1 else f"Unlink {len(link_ids)} links"
        super().__init__(ws, text, [UnlinkStep(i) for i in link_ids])


class WeightCommand(StoreCommand):
    def __init__(self, ws: Workspace, link_id: str, weight: float):
        super().__init__(ws, "Change link weight", [WeightStep(ws, link_id, weight)])


class MoveCommand(StoreCommand):
    """One drag, however many nodes moved together."""

    def __init__(self, ws: Workspace, positions: dict[str, Point]):
        text = (
            f"Move {quoted(ws, next(iter(positions)))}"
            if len(positions) == 1
            else (f"Move {len(positions)} items")
        )
        super().__init__(ws, text, [MoveStep(ws.root_id, positions)])


class AutoLayoutCommand(StoreCommand):
    """Every node placed by `graph` layout, saved as one step."""

    def __init__(self, ws: Workspace):
        super().__init__(ws, "Auto layout", [MoveStep(ws.root_id, ws.auto_layout())])


class CaptureCommand(StoreCommand):
    """A session captured as it happens: the session, each commitment made in it (with its
    session_id) and each commitment's links to its outcomes, as one step, so undo takes the
    session and everything entered with it to the trash together."""

    def __init__(
        self, ws: Workspace, session: dict[str, Any], entries: list[tuple[str, list[str]]]
    ):
        create = CreateStep("session", session)
        self.session_id = create.item_id
        steps: list[Step] = [create]
        for title, outcome_ids in entries:
            made = CreateStep("commitment", {"title": title, "session_id": create.item_id})
            steps.append(made)
            steps += [LinkStep(outcome, made.item_id) for outcome in outcome_ids]
        count = f"{len(entries)} commitment" + ("" if len(entries) == 1 else "s")
        super().__init__(ws, f"New session on {session.get('held_on')} with {count}", steps)


class BulkEditCommand(StoreCommand):
    """The same field values set on several items (priority, due date), as one step; items
    that already have them are left out, so undo touches only what changed."""

    def __init__(self, ws: Workspace, text: str, item_ids: list[str], changes: dict[str, Any]):
        steps: list[Step] = []
        for item_id in item_ids:
            step = EditStep(ws, item_id, changes)
            if step.before != step.after:
                steps.append(step)
        super().__init__(ws, text, steps)
