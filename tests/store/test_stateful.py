"""Random sequences of store operations, refused ones included, keep the invariants:
no error-severity finding, every live link joins live items of one client, and exactly one
audit row per successful change."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from graph.build import build
from graph.check import check
from store import ops
from store.errors import TrellisError
from store.load import load_hierarchy
from store.models import AuditLog
from store.opening import close_database, open_database
from tests import postgres_server

KINDS = ("goal", "outcome", "sprint", "commitment")
titles = st.sampled_from(["Run", "Sleep", "Write", "", "   ", "Plan", "Run"])
dates = st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-01", "bad", None])
statuses = st.sampled_from(["active", "completed", "draft", "nonsense"])


class StoreMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.open()
        self.clients = [ops.create_client("A")["id"], ops.create_client("B")["id"]]
        self.items: list[str] = []
        self.links: list[str] = []
        self.audited = 2

    def open(self) -> None:
        open_database(self.folder / "t.db")

    def teardown(self):
        close_database()
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, action, rows_written=1):
        """Run one store operation; count its audit rows only when it succeeds."""
        try:
            result = action()
        except TrellisError:
            return None
        self.audited += rows_written(result) if callable(rows_written) else rows_written
        return result

    @rule(kind=st.sampled_from(KINDS), client=st.integers(0, 1), title=titles, start=dates,
          end=dates, status=statuses)  # fmt: skip
    def create(self, kind, client, title, start, end, status):
        fields = {"title": title}
        if kind == "sprint":
            fields |= {"start_date": start, "end_date": end}
        if kind == "commitment":
            fields |= {"status": status, "target_date": start}
        row = self.attempt(lambda: ops.create_item(kind, self.clients[client], **fields))
        if row:
            self.items.append(row["id"])

    @rule(a=st.integers(0, 200), b=st.integers(0, 200), weight=st.sampled_from([1, 2.5, 0, -1]))
    def link(self, a, b, weight):
        if self.items:
            pick = lambda n: self.items[n % len(self.items)]  # noqa: E731
            row = self.attempt(lambda: ops.link_items(pick(a), pick(b), weight))
            if row:
                self.links.append(row["id"])

    @rule(n=st.integers(0, 200))
    def unlink(self, n):
        if self.links:
            link_id = self.links[n % len(self.links)]
            if self.attempt(lambda: ops.unlink(link_id)):
                self.links.remove(link_id)

    @rule(n=st.integers(0, 200))
    def delete(self, n):
        if self.items:
            self.attempt(lambda: ops.delete_item(self.items[n % len(self.items)]))

    @rule(n=st.integers(0, 200), with_parents=st.booleans())
    def restore(self, n, with_parents):
        if self.items:
            target = self.items[n % len(self.items)]
            self.attempt(lambda: ops.restore_item(target, with_parents), len)

    @rule(n=st.integers(0, 200), title=titles, status=statuses)
    def update(self, n, title, status):
        if self.items:
            target = self.items[n % len(self.items)]
            kind, before = ops.get_item(target)
            fields = {"title": title} | ({"status": status} if kind == "commitment" else {})
            # An edit that changes nothing is not a change: no audit row.
            self.attempt(lambda: ops.update_item(target, **fields), lambda after: after != before)

    @invariant()
    def no_error_findings(self):
        assert [f for f in check(load_hierarchy()) if f.severity == "error"] == []

    @invariant()
    def live_links_join_live_items_of_one_client(self):
        h = load_hierarchy()
        for upper, lower in build(h).edges():
            a, b = h.items[upper], h.items[lower]
            assert not a.deleted and not b.deleted and a.root_id == b.root_id

    @invariant()
    def one_audit_row_per_successful_change(self):
        assert AuditLog.select().count() == self.audited


StoreMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_store_operations_keep_the_invariants = StoreMachine.TestCase


class TeamStoreMachine(StoreMachine):
    """The same random sequences on a team database (a fresh PostgreSQL database each)."""

    def open(self) -> None:
        self.url = postgres_server.new_database()
        open_database(self.url)

    def teardown(self):
        close_database()
        postgres_server.drop_database(self.url)
        shutil.rmtree(self.folder, ignore_errors=True)


TeamStoreMachine.TestCase.settings = StoreMachine.TestCase.settings
test_store_operations_keep_the_invariants_on_a_team_database = TeamStoreMachine.TestCase
