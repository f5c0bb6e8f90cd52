"""A real PostgreSQL 16 server for the tests, from the `pgserver` wheel (no system service).

One server per test run, in a temporary folder, stopped when the run ends. Each test gets a
database of its own, made from a template that already holds the Trellis schema (CREATE
DATABASE … TEMPLATE copies it in milliseconds), so every test starts from an empty team database
exactly as `trellis --db postgresql://…` makes one.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pgserver
import psycopg

TEMPLATE = "trellis_template"

_server = None
_numbers = itertools.count(1)


def server():
    """The run's server (started on first use)."""
    global _server
    if _server is None:
        folder = Path(tempfile.mkdtemp(prefix="trellis-pg-"))
        _server = pgserver.get_server(folder, cleanup_mode="delete")
        # A test server's data is thrown away: skip the disk flushes that make commits slow.
        for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
            _server.psql(f"ALTER SYSTEM SET {setting};")
        _server.psql("SELECT pg_reload_conf();")
        make_template()
    return _server


def url(database: str = "postgres", user: str = "postgres") -> str:
    """A URL for `database` as `user` on the test server (a Unix socket, no password)."""
    base = server().get_uri(database)
    return base.replace("postgres:@", f"{user}:@", 1)


def admin_connection(database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(url(database), autocommit=True)


def make_template() -> None:
    """The template database, holding the schema the store makes in an empty database."""
    from store.opening import close_database, open_database

    with admin_connection() as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    open_database(url(TEMPLATE))
    close_database()


def new_database(empty: bool = False) -> str:
    """A fresh database of this test's own; its URL. `empty`: no schema yet (as a new server
    database is before Trellis first opens it)."""
    name = f"t{next(_numbers)}"
    template = "template0" if empty else TEMPLATE
    with admin_connection() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return url(name)


def drop_database(database_url: str) -> None:
    """Drop a test's database, ending any session still connected to it."""
    name = urlsplit(database_url).path.lstrip("/")
    with admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
