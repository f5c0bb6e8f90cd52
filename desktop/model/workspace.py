"""The model the whole window shares: the open database, the current client and its hierarchy.

Every change goes through a `store` function here. A user action is one operation
(`Workspace.operation`, over store.ops.operation): its store calls share one transaction, and
only after it commits is the in-memory hierarchy brought up to date, from the store, for the
ids it touched, and one `changed(Changes)` signal says what kind of thing changed. A rolled
back operation leaves the hierarchy as it was and says nothing. Views never poke each other;
each looks at the Changes and decides whether it cares (Anki's OpChanges).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
from PySide6.QtCore import QObject, Signal

from desktop.model.mirror import Mirror
from graph.layout import Y_STEP, free_spot, lane_bands, layer_of, layout
from graph.model import Hierarchy, Item, Link
from store import ops
from store.errors import NotFound, StaleEdit, TrellisError
from store.load import graph_fields, list_clients, list_sessions, load_hierarchy
from store.models import current_path, is_team, team_url
from store.opening import close_database, data_version, open_database

Point = tuple[float, float]


@dataclass(frozen=True)
class Changes:
    """What one operation changed; ids let a view update only what it shows."""

    reset: bool = False  # another database or client: rebuild everything
    clients: bool = False  # the client list (names, added, deleted)
    sessions: bool = False  # the current client's coaching sessions
    items: frozenset[str] = frozenset()  # item ids created, edited, deleted or restored
    links: frozenset[str] = frozenset()  # link ids added, removed or re-weighted
    positions: frozenset[str] = frozenset()  # item ids whose position changed
    progress: frozenset[str] = frozenset()  # item ids whose rolled-up progress changed

    @property
    def structure(self) -> bool:
        """Whether items or links changed (what trees, findings and counts depend on)."""
        return self.reset or bool(self.items or self.links)


@dataclass
class Touched:
    """The ids one operation's store calls touched; read back from the store once it commits."""

    items: dict[str, None] = field(default_factory=dict)  # an ordered set
    links: dict[str, None] = field(default_factory=dict)
    positions: dict[str, None] = field(default_factory=dict)
    client: str | None = None  # a client itself was added, edited, deleted or restored
    root: str | None = None  # the client whose hierarchy the changes belong to

    def note(self, root: str | None, items=(), links=(), positions=()) -> None:
        self.root = root or self.root
        for item_id in items:
            if item_id == root:
                self.client = item_id  # a client's root is its own id
            else:
                self.items[item_id] = None
        self.links.update(dict.fromkeys(links))
        self.positions.update(dict.fromkeys(positions))

    def is_empty(self) -> bool:
        return not (self.items or self.links or self.positions or self.client)


class Selection(QObject):
    """The ids selected anywhere (tree, graph, findings); every view follows this one set."""

    changed = Signal(object, object)  # (ids, source): a view ignores the changes it made

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.ids: tuple[str, ...] = ()

    def set(self, ids, source: object = None) -> None:
        """Select `ids` (items or links), telling every view but the one that asked."""
        ids = tuple(dict.fromkeys(ids))
        if ids != self.ids:
            self.ids = ids
            self.changed.emit(ids, source)


class Workspace(QObject):
    """The open database and the client on screen; the only place the desktop calls `store`."""

    changed = Signal(object)
    # A stored command could not be replayed (its item was purged meanwhile): one sentence.
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path: Path | None = None
        self.team_url: str | None = None  # a team database: its URL without password
        self.root_id: str | None = None
        self.mirror = Mirror()
        self.clients: list[dict[str, Any]] = []
        # Where layout put nodes whose place could not be saved (a read-only file): kept so
        # they stay put between edits. Normally every placed node is saved at once.
        self.computed: dict[str, Point] = {}
        # Each client's `computed`, for this database: laying out 10,000 items takes a second,
        # so going back to a client reuses it (only nodes new since then are placed).
        self.layouts: dict[str, dict[str, Point]] = {}
        self.seen_version: int | None = None  # the data_version when last read in full
        self.touched: Touched | None = None  # set while an operation is under way

    # ------------------------------------------------------------ opening

    def open(self, path: str | Path, root_id: str | None = None, password: str | None = None):
        """Open (or create) a database (a file, or a team database's URL) and show `root_id`."""
        open_database(path, password=password)
        self.team_url = team_url() if is_team() else None
        self.db_path = None if self.team_url else Path(path)
        self.layouts = {}
        self.reload(root_id)

    def close(self) -> None:
        close_database()
        self.db_path = self.team_url = None

    def reload(self, root_id: str | None = None) -> None:
        """Read everything again (after a restore or an import) and rebuild every view."""
        self.layouts = {}
        self.clients = list_clients()
        live = {c["id"] for c in self.clients}
        wanted = root_id or self.root_id
        self.load_client(wanted if wanted in live else self.first_client())
        self.seen_version = data_version()
        self.changed.emit(Changes(reset=True, clients=True, sessions=True))

    def changed_elsewhere(self) -> bool:
        """Whether another program (a second window, the command line) has written to the
        database since it was last read; asking again says False until it writes again."""
        if self.team_url is None and (self.db_path is None or current_path() != self.db_path):
            return False
        version = data_version()
        if version is None or version == self.seen_version:
            return False
        self.seen_version = version
        return True

    def first_client(self) -> str | None:
        return self.clients[0]["id"] if self.clients else None

    def select_client(self, root_id: str | None) -> None:
        """Show another client's hierarchy."""
        if root_id != self.root_id:
            self.load_client(root_id)
            self.changed.emit(Changes(reset=True, sessions=True))

    def load_client(self, root_id: str | None, save: bool = True, h=None, graph=None):
        """Show `root_id` (`h`: its Hierarchy, if the caller has just read it, and `graph`
        its `graph.build`, likewise); `save=False` (a report, which only reads) keeps
        layout's places for never-placed nodes in memory."""
        self.root_id = root_id
        h = h or (load_hierarchy(root_id) if root_id else Hierarchy())
        self.mirror = Mirror(h, graph)
        self.computed = self.layouts.setdefault(root_id, {}) if root_id else {}
        self.place_missing(save=save)

    # The mirror's parts under the names views use.
    @property
    def hierarchy(self) -> Hierarchy:
        return self.mirror.h

    @property
    def graph(self) -> nx.DiGraph:
        """Live items and the links shown between them (graph.build's graph, kept current)."""
        return self.mirror.graph

    @property
    def progress(self) -> dict[str, float]:
        return self.mirror.progress

    @property
    def links_by_id(self) -> dict[str, Link]:
        return self.mirror.links_by_id

    # ------------------------------------------------------------ reading

    def client_name(self, root_id: str | None = None) -> str:
        root_id = root_id or self.root_id
        return next((c["name"] for c in self.clients if c["id"] == root_id), "")

    def item(self, item_id: str) -> Item | None:
        return self.hierarchy.items.get(item_id)

    def live_items(self) -> list[Item]:
        return [i for i in self.hierarchy.items.values() if not i.deleted]

    def is_live(self, item_id: str) -> bool:
        item = self.hierarchy.items.get(item_id)
        return item is not None and not item.deleted

    def link(self, link_id: str) -> Link | None:
        return self.links_by_id.get(link_id)

    def live_links(self) -> list[Link]:
        """The links shown: both ends live."""
        return [
            lk for lk in self.hierarchy.links if self.is_live(lk.upper) and self.is_live(lk.lower)
        ]

    def position(self, item_id: str) -> Point:
        """Where a node's centre is: where the person put it, else where layout put it."""
        saved = self.hierarchy.positions.get(item_id)
        if saved is not None:
            return saved
        return self.computed.get(item_id, (0.0, 0.0))

    def row(self, item_id: str) -> dict[str, Any]:
        """Every column of an item as stored now (for editors)."""
        return ops.get_item(item_id)[1]

    def sessions(self) -> list[dict[str, Any]]:
        return list_sessions(self.root_id) if self.root_id else []

    def status(self, item_id: str) -> str:
        item = self.hierarchy.items.get(item_id)
        return (item.fields.get("status") or "") if item else ""

    # ------------------------------------------------------------ operations

    @contextmanager
    def operation(self, label: str) -> Iterator[None]:
        """One user action ("Delete 8 items"): one store transaction, one audit operation id,
        then one `changed` signal with everything it changed; nothing at all if it fails."""
        with self.collecting(), ops.operation(label):
            yield

    @contextmanager
    def collecting(self) -> Iterator[Touched]:
        """Note what the store calls in the block touch; bring the mirror up to date once the
        outermost block is done (so after its commit), and not at all if it raised."""
        if self.touched is not None:
            yield self.touched
            return
        self.touched = touched = Touched()
        try:
            yield touched
        finally:
            self.touched = None
        self.catch_up(touched)

    # ------------------------------------------------------------ changing

    def create_client(self, name: str, notes: str = "", client_id: str | None = None) -> dict:
        with self.collecting() as touched:
            row = ops.create_client(name, notes, client_id=client_id)
            touched.note(row["id"], items=[row["id"]])
        return row

    def create_item(self, kind: str, fields: dict[str, Any], item_id: str | None = None) -> dict:
        """Add an item to the current client."""
        with self.collecting() as touched:
            row = ops.create_item(kind, self.root_id, item_id=item_id, **fields)
            touched.note(self.root_id, items=[row["id"]])
        return row

    def update(self, item_id: str, fields: dict[str, Any]) -> dict:
        """Edit an item as this window shows it: if another session (a second window, another
        coach) changed it since, the store refuses, and the views are read again to show theirs."""
        shown = self.hierarchy.items.get(item_id)
        seen = shown.fields.get("updated_at") if shown is not None else None
        try:
            with self.collecting() as touched:
                row = ops.update_item(item_id, seen=seen, **fields)
                touched.note(row["root_id"], items=[item_id])
        except StaleEdit:
            self.reload()
            raise
        return row

    def delete(self, item_id: str) -> dict:
        """Move an item (or a client) to the trash; its links stay, hidden, for undo."""
        with self.collecting() as touched:
            row = ops.delete_item(item_id)
            touched.note(row["root_id"], items=[item_id])
        return row

    def restore(self, item_id: str, with_parents: bool = False) -> list[str]:
        with self.collecting() as touched:
            ids = ops.restore_item(item_id, with_parents=with_parents)
            touched.note(ops.get_item(item_id)[1]["root_id"], items=ids)
        return ids

    def purge(self, item_id: str) -> dict:
        """Delete an item in the trash for good (not undoable: the store backs up first)."""
        with self.collecting() as touched:
            row = ops.purge_item(item_id)
            touched.note(row["root_id"], items=[item_id])
        return row

    def link_items(
        self, a_id: str, b_id: str, weight: float = 1.0, link_id: str | None = None
    ) -> dict:
        with self.collecting() as touched:
            row = ops.link_items(a_id, b_id, weight=weight, link_id=link_id)
            touched.note(row["root_id"], links=[row["id"]])
        return row

    def unlink(self, link_id: str) -> dict:
        with self.collecting() as touched:
            row = ops.unlink(link_id)
            touched.note(row["root_id"], links=[link_id])
        return row

    def set_link_weight(self, link_id: str, weight: float) -> dict:
        with self.collecting() as touched:
            row = ops.set_link_weight(link_id, weight)
            touched.note(row["root_id"], links=[link_id])
        return row

    def set_positions(self, positions: dict[str, Point | None], root_id: str | None = None) -> dict:
        """Save where nodes sit (None = let layout place it); returns the previous map."""
        root_id = root_id or self.root_id
        with self.collecting() as touched:
            before = ops.set_positions(root_id, positions)
            touched.note(root_id, positions=positions)
        return before

    # ------------------------------------------------------------ keeping up to date

    def catch_up(self, touched: Touched) -> None:
        """After an operation committed: read what it touched back from the store into the
        mirror, settle the roll-up, and tell the views once."""
        if touched.is_empty():
            return
        if touched.client is not None:
            if self.after_client(touched.client):
                return
        elif self.show_root(touched.root):
            return
        sessions = [self.refresh_item(item_id) for item_id in touched.items]
        for link_id in touched.links:
            self.refresh_link(link_id)
        self.refresh_positions(list(touched.positions))
        self.rederive(
            Changes(
                clients=touched.client is not None,
                sessions=any(sessions),
                items=frozenset(touched.items),
                links=frozenset(touched.links),
                positions=frozenset(touched.positions),
            )
        )

    def show_root(self, root_id: str | None) -> bool:
        """Switch to the client an undo/redo touched, so the person sees what changed.

        Returns True when the views were rebuilt (nothing incremental is left to do).
        """
        if root_id is None or root_id == self.root_id:
            return False
        self.clients = list_clients()
        if root_id not in {c["id"] for c in self.clients}:
            # A change to a client in the trash (or the client itself): only the list moves.
            self.changed.emit(Changes(clients=True))
            return True
        self.load_client(root_id)
        self.changed.emit(Changes(reset=True, clients=True, sessions=True))
        return True

    def after_client(self, root_id: str) -> bool:
        """A client was added, renamed, deleted or restored: show it if it is (back) in the
        list. Returns True when the views were rebuilt; False leaves the client list's change
        for the caller's one signal."""
        self.clients = list_clients()
        live = {c["id"] for c in self.clients}
        if root_id in live and root_id != self.root_id:
            self.load_client(root_id)
        elif self.root_id not in live:
            self.load_client(self.first_client())
        else:
            return False
        self.changed.emit(Changes(reset=True, clients=True, sessions=True))
        return True

    def refresh_item(self, item_id: str) -> bool:
        """Re-read one item; returns True if it was a coaching session."""
        try:
            kind, row = ops.get_item(item_id)
        except NotFound:
            self.mirror.drop_item(item_id)
            return False
        if kind == "session":
            return True
        self.mirror.put_item(
            Item(
                id=item_id,
                kind=kind,
                root_id=row["root_id"],
                title=ops.display_title(kind, row),
                deleted=row["deleted_at"] is not None,
                fields=graph_fields(kind, row),
            )
        )
        return False

    def refresh_link(self, link_id: str) -> None:
        """Re-read one link: gone (unlinked, or its end purged), added, or re-weighted."""
        self.mirror.remove_link(link_id)
        try:
            link_kind, row = ops.find_link(link_id)
        except NotFound:
            return
        self.mirror.add_link(as_link(ops.link_dict(link_kind, row)))

    def refresh_positions(self, ids: list[str]) -> None:
        """Re-read where these nodes were put (None: layout places them)."""
        if not ids:
            return
        for item_id, pos in ops.saved_positions(self.root_id, ids).items():
            if pos is None:
                self.hierarchy.positions.pop(item_id, None)
            else:
                self.hierarchy.positions[item_id] = pos

    def rederive(self, changes: Changes) -> None:
        """Settle the roll-up, place new nodes, then tell the views (with whose progress moved)."""
        moved = self.mirror.settle()
        placed = self.place_missing()
        self.changed.emit(
            replace(changes, progress=frozenset(moved), positions=changes.positions | placed)
        )

    def place_missing(self, save: bool = False) -> frozenset[str]:
        """Give nodes with no position one from layout, leaving every other node put; with
        `save` (a client drawn, or read again after another program wrote to it), save
        them so they stay. An item made here gets its place from its own command instead
        (so undoing it leaves no trace); until then it sits where layout put it.

        Opening a client whose nodes all have a place writes nothing.
        """
        h = self.hierarchy
        missing = {n for n in self.graph if n not in h.positions and n not in self.computed}
        if not missing:
            return frozenset()
        known = {n: self.position(n) for n in self.graph if n not in missing}
        found = layout(self.graph, only=missing if known else None, positions=known)
        placed = {n: found[n] for n in missing if n in found}
        if save:
            self.keep(placed)
        else:
            self.computed.update(placed)
        return frozenset(missing)

    def keep(self, placed: dict[str, Point]) -> None:
        """Save where layout put nodes: one transaction and one audit row, not a "move" per
        node, since the person moved nothing (and it is no undo step)."""
        try:
            ops.keep_layout(self.root_id, placed)
        except TrellisError:
            self.computed.update(placed)  # unsaved, but still put for this session
            return
        self.hierarchy.positions.update(placed)

    def new_spot(self, kind: str, near: Point | None = None, y: float | None = None) -> Point:
        """Where a new node of `kind` goes: on the line `y` (default: its kind's lane), at the
        free place nearest `near` (its parent, a click, the view's centre), so no other
        node has to move."""
        placed = {n: self.position(n) for n in self.graph}
        if y is None:
            kinds = ((self.hierarchy.items[n].kind, p) for n, p in placed.items())
            bands = lane_bands(kinds, near[1] if near else None)  # its parent's row of blocks
            row = layer_of(kind)
            y = bands[row][0] if row in bands else self.lane_below(bands, row)
        return free_spot(placed.values(), near[0] if near else 0.0, y)

    def lane_below(self, bands: dict[int, tuple[float, float]], row: int) -> float:
        """The y of a lane nobody is in yet: a step below the deepest lane above it."""
        above = [(r, y + depth) for r, (y, depth) in bands.items() if r < row]
        if not above:
            return row * Y_STEP
        r, bottom = max(above)
        return bottom + (row - r) * Y_STEP

    def auto_layout(self) -> dict[str, Point]:
        """Fresh positions for every live node, ignoring where anyone put them."""
        return layout(self.graph, positions={})


def as_link(row: dict[str, Any]) -> Link:
    return Link(
        id=row["id"],
        kind=row["kind"],
        upper=row["upper"],
        lower=row["lower"],
        root_id=row["root_id"],
        weight=row["weight"],
    )
