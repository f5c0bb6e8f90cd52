"""Editor for a goal: a 3–12 month aim of the client."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field
from store.models import GOAL_STATUSES, PROGRESS_MODES


class GoalEditor(BaseEditor):
    kind = "goal"
    fields = (
        Field("title", "Title", "line", required=True, placeholder="What the client wants"),
        Field("description", "Description", "text", placeholder="Why it matters, what good is"),
        Field("category", "Category", "line", placeholder="e.g. career, health"),
        Field("status", "Status", "choice", GOAL_STATUSES, default="active"),
        Field("progress_mode", "Progress from", "choice", PROGRESS_MODES, default="derived"),
        Field(
            "progress",
            "Progress",
            "percent",
            default=0,
            enabled_when=("progress_mode", "manual"),
            disabled_hint="Worked out from the linked outcomes; “Set by hand” to type it.",
        ),
        Field("target_date", "Target date", "date"),
    )
