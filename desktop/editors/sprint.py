"""Editor for a sprint: a 6–8 week timebox working on some outcomes."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field, today_plus
from store.models import SPRINT_STATUSES


class SprintEditor(BaseEditor):
    kind = "sprint"
    fields = (
        Field(
            "sprint_number",
            "Sprint number",
            "number",
            minimum=1,
            maximum=9999,
            special="Next free number",
        ),
        Field("title", "Title", "line", required=True, placeholder="The theme of these weeks"),
        Field("description", "Description", "text"),
        Field("start_date", "Start date", "date", required=True, default=today_plus(0)),
        # Six weeks by default: the short end of the 6–8 week timebox.
        Field("end_date", "End date", "date", required=True, default=today_plus(41)),
        Field("status", "Status", "choice", SPRINT_STATUSES, default="planning"),
    )
