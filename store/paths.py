"""Where Trellis keeps its files when the user does not say (platformdirs' user data dir)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Trellis"


def default_db_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "trellis.db"
