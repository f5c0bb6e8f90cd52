"""Peewee models for every table of DESIGN §1, with the constraints in the schema itself.

Ids are UUID strings, timestamps ISO-8601 UTC strings and dates `YYYY-MM-DD` strings: text
compares correctly in CHECKs and round-trips through JSON unchanged.

The models are bound to `database`, a proxy that store.opening points at the file it opens
(store.sqlite makes the connection), so another backend can be put behind the same models.
`database.atomic()` and the rest forward to whatever it points at.
"""

from __future__ import annotations

from pathlib import Path

from peewee import (
    SQL,
    AutoField,
    CharField,
    Check,
    DatabaseProxy,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    Node,
    TextField,
)

from store import postgres, sqlite

# The schema these models describe, stored in the file as `user_version`. To release a new
# one: raise this, add its step to store.migrations.STEPS and a fixture file (see there).
SCHEMA_VERSION = 2

database = DatabaseProxy()

GOAL_STATUSES = ("active", "completed", "paused", "abandoned")
OUTCOME_STATUSES = ("active", "completed", "deferred", "abandoned")
SPRINT_STATUSES = ("planning", "active", "completed", "cancelled")
COMMITMENT_TYPES = ("commitment", "habit", "learning", "milestone")
COMMITMENT_STATUSES = ("draft", "active", "in_progress", "completed", "abandoned")
PRIORITIES = ("low", "medium", "high", "urgent")
PROGRESS_MODES = ("derived", "manual")


def one_of(column: str, values: tuple[str, ...]) -> Check:
    """A CHECK that `column` holds one of `values`."""
    listed = ", ".join(f"'{v}'" for v in values)
    return Check(f"{column} IN ({listed})")


def percent(column: str) -> Check:
    return Check(f"{column} BETWEEN 0 AND 100")


class CalendarDateCheck(Node):
    """A CHECK that `column` is NULL or a real calendar date written as YYYY-MM-DD.

    Each backend writes it in its own SQL, chosen when the table is made: the PostgreSQL
    database says so in its SQL context (store.postgres.TrellisPostgres); any other is SQLite.
    """

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def __sql__(self, ctx):
        if ctx.state.backend == "postgres":
            return ctx.literal(f"CHECK ({postgres.calendar_date(self.column)})")
        return ctx.literal(f"CHECK ({sqlite.is_calendar_date(self.column)})")


def iso_date(column: str) -> Node:
    """NULL or a real calendar date written as YYYY-MM-DD."""
    return CalendarDateCheck(column)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Client(BaseModel):
    id = CharField(primary_key=True)
    # The client's own root is itself; kept so every table can be scoped the same way.
    root_id = CharField(index=True, constraints=[Check("root_id = id")])
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    notes = TextField(default="")
    created_at = CharField()
    updated_at = CharField()
    deleted_at = CharField(null=True)

    class Meta:
        table_name = "clients"


class Entity(BaseModel):
    """Columns every hierarchy row has: id, its client (root_id) and the timestamps."""

    id = CharField(primary_key=True)
    root = ForeignKeyField(Client, column_name="root_id", on_delete="CASCADE", index=True)
    created_at = CharField()
    updated_at = CharField()
    deleted_at = CharField(null=True)


class Goal(Entity):
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    description = TextField(default="")
    category = CharField(default="")
    status = CharField(default="active", constraints=[one_of("status", GOAL_STATUSES)])
    progress = IntegerField(default=0, constraints=[percent("progress")])
    progress_mode = CharField(
        default="derived", constraints=[one_of("progress_mode", PROGRESS_MODES)]
    )
    target_date = CharField(null=True, constraints=[iso_date("target_date")])

    class Meta:
        table_name = "client_goals"


class Outcome(Entity):
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    description = TextField(default="")
    status = CharField(default="active", constraints=[one_of("status", OUTCOME_STATUSES)])
    progress_percentage = IntegerField(default=0, constraints=[percent("progress_percentage")])
    progress_mode = CharField(
        default="derived", constraints=[one_of("progress_mode", PROGRESS_MODES)]
    )
    target_date = CharField(null=True, constraints=[iso_date("target_date")])
    order_index = IntegerField(default=0)

    class Meta:
        table_name = "targets"


class Sprint(Entity):
    sprint_number = IntegerField(constraints=[Check("sprint_number > 0")])
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    description = TextField(default="")
    start_date = CharField(constraints=[iso_date("start_date")])
    end_date = CharField(constraints=[iso_date("end_date")])
    status = CharField(default="planning", constraints=[one_of("status", SPRINT_STATUSES)])

    class Meta:
        table_name = "sprints"
        constraints = [Check("end_date >= start_date")]


class CoachingSession(Entity):
    held_on = CharField(constraints=[iso_date("held_on"), Check("held_on IS NOT NULL")])
    title = CharField(default="")
    notes = TextField(default="")

    class Meta:
        table_name = "coaching_sessions"


class Commitment(Entity):
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    description = TextField(default="")
    type = CharField(default="commitment", constraints=[one_of("type", COMMITMENT_TYPES)])
    status = CharField(default="active", constraints=[one_of("status", COMMITMENT_STATUSES)])
    priority = CharField(default="medium", constraints=[one_of("priority", PRIORITIES)])
    start_date = CharField(null=True, constraints=[iso_date("start_date")])
    target_date = CharField(null=True, constraints=[iso_date("target_date")])
    completed_date = CharField(null=True, constraints=[iso_date("completed_date")])
    progress_percentage = IntegerField(default=0, constraints=[percent("progress_percentage")])
    session = ForeignKeyField(
        CoachingSession, column_name="session_id", null=True, on_delete="SET NULL", index=True
    )

    class Meta:
        table_name = "commitments"
        constraints = [
            Check("target_date IS NULL OR start_date IS NULL OR target_date >= start_date")
        ]


class LinkBase(BaseModel):
    id = CharField(primary_key=True)
    root = ForeignKeyField(Client, column_name="root_id", on_delete="CASCADE", index=True)
    # How much this child counts toward that parent in the progress roll-up.
    weight = FloatField(default=1.0, constraints=[Check("weight > 0")])
    created_at = CharField()


class TargetGoalLink(LinkBase):
    target = ForeignKeyField(Outcome, column_name="target_id", on_delete="CASCADE", index=True)
    goal = ForeignKeyField(Goal, column_name="goal_id", on_delete="CASCADE", index=True)

    class Meta:
        table_name = "target_goal_links"
        indexes = ((("target", "goal"), True),)


class TargetSprintLink(LinkBase):
    target = ForeignKeyField(Outcome, column_name="target_id", on_delete="CASCADE", index=True)
    sprint = ForeignKeyField(Sprint, column_name="sprint_id", on_delete="CASCADE", index=True)

    class Meta:
        table_name = "target_sprint_links"
        indexes = ((("target", "sprint"), True),)


class CommitmentTargetLink(LinkBase):
    commitment = ForeignKeyField(
        Commitment, column_name="commitment_id", on_delete="CASCADE", index=True
    )
    target = ForeignKeyField(Outcome, column_name="target_id", on_delete="CASCADE", index=True)

    class Meta:
        table_name = "commitment_target_links"
        indexes = ((("commitment", "target"), True),)


class NodePosition(BaseModel):
    """Where the user put an item in the graph; items without a row are laid out automatically."""

    item_id = CharField(primary_key=True)
    root = ForeignKeyField(Client, column_name="root_id", on_delete="CASCADE", index=True)
    x = FloatField()
    y = FloatField()
    updated_at = CharField()

    class Meta:
        table_name = "node_positions"


class AuditLog(BaseModel):
    id = AutoField()
    at = CharField()
    action = CharField()
    entity = CharField()
    entity_id = CharField(index=True)
    # Not a foreign key: the log must outlive a purged client.
    root_id = CharField(null=True, index=True)
    before = TextField(null=True)
    after = TextField(null=True)
    # The user action (store.audit.operation) this row is one step of, and its words
    # ("Delete 8 items"). On the row itself, not in a table of operations: an operation exists
    # only through its rows, so there is no empty one to keep. NULL on rows written before
    # schema 2, when each row was its own action.
    operation_id = CharField(null=True, index=True)
    operation_label = CharField(null=True)

    class Meta:
        table_name = "audit_log"


def root_column(model: type[BaseModel]):
    """The column naming a row's client, for `WHERE root_id = ?`: the `root` foreign key of
    every hierarchy table, `root_id` itself on clients (equal to the id) and the audit log."""
    fields = model._meta.fields
    return fields["root"] if "root" in fields else fields["root_id"]


KIND_MODELS: dict[str, type[BaseModel]] = {
    "client": Client,
    "goal": Goal,
    "outcome": Outcome,
    "sprint": Sprint,
    "commitment": Commitment,
    "session": CoachingSession,
}
ITEM_KINDS = ("goal", "outcome", "sprint", "commitment", "session")

# link kind (graph/model.py names) -> (model, upper field name, lower field name)
LINK_MODELS: dict[str, tuple[type[LinkBase], str, str]] = {
    "outcome_goal": (TargetGoalLink, "goal", "target"),
    "outcome_sprint": (TargetSprintLink, "target", "sprint"),
    "commitment_outcome": (CommitmentTargetLink, "target", "commitment"),
}

ALL_MODELS = [
    Client,
    Goal,
    Outcome,
    Sprint,
    CoachingSession,
    Commitment,
    TargetGoalLink,
    TargetSprintLink,
    CommitmentTargetLink,
    NodePosition,
    AuditLog,
]


def live_unique(model, *columns: str):
    """A partial unique index: unique among rows not in the trash."""
    fields = [getattr(model, c) for c in columns]
    name = live_unique_name(model._meta.table_name, columns)
    return model.index(*fields, unique=True, name=name).where(SQL("deleted_at IS NULL"))


def live_unique_name(table: str, columns: tuple[str, ...]) -> str:
    return f"{table}_live_{'_'.join(columns)}"


CLIENT_NAME_INDEX = live_unique_name("clients", ("name",))

for _model, _columns in (
    (Client, ("name",)),
    (Goal, ("root", "title")),
    (Sprint, ("root", "sprint_number")),
):
    _model.add_index(live_unique(_model, *_columns))
# Composite indexes for the scoped queries the app runs: live rows of one client.
for _model in (Goal, Outcome, Sprint, Commitment, CoachingSession):
    _model.add_index(_model.root, _model.deleted_at)
AuditLog.add_index(AuditLog.root_id, AuditLog.at)


def create_schema(db) -> None:
    """Create every table and index (new database only)."""
    with db.atomic():
        db.create_tables(ALL_MODELS)


# The tables of schema 1, the first released one: a file of any version has at least these.
# Their columns are checked against the models for the current version only; an older file is
# checked again, whole, once a restore has migrated its copy.
FIRST_TABLES = (
    "clients",
    "client_goals",
    "targets",
    "sprints",
    "coaching_sessions",
    "commitments",
    "target_goal_links",
    "target_sprint_links",
    "commitment_target_links",
    "node_positions",
    "audit_log",
)


def expected_schema(version: int) -> dict[str, set[str]]:
    """Table -> the columns a Trellis file at `version` must have (see FIRST_TABLES)."""
    if version < SCHEMA_VERSION:
        return {table: set() for table in FIRST_TABLES}
    return {
        model._meta.table_name: {field.column_name for field in model._meta.sorted_fields}
        for model in ALL_MODELS
    }


def schema() -> sqlite.Schema:
    """What a file must be to be ours, for store.sqlite.identify_file (read at call time, so a
    test that stands in another SCHEMA_VERSION is seen)."""
    return sqlite.Schema(SCHEMA_VERSION, expected_schema, tuple(ALL_MODELS))


# ---------------------------------------------------------------- what the proxy points at


def is_open() -> bool:
    """Whether the store has a database open now."""
    return database.obj is not None and not database.obj.is_closed()


def current_path() -> Path | None:
    """The file the store is (or was last) bound to, or None before the first open and when
    it is bound to a team database (a server has no file of ours: see team_url)."""
    bound = database.obj
    if bound is None or not bound.database or is_team():
        return None
    return Path(bound.database)


def is_team() -> bool:
    """Whether the store is bound to a team database on PostgreSQL."""
    return isinstance(database.obj, postgres.TrellisPostgres)


def team_url() -> str | None:
    """The team database's URL without its password (store.postgres.describe), or None."""
    return postgres.describe(database.obj.database) if is_team() else None
