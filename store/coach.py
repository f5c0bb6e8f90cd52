"""The coach's commitments list for one client: loaded with `WHERE root_id = ?` queries, derived
and filtered in graph.commitments, and the names a person types resolved to ids.

`load_commitments` once, then `graph.commitments.filter_rows` for each filter: the desktop's
list and the command line share both.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph.build import build
from graph.commitments import CommitmentRow, Filter, LazyRows, SessionRef, filter_rows
from graph.model import GOAL, OUTCOME, SESSION, SPRINT, Hierarchy
from store import ops
from store.errors import NotFound, ValidationError
from store.load import list_clients, list_sessions, load_hierarchy

# How many names an "unknown title" refusal offers.
SUGGESTIONS = 5


@dataclass(frozen=True)
class Commitments:
    """One client's live commitments with what they reach, and what is needed to name things."""

    client: dict[str, Any]
    rows: Sequence[CommitmentRow]  # LazyRows
    hierarchy: Hierarchy
    graph: nx.DiGraph
    sessions: dict[str, SessionRef]
    trashed_sessions: dict[str, SessionRef]

    def titles(self) -> dict[str, str]:
        """Every id's title (items and sessions), for `graph.commitments.sentence`."""
        found = {node: title for node, title in self.graph.nodes(data="title")}
        return found | {s.id: s.title for s in self.sessions.values()}

    def filtered(self, f: Filter, today: date) -> list[CommitmentRow]:
        return filter_rows(self.rows, f, today)


def session_ref(row: dict[str, Any]) -> SessionRef:
    return SessionRef(row["id"], ops.display_title("session", row), row["held_on"])


def load_commitments(root_id: str, today: date) -> Commitments:
    """The client's live commitments as rows, judged overdue against `today`."""
    client = ops.live_client(root_id)
    h = load_hierarchy(root_id)
    g = build(h)
    every = list_sessions(root_id, include_deleted=True)
    live = {r["id"]: session_ref(r) for r in every if r["deleted_at"] is None}
    trashed = {r["id"]: session_ref(r) for r in every if r["deleted_at"] is not None}
    rows = LazyRows(g, live, today)  # each row derived when read: a filter reads few
    return Commitments(ops.row_dict(client), rows, h, g, live, trashed)


# ---------------------------------------------------------------- which client


def client_named(name: str | None) -> dict[str, Any]:
    """The client `--client NAME` names; without a name, the only client there is."""
    if name is not None:
        return ops.client_by_name(name)
    clients = list_clients()
    if len(clients) == 1:
        return clients[0]
    if not clients:
        raise NotFound("This database has no clients yet; add one in the app or with `demo`.")
    raise ValidationError(
        f"This database has {len(clients)} clients; pick one with --client NAME "
        f"({ops.known_clients(shown=SUGGESTIONS)})."
    )


# ---------------------------------------------------------------- names a person types


def resolve(c: Commitments, kind: str, text: str) -> str:
    """The id of the live goal, outcome, sprint or session that `text` names (id or title).

    A title shared by several is refused listing them; an unknown one is refused with the
    nearest names; a trashed one says so.
    """
    wanted = text.strip()
    if not wanted:
        raise ValidationError(f"The {kind} to filter by is empty; give its title or id.")
    candidates = names_of(c, kind)
    if wanted in candidates:
        return wanted
    found = [cid for cid, names in candidates.items() if wanted in names]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValidationError(ambiguous(kind, wanted, found, c))
    raise NotFound(unknown(kind, wanted, candidates, c))


def names_of(c: Commitments, kind: str) -> dict[str, set[str]]:
    """Each live item of `kind`: id -> every name a person may type for it."""
    if kind == SESSION:
        return {sid: session_names(c, sid) for sid in c.sessions}
    return {
        node: item_names(c, node)
        for node, node_kind in c.graph.nodes(data="kind")
        if node_kind == kind
    }


def item_names(c: Commitments, node: str) -> set[str]:
    """A goal's or outcome's title; a sprint's shown title, own title and "Sprint N" too."""
    item = c.graph.nodes[node]["item"]
    names = {item.title}
    if item.kind == SPRINT:
        names |= {item.fields.get("title") or "", f"Sprint {item.fields.get('sprint_number')}"}
    return names - {""}


def session_names(c: Commitments, session_id: str) -> set[str]:
    """A session's shown title and the day it was held."""
    ref = c.sessions[session_id]
    return {ref.title, ref.held_on}


def title_of(c: Commitments, kind: str, item_id: str) -> str:
    """The title a live item (or session) is shown with."""
    return c.sessions[item_id].title if kind == SESSION else c.graph.nodes[item_id]["title"]


def label_of(c: Commitments, kind: str, item_id: str) -> str:
    """How a refusal names one candidate: its title and id, so the person can pass the id."""
    return f"{title_of(c, kind, item_id)!r} ({item_id})"


def ambiguous(kind: str, wanted: str, found: list[str], c: Commitments) -> str:
    listed = ", ".join(
        label_of(c, kind, i) for i in sorted(found, key=lambda i: label_of(c, kind, i))
    )
    who = c.client["name"]
    return f"{len(found)} {kind}s of {who!r} are called {wanted!r}: {listed}; pass one of the ids."


def unknown(kind: str, wanted: str, candidates: dict[str, set[str]], c: Commitments) -> str:
    """No live item of `kind` has that id or title: say why if it is in the trash, else
    offer the nearest names."""
    trashed = trashed_title(c, kind, wanted)
    if trashed is not None:
        return f"The {kind} {trashed!r} is in the trash; restore it to filter by it."
    titles = sorted({title_of(c, kind, i) for i in candidates}, key=str.casefold)
    if not titles:
        return f"{c.client['name']!r} has no {kind}s, so none is called {wanted!r}."
    near = difflib.get_close_matches(wanted, titles, n=SUGGESTIONS, cutoff=0.4)
    offered = near + [t for t in titles if t not in near][: SUGGESTIONS - len(near)]
    more = len(titles) - len(offered)
    listed = ", ".join(repr(t) for t in offered) + (f" and {more} more" if more else "")
    who = c.client["name"]
    return f"No {kind} of {who!r} has the id or title {wanted!r}; its {kind}s include {listed}."


def trashed_title(c: Commitments, kind: str, wanted: str) -> str | None:
    """The title of a trashed item of `kind` with that id or title, if there is one."""
    if kind == SESSION:
        pool = {s.id: s.title for s in c.trashed_sessions.values()}
    else:
        pool = {i.id: i.title for i in c.hierarchy.items.values() if i.kind == kind and i.deleted}
    return next((t for i, t in pool.items() if wanted in (i, t)), None)


def resolved_filter(c: Commitments, names: dict[str, str | None], **rest: Any) -> Filter:
    """A Filter from the names typed for goal, outcome, sprint and session, plus the rest."""
    kinds = {"goal": GOAL, "outcome": OUTCOME, "sprint": SPRINT, "session": SESSION}
    ids = {key: resolve(c, kinds[key], text) for key, text in names.items() if text is not None}
    return Filter(**ids, **rest)
