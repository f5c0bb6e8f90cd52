"""Editor for a commitment: an actionable task, often agreed in a coaching session."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.editors.base import BaseEditor, Field
from store.models import COMMITMENT_STATUSES, COMMITMENT_TYPES, PRIORITIES

COMPLETED = "completed"
COMPLETED_HINT = "Completed: counts as 100 % toward its outcomes."


class CommitmentEditor(BaseEditor):
    kind = "commitment"
    fields = (
        Field("title", "Title", "line", required=True, placeholder="What the client will do"),
        Field("description", "Description", "text"),
        Field("type", "Type", "choice", COMMITMENT_TYPES, default="commitment"),
        Field("status", "Status", "choice", COMMITMENT_STATUSES, default="active"),
        Field("priority", "Priority", "choice", PRIORITIES, default="medium"),
        Field("progress_percentage", "Progress", "percent", default=0),
        Field("start_date", "Start date", "date"),
        Field("target_date", "Target date", "date"),
        Field("completed_date", "Completed on", "date"),
        Field("session_id", "From session", "session"),
    )

    def build(self, sessions: list[dict[str, Any]]) -> None:
        super().build(sessions)
        self.typed_progress: int | None = None  # what the field held before completing
        self.inputs["status"].on_change(self.status_edited)

    def is_completed(self) -> bool:
        return self.inputs["status"].get() == COMPLETED

    def status_edited(self) -> None:
        """Completing fills "Completed on" with today when empty: part of the same save, so
        one undo step takes both back."""
        if self.loading:
            return
        completed_on = self.inputs["completed_date"]
        if self.is_completed() and completed_on.get() is None:
            completed_on.set(date.today().isoformat())  # its change signal marks the edit
        self.show_progress()

    def update_enabled(self) -> None:
        super().update_enabled()
        self.typed_progress = None
        self.show_progress()

    def show_progress(self) -> None:
        """The roll-up (graph.rollup.commitment_progress) counts a completed commitment as
        100 whatever its stored number: the field shows that, not a stale 0 %."""
        progress, done = self.inputs["progress_percentage"], self.is_completed()
        was_loading, self.loading = self.loading, True  # not the user's edit
        try:
            if done and self.typed_progress is None:
                self.typed_progress = progress.get()
                progress.set(100)
            elif not done and self.typed_progress is not None:
                progress.set(self.typed_progress)
                self.typed_progress = None
        finally:
            self.loading = was_loading
        progress.set_enabled(not done)
        hint = self.hints["progress_percentage"]
        hint.setText(COMPLETED_HINT)
        hint.setVisible(done)

    def form_values(self) -> dict[str, Any]:
        values = super().form_values()
        if self.typed_progress is not None:
            # Shown as 100 while completed; the stored number stays what the person set.
            values["progress_percentage"] = self.typed_progress
        return values
