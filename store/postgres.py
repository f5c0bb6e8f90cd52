"""Everything that is PostgreSQL's own: the team database a coaching practice shares.

The same models, rules and promises as the local file (store.sqlite is its counterpart): here
are the connection (psycopg 3 through Peewee), how a server database is recognised as ours
(a `trellis_meta` row holds the schema version, as `user_version` does in a file), the SQL of
the CHECKs PostgreSQL writes differently, and the DDL that only a server has (row-level
security, roles, notifications: store.team).

A URL names the database: `postgresql://coach@host/practice`. Passwords come the libpq way
(`~/.pgpass`, `PGPASSWORD`, or `password=` given to `connect`); `describe` is the one way a
URL is shown or logged, and it never carries a password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit

import peewee
from peewee import PostgresqlDatabase

from store.errors import FileRefused, TeamUnavailable, error_chain

URL_SCHEMES = ("postgresql", "postgres")

# Our mark in a server database: a table of our own, with the schema version in it.
META_TABLE = "trellis_meta"

# The CHECK that a text column holds NULL or a real calendar date written YYYY-MM-DD. A
# function, because a cast that fails raises instead of answering false.
CALENDAR_DATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION trellis_calendar_date(value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN value ~ '^\d{4}-\d{2}-\d{2}$' AND to_char(value::date, 'YYYY-MM-DD') = value;
EXCEPTION WHEN others THEN
    RETURN false;
END $$
"""


def is_url(target: object) -> bool:
    """Whether `target` (a --db value) names a PostgreSQL database rather than a file."""
    return isinstance(target, str) and urlsplit(target).scheme in URL_SCHEMES


class TeamURL(str):
    """A --db value naming a team database. It prints without its password (describe); `url`
    is the whole URL, for connecting. `name`, `exists` and `is_dir` answer as a file's path
    does, so a command that names its database reads the same for both."""

    @property
    def url(self) -> str:
        return str.__str__(self)

    @property
    def name(self) -> str:
        return database_name(self.url)

    def exists(self) -> bool:
        return True  # the server says otherwise when connecting, in a sentence of its own

    def is_dir(self) -> bool:
        return False

    def __str__(self) -> str:
        return describe(self.url)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"TeamURL({str(self)!r})"


def database_target(text: str):
    """A --db value: a TeamURL for a postgresql:// URL, else the path of a file."""
    from pathlib import Path

    return TeamURL(text) if is_url(text) else Path(text)


def full_url(target: object) -> str:
    """The URL to connect with (a TeamURL's whole URL, or the string itself)."""
    return target.url if isinstance(target, TeamURL) else str(target)


def describe(url: str) -> str:
    """The URL as it may be shown, logged or kept in settings: without its password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    # libpq also takes the password as a query parameter (?password=…).
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"], safe="/"
    )
    # Written out, not urlunsplit: with no host that drops the '//' libpq needs.
    return f"{parts.scheme}://{user}{host}{port}{parts.path}" + (f"?{query}" if query else "")


def database_name(url: str) -> str:
    """The short name a message uses for the team database ("practice")."""
    return urlsplit(url).path.lstrip("/") or "the team database"


class TrellisPostgres(PostgresqlDatabase):
    """PostgreSQL as Trellis uses it: floats are double precision (a position or weight read
    back is the one written, as in SQLite), and DDL knows it is PostgreSQL's (calendar_date)."""

    field_types = {**PostgresqlDatabase.field_types, "FLOAT": "DOUBLE PRECISION"}

    def get_context_options(self):
        return {**super().get_context_options(), "backend": "postgres"}

    # A server that went away (stopped, restarted, our session ended) is TeamUnavailable with
    # one sentence, whichever statement met it first, so every caller that shows a refusal
    # shows that one (and the app offers to reconnect).

    def execute_sql(self, sql, params=None, *args, **kwargs):
        with said_when_lost(self.database):
            return super().execute_sql(sql, params, *args, **kwargs)

    def begin(self, *args, **kwargs):
        with said_when_lost(self.database):
            return super().begin(*args, **kwargs)

    def commit(self):
        with said_when_lost(self.database):
            return super().commit()

    def rollback(self):
        with said_when_lost(self.database):
            return super().rollback()


@contextmanager
def said_when_lost(url: str) -> Iterator[None]:
    try:
        yield
    except (peewee.OperationalError, peewee.InterfaceError) as exc:
        said = lost_server(exc, url)
        if said is None:
            raise
        raise TeamUnavailable(said) from exc


# How psycopg says the team database's server went away (stopped, restarted, our session ended).
LOST_SERVER = (
    "server closed the connection",
    "terminating connection",
    "connection refused",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "no connection to the server",
)


def lost_server(exc: BaseException, url: str | None) -> str | None:
    """The sentence for the team database at `url` that cannot be reached, or None for other
    errors."""
    text = " ".join(str(e) for e in error_chain(exc)).lower()
    if not any(fragment in text for fragment in LOST_SERVER):
        return None
    name = database_name(url) if url else "the team database"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "the connection dropped"
    return (
        f"The team database {name} cannot be reached: {reason}; nothing after your last saved "
        "change was lost (reconnect with File → Reconnect)."
    )


def new_database(url: str, password: str | None = None) -> TrellisPostgres:
    """A Peewee database for the server database at `url` (not yet connected)."""
    extra = {"password": password} if password else {}
    return TrellisPostgres(url, prefer_psycopg3=True, autorollback=False, **extra)


def calendar_date(column: str) -> str:
    """The CHECK's SQL on PostgreSQL (store.sqlite.is_calendar_date is SQLite's)."""
    return f"{column} IS NULL OR trellis_calendar_date({column})"


# ---------------------------------------------------------------- is it a Trellis database?


def tables(db: peewee.Database) -> set[str]:
    """The tables in the schema the connection writes to (search_path's first)."""
    rows = db.execute_sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    ).fetchall()
    return {name for (name,) in rows}


def identify(db: peewee.Database, newest: int, url: str) -> int | None:
    """The schema version of the Trellis database `db` is connected to, None when it is empty;
    refuses a database of another program's and one from a newer Trellis."""
    found = tables(db)
    name = database_name(url)
    if not found:
        return None
    if META_TABLE not in found:
        shown = ", ".join(sorted(found)[:3])
        raise FileRefused(
            f"The PostgreSQL database {name} holds tables Trellis did not make ({shown}); "
            "give Trellis an empty database of its own.",
            reason="foreign",
        )
    row = db.execute_sql(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version > newest:
        raise FileRefused(
            f"The team database {name} was written by a newer Trellis (schema {version}); "
            "update Trellis to open it.",
            reason="newer",
        )
    return version


def stamp(db: peewee.Database, version: int) -> None:
    """Record the schema version (the counterpart of SQLite's user_version)."""
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)"
    )
    db.execute_sql(
        f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(int(version)),),
    )


def prepare(db: peewee.Database) -> None:
    """What the tables' CHECKs call; run before the tables are made."""
    db.execute_sql(CALENDAR_DATE_FUNCTION)


def text_columns(db: peewee.Database) -> None:
    """Make every varchar column text: Peewee writes CharField as varchar(255), which SQLite
    ignores and PostgreSQL enforces, and a title the editors accept must fit both."""
    rows = db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'character varying'"
    ).fetchall()
    for table, column in rows:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text')


def current_role(db: peewee.Database) -> str:
    """The role this session acts as: the coach an audit row names."""
    return db.execute_sql("SELECT current_user").fetchone()[0]
