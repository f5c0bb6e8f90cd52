"""The team database: one PostgreSQL database a coaching practice shares, each coach seeing
only their own clients.

Coaches are PostgreSQL roles, members of `trellis_coach`; administrators are members of
`trellis_admin` (or own the tables). `client_coaches` says which coach may see which client —
the one table keyed by a person; every other table is scoped by `root_id` — and a row-level
security policy on every table asks it, so a coach's own `psql` session can neither read nor
write another coach's rows. A coach who creates a client is its coach at once (a trigger).

Every write notifies `trellis_changes` with the client's id, so an open window follows other
writers (LISTEN/NOTIFY, no polling of tables): `Listener`.
"""

from __future__ import annotations

import peewee

from store import models, postgres

COACH_ROLE = "trellis_coach"
ADMIN_ROLE = "trellis_admin"
CHANNEL = "trellis_changes"

# Tables scoped by root_id (all of ours but the audit log, whose root_id may be NULL).
SCOPED_TABLES = tuple(
    model._meta.table_name for model in models.ALL_MODELS if model is not models.AuditLog
)
AUDIT_TABLE = models.AuditLog._meta.table_name

ROLES = f"""
DO $$ BEGIN
    CREATE ROLE {COACH_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
    CREATE ROLE {ADMIN_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
"""

# Which coach may see which client. Deferred foreign key: the trigger below adds the creating
# coach in the same statement that adds the client.
CLIENT_COACHES = """
CREATE TABLE client_coaches (
    root_id text NOT NULL REFERENCES clients (id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    coach text NOT NULL,
    PRIMARY KEY (root_id, coach)
);
CREATE INDEX client_coaches_coach ON client_coaches (coach, root_id);
"""

# Who wrote each audit row: the coach's role (a team database's own column; a file has one
# person). Set by a trigger from session_user, so a coach cannot write another's name.
AUDIT_ACTOR_COLUMN = f"""
ALTER TABLE "{AUDIT_TABLE}" ADD COLUMN actor text NOT NULL DEFAULT session_user;
"""

# SECURITY DEFINER: the policies ask client_coaches, which a coach may not read directly. Their
# search_path is pinned (pg_catalog, public), so the tables are public's: current_schema() inside
# them is pg_catalog, which made the owner's test NULL for everyone (never true).
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION trellis_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT pg_has_role(session_user, '{ADMIN_ROLE}', 'member')
        OR coalesce(pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                               WHERE tablename = 'clients'
                                                 AND schemaname = 'public'), 'member'), false)
$$;
CREATE OR REPLACE FUNCTION trellis_may_see(root text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT trellis_is_admin()
        OR EXISTS (SELECT 1 FROM client_coaches c WHERE c.root_id = root AND c.coach = session_user)
$$;
-- The same question for the clients table, VOLATILE so it takes a fresh snapshot: a STABLE
-- function sees the table as the statement began, so INSERT … RETURNING of a new client (as
-- Peewee writes every insert) would not see the coach row its trigger has just added, and
-- the new client would fail its own read policy.
CREATE OR REPLACE FUNCTION trellis_may_see_client(root text) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT trellis_is_admin()
        OR EXISTS (SELECT 1 FROM client_coaches c WHERE c.root_id = root AND c.coach = session_user)
$$;
-- An audit row names the role that wrote it, whatever the INSERT says.
CREATE OR REPLACE FUNCTION trellis_audit_actor() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.actor := session_user;
    RETURN NEW;
END $$;
-- Before the row, so INSERT … RETURNING reads it back; only for an id no client has, or
-- INSERT … ON CONFLICT DO NOTHING with another coach's client id would make its writer that
-- client's coach (the trigger fires, the insert is then skipped). An administrator sees every
-- client anyway: one who makes a client (or copies a practice in) gives it to coaches after.
CREATE OR REPLACE FUNCTION trellis_coach_new_client() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM clients WHERE id = NEW.id) AND NOT trellis_is_admin() THEN
        INSERT INTO client_coaches (root_id, coach) VALUES (NEW.id, session_user)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION trellis_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', coalesce(
        CASE WHEN TG_OP = 'DELETE' THEN OLD.root_id ELSE NEW.root_id END, ''));
    RETURN NULL;
END $$;
"""


def policy_sql(table: str) -> str:
    """Row-level security on `table`: a coach reads and writes only their clients' rows."""
    visible = "trellis_may_see(root_id)"
    if table == "clients":
        visible = "trellis_may_see_client(id)"
    if table == AUDIT_TABLE:
        # A row of no client (an import's summary names the clients it brought) is its
        # writer's and the administrators'.
        visible = (
            "(CASE WHEN root_id IS NULL THEN actor = session_user OR trellis_is_admin() "
            "ELSE trellis_may_see(root_id) END)"
        )
    # A new client is nobody's until its row exists: anyone who may insert may add one (the
    # trigger then makes them its coach); every other row must belong to a client they see.
    insert_check = "true" if table == "clients" else visible
    return f"""
ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
CREATE POLICY coach_reads ON "{table}" FOR SELECT USING ({visible});
CREATE POLICY coach_inserts ON "{table}" FOR INSERT WITH CHECK ({insert_check});
CREATE POLICY coach_updates ON "{table}" FOR UPDATE USING ({visible}) WITH CHECK ({visible});
CREATE POLICY coach_deletes ON "{table}" FOR DELETE USING ({visible});
CREATE TRIGGER trellis_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}"
    FOR EACH ROW EXECUTE FUNCTION trellis_notify();
"""


def privileges_sql() -> str:
    """What a coach may do at all (RLS then narrows it to their rows)."""
    tables = ", ".join(f'"{t}"' for t in SCOPED_TABLES)
    # The audit log is append-only for a coach: what they did stays said.
    return f"""
GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {COACH_ROLE};
GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {COACH_ROLE};
GRANT SELECT ON {postgres.META_TABLE} TO {COACH_ROLE};
GRANT SELECT ON client_coaches TO {ADMIN_ROLE};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {COACH_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ADMIN_ROLE};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ADMIN_ROLE};
"""


def create_schema(db: peewee.Database) -> None:
    """Make an empty server database a Trellis team database, in one transaction: the tables
    (the same models, CHECKs and indexes as a file), the coaches' table, row-level security on
    every table, notifications, and the schema version."""
    with db.atomic():
        postgres.prepare(db)
        for model in models.ALL_MODELS:
            # Made through `db` itself: the models may be bound to another database just now
            # (trellis copy writes into a second one).
            peewee.SchemaManager(model, db).create_all()
        postgres.text_columns(db)
        db.execute_sql(ROLES)
        db.execute_sql(AUDIT_ACTOR_COLUMN)
        db.execute_sql(CLIENT_COACHES)
        db.execute_sql(FUNCTIONS)
        for table in (*SCOPED_TABLES, AUDIT_TABLE):
            db.execute_sql(policy_sql(table))
        db.execute_sql(
            "CREATE TRIGGER trellis_coach_new_client BEFORE INSERT ON clients "
            "FOR EACH ROW EXECUTE FUNCTION trellis_coach_new_client()"
        )
        db.execute_sql(
            f'CREATE TRIGGER trellis_audit_actor BEFORE INSERT ON "{AUDIT_TABLE}" '
            "FOR EACH ROW EXECUTE FUNCTION trellis_audit_actor()"
        )
        postgres.stamp(db, models.SCHEMA_VERSION)
        db.execute_sql(privileges_sql())


# ---------------------------------------------------------------- following other writers

_listeners: dict[int, Listener] = {}


class Listener:
    """A second connection that LISTENs on the change channel. `changed()` says which clients
    other sessions wrote since it was last asked (the store's own writes are left out)."""

    def __init__(self, db: peewee.Database):
        import psycopg  # only a team database needs the driver

        own = db.connection()
        self.own_pid = own.info.backend_pid
        self.conn = psycopg.connect(own.info.dsn, password=own.info.password, autocommit=True)
        self.conn.execute(f"LISTEN {CHANNEL}")
        self.count = 0

    def fileno(self) -> int:
        """The socket to watch (a Qt socket notifier wakes the app when it is readable)."""
        return self.conn.pgconn.socket

    def changed(self) -> set[str]:
        """Client ids other sessions changed since the last call (no waiting)."""
        roots = set()
        for note in self.conn.notifies(timeout=0):
            if note.pid != self.own_pid:
                roots.add(note.payload)
        self.count += len(roots)
        return roots

    def close(self) -> None:
        self.conn.close()


def listener(db: peewee.Database) -> Listener:
    """The listener for the open team connection (made on first use)."""
    key = id(db.connection())
    if key not in _listeners:
        close_listeners()
        _listeners[key] = Listener(db)
    return _listeners[key]


def close_listeners() -> None:
    """Close the listening connection (the store closed or changed its database)."""
    for old in _listeners.values():
        old.close()
    _listeners.clear()


def data_version(db: peewee.Database) -> int | None:
    """A number that changes when another session commits (store.opening.data_version)."""
    try:
        found = listener(db)
        found.changed()
        return found.count
    except Exception:  # the server is gone just now: ask again later
        return None


# ---------------------------------------------------------------- explaining the server

CONNECTION_EXPLANATIONS = (
    ("password authentication failed", "the server refused the password for {user}"),
    (
        "no password supplied",
        "the server wants a password for {user} (give it in ~/.pgpass, "
        "PGPASSWORD, or when Trellis asks)",
    ),
    ("does not exist", "there is no database {name} (or no role {user}) on {host}"),
    ("connection refused", "no PostgreSQL server answers at {host}"),
    ("no such file or directory", "no PostgreSQL server answers at {host}"),
    ("could not translate host name", "the host name {host} is unknown"),
    ("timeout", "the server at {host} did not answer in time"),
    ("permission denied", "{user} may not connect to {name}"),
)


def explain_connection_error(exc: BaseException, url: str) -> str:
    """One sentence for a failed connection, naming the database but never the password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = postgres.database_name(url)
    host = parts.hostname or "the local socket"
    user = parts.username or "your user"
    text = str(exc).lower()
    for fragment, reason in CONNECTION_EXPLANATIONS:
        if fragment in text:
            detail = reason.format(name=name, host=host, user=user)
            return f"Cannot open the team database {name}: {detail}. Nothing was changed."
    return f"Cannot open the team database {name}: {str(exc).strip().splitlines()[0]}."


# ---------------------------------------------------------------- a connection that dropped


def reconnect() -> None:
    """Connect the open team database again after its connection dropped (the server was
    restarted, the session ended): the same URL and password, a new listener. What was
    committed before is on the server; a transaction under way when it dropped was rolled
    back there. Raises TeamUnavailable (one sentence) while the server is still away."""
    server = models.database.obj
    if not isinstance(server, postgres.TrellisPostgres):
        return
    close_listeners()
    try:
        server.close()
    except Exception:  # the old connection is broken: closing it may fail, nothing to keep
        server._state.reset()
    try:
        server.connect()
    except peewee.DatabaseError as exc:
        from store.errors import TeamUnavailable

        raise TeamUnavailable(explain_connection_error(exc, server.database)) from exc
