"""Editor for a coaching session: a dated meeting commitments come from."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field, today_plus


class SessionEditor(BaseEditor):
    kind = "session"
    fields = (
        Field("held_on", "Held on", "date", required=True, default=today_plus(0)),
        Field("title", "Title", "line", placeholder="e.g. Sprint review"),
        Field("notes", "Notes", "text", placeholder="What was discussed and agreed"),
    )
