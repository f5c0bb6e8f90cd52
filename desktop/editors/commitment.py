"""Editor for a commitment: an actionable task, often agreed in a coaching session."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field
from store.models import COMMITMENT_STATUSES, COMMITMENT_TYPES, PRIORITIES


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
