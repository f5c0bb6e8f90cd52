"""The files the app ships: present, the PNGs in step with the SVG, found again when frozen."""

from __future__ import annotations

import configparser
import sys

import pytest
from PySide6.QtGui import QImage

import resources
from resources.make_icons import render


def test_every_resource_the_app_needs_is_in_the_checkout():
    assert resources.missing_resources() == []


@pytest.mark.parametrize("size", resources.ICON_SIZES)
def test_png_icon_has_its_size_and_matches_the_svg(size):
    shipped = QImage(str(resources.icon_path(size))).convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
    )
    fresh = render(resources.icon_path(), size)
    assert (shipped.width(), shipped.height()) == (size, size)
    # Rendered by the same pinned Qt, so a stale PNG (the SVG edited, make_icons not run)
    # differs by far more than a rounding step.
    pairs = zip(bytes(shipped.constBits()), bytes(fresh.constBits()), strict=True)
    worst = max(abs(a - b) for a, b in pairs)
    assert worst <= 2


def test_icon_is_opaque_in_the_middle_and_transparent_in_the_corner():
    image = QImage(str(resources.icon_path(64)))
    assert image.pixelColor(32, 32).alpha() == 255
    assert image.pixelColor(0, 0).alpha() == 0


def test_frozen_app_looks_for_resources_in_its_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_dir() == tmp_path / "resources"
    assert resources.icon_path(16) == tmp_path / "resources/icons/hicolor/16x16/apps/trellis.png"
    assert resources.missing_resources() == resources.required_files()


def test_desktop_entry_launches_trellis_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in .desktop files
    entry.read(resources.desktop_entry_path(), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Trellis"
    assert section["Exec"].split()[0] == "Trellis"
    assert section["Terminal"] == "false"
    assert section["Icon"] == resources.ICON_NAME == resources.icon_path(48).stem
