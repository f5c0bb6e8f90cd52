"""Every user setting Trellis remembers, declared once: key, default and type.

The rest of the app reads and writes settings only through `get` and `put`, so a key is
never spelled twice and a renamed key cannot leave a stale copy behind.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Trellis"
APPLICATION = "Trellis"


class Setting(NamedTuple):  # not a dataclass: importing dataclasses delays the first window
    """One QSettings key with the value to use when it was never written."""

    key: str
    default: Any
    kind: type


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Setting("window/state", QByteArray(), QByteArray)
MAIN_SPLITTER = Setting("window/main_splitter", QByteArray(), QByteArray)
LEFT_SPLITTER = Setting("window/left_splitter", QByteArray(), QByteArray)
RIGHT_SPLITTER = Setting("window/right_splitter", QByteArray(), QByteArray)
LAST_DATABASE = Setting("files/last_database", "", str)
LAST_CLIENT = Setting("files/last_client", "", str)
LAST_CLIENT_NAME = Setting("files/last_client_name", "", str)  # said while it loads
LAST_FOLDER = Setting("files/last_folder", "", str)
HIDE_COMPLETED = Setting("view/hide_completed", False, bool)
OVERVIEW_MAP = Setting("view/overview_map", True, bool)

ALL = (
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    MAIN_SPLITTER,
    LEFT_SPLITTER,
    RIGHT_SPLITTER,
    LAST_DATABASE,
    LAST_CLIENT,
    LAST_CLIENT_NAME,
    LAST_FOLDER,
    HIDE_COMPLETED,
    OVERVIEW_MAP,
)


def store() -> QSettings:
    """The settings file: INI in the user's config dir (tests redirect it with setPath)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def get(setting: Setting) -> Any:
    """The saved value, or the default when missing or unreadable."""
    value = store().value(setting.key, setting.default)
    if setting.kind is bool:
        # INI files give booleans back as the strings "true"/"false".
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if setting.kind is QByteArray:
        return value if isinstance(value, QByteArray) else setting.default
    return setting.kind(value) if value is not None else setting.default


def put(setting: Setting, value: Any) -> None:
    """Remember a value for the next start."""
    store().setValue(setting.key, value)
