"""A team database's URL is shown, logged and kept without its password, however it is given."""

from __future__ import annotations

import pytest

from store.postgres import TeamURL, database_name, describe, is_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://maya:s3cret@db.example:5433/practice", "postgresql://maya@db.example:5433/practice"),
        ("postgresql://maya@db.example/practice?password=s3cret&sslmode=require",
         "postgresql://maya@db.example/practice?sslmode=require"),
        ("postgres://:s3cret@/practice?host=/run/pg", "postgres:///practice?host=/run/pg"),
    ],
)  # fmt: skip
def test_a_url_is_described_without_its_password(url, shown):
    assert describe(url) == shown
    target = TeamURL(url)
    assert str(target) == shown and f"{target}" == shown and "s3cret" not in repr(target)
    assert target.url == url and target.name == "practice"


def test_only_postgresql_urls_name_a_team_database():
    assert is_url("postgresql://x@h/db") and is_url("postgres://h/db")
    assert not is_url("coach.db") and not is_url("C:/Users/coach.db") and not is_url(None)
    assert database_name("postgresql://h") == "the team database"
