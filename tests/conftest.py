"""Run-wide test set-up: which tests run against both backends.

A test module marked `pytest.mark.both_backends` runs each test twice, on a SQLite file and on a
PostgreSQL team database (tests/postgres_server.py): the `backend` fixture says which, and the
store's `db` fixture opens that one.
"""

from __future__ import annotations

import os

import pytest

BACKENDS = ("sqlite", "postgres")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_backends: run each test on a SQLite file and on a PostgreSQL database"
    )


def pytest_generate_tests(metafunc):
    definition = metafunc.definition
    chosen = any(
        "backend" in str(marker.args[0]) for marker in definition.iter_markers("parametrize")
    )
    if "backend" in metafunc.fixturenames and definition.get_closest_marker("both_backends"):
        if not chosen:  # a test that names its own backend runs on that one only
            metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    """The backend this test runs on: "sqlite" unless its module runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def team_database():
    """A fresh PostgreSQL database with the Trellis schema; its URL (dropped afterwards)."""
    from store.opening import close_database
    from tests import postgres_server

    url = postgres_server.new_database()
    yield url
    close_database()
    postgres_server.drop_database(url)


@pytest.fixture(autouse=True, scope="session")
def own_user_data_folder(tmp_path_factory):
    """The run's own user data folder: a team database's backups (and anything else Trellis
    keeps there) never land in the real one of whoever runs the tests."""
    previous = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("user-data"))
    yield
    if previous is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = previous
