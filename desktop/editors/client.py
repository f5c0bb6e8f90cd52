"""Editor for a client: the person whose hierarchy this is."""

from __future__ import annotations

from desktop.editors.base import BaseEditor, Field


class ClientEditor(BaseEditor):
    kind = "client"
    fields = (
        Field("name", "Name", "line", required=True, placeholder="The client's name"),
        Field("notes", "Notes", "text", placeholder="Context, role, what they are working on"),
    )
