"""Editor for an outcome: a short-term win that serves one or more goals."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field
from store.models import OUTCOME_STATUSES, PROGRESS_MODES


class OutcomeEditor(BaseEditor):
    kind = "outcome"
    fields = (
        Field("title", "Title", "line", required=True, placeholder="A concrete, visible result"),
        Field("description", "Description", "text", placeholder="How you will know it happened"),
        Field("status", "Status", "choice", OUTCOME_STATUSES, default="active"),
        Field("progress_mode", "Progress from", "choice", PROGRESS_MODES, default="derived"),
        Field(
            "progress_percentage",
            "Progress",
            "percent",
            default=0,
            enabled_when=("progress_mode", "manual"),
            disabled_hint="Worked out from the linked commitments; “Set by hand” to type it.",
        ),
        Field("target_date", "Target date", "date"),
        Field("order_index", "Order", "number", minimum=-9999, maximum=99_999, default=0),
    )
