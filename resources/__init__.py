"""Paths of the files Trellis ships (icon, .desktop entry), from a checkout or the frozen app.

Plain paths only, no Qt: the CLI, the smoke test and the build spec all ask here.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICON_NAME = "trellis"  # the freedesktop icon name the .desktop entry uses
DESKTOP_ENTRY = "trellis.desktop"


def resource_dir() -> Path:
    """The resources folder: beside this file from source, under `sys._MEIPASS` when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) / "resources" if bundle else Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    return resource_dir() / name


def icon_path(size: int | None = None) -> Path:
    """The SVG source icon, or the PNG rendered from it at `size` pixels square."""
    if size is None:
        return resource_path(f"icons/{ICON_NAME}.svg")
    return resource_path(f"icons/hicolor/{size}x{size}/apps/{ICON_NAME}.png")


def desktop_entry_path() -> Path:
    return resource_path(DESKTOP_ENTRY)


def required_files() -> list[Path]:
    """Every file the app needs at start-up; the smoke test refuses to pass without them."""
    return [icon_path(), *(icon_path(size) for size in ICON_SIZES), desktop_entry_path()]


def missing_resources() -> list[Path]:
    return [path for path in required_files() if not path.is_file()]
