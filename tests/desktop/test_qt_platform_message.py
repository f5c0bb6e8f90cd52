"""A Linux machine without the X11 libraries Qt's xcb plugin needs gets one sentence naming the
packages to install, not Qt's abort naming the wrong one (issue 11, item 16)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desktop.qt_platform import (
    DEBIAN_PACKAGES,
    elf_needed,
    install_sentence,
    missing_libraries,
    missing_window_libraries,
    qt_folder,
    system_libraries,
    will_use_xcb,
    xcb_plugin,
)
from tests.cli.conftest import REPO

QT = qt_folder()
PLUGIN = QT / "plugins" / "platforms" / "libqxcb.so"
# The three a fresh Debian or Ubuntu desktop most often lacks.
OFTEN_MISSING = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_missing_libraries_are_those_the_loader_cannot_load_in_order():
    found = {"libxcb.so.1", "libX11.so.6"}
    needed = ["libxcb.so.1", "libxcb-icccm.so.4", "libX11.so.6", "libxcb-keysyms.so.1"]
    assert missing_libraries(needed, loads=found.__contains__) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
    ]
    assert missing_libraries(needed, loads=lambda name: True) == []


def test_the_sentence_names_the_files_and_the_apt_line_of_their_packages():
    sentence = install_sentence(["libxcb-keysyms.so.1", "libxcb-icccm.so.4", "libxcb-cursor.so.0"])
    assert "libxcb-keysyms.so.1, libxcb-icccm.so.4, libxcb-cursor.so.0" in sentence
    assert "`sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1`" in sentence
    assert '"System packages" in the README' in sentence
    assert "\n" not in sentence and sentence.endswith(".")


def test_a_library_without_a_known_package_is_named_by_its_file_and_packages_are_not_repeated():
    sentence = install_sentence(["libglib-2.0.so.0", "libgthread-2.0.so.0", "libnew.so.9"])
    assert "`sudo apt install libglib2.0-0 libnew.so.9`" in sentence


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w-0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_the_libraries_are_checked_only_when_qt_will_draw_through_x11(environ, platform, expected):
    assert will_use_xcb(environ, platform) is expected


def test_the_real_plugin_needs_the_xcb_libraries_and_each_has_a_debian_package():
    needed = system_libraries(PLUGIN, QT / "lib")
    assert set(OFTEN_MISSING) <= set(needed)
    # Qt's own libraries ship with PySide6: followed for what they need, never reported
    assert not [name for name in needed if name.startswith("libQt6")]
    assert "libQt6XcbQpa.so.6" in elf_needed(PLUGIN)
    # A PySide6 upgrade that links a new library shows here, before a person meets it.
    assert [name for name in needed if name not in DEBIAN_PACKAGES] == []


def test_the_real_check_on_the_real_plugin_returns_library_file_names():
    needed = system_libraries(PLUGIN, QT / "lib")
    missing = missing_libraries(needed)
    assert isinstance(missing, list)
    assert all(isinstance(name, str) and name in needed for name in missing)
    # What Python itself runs on always loads.
    assert "libc.so.6" not in missing


def test_a_file_that_is_not_an_elf_library_is_refused_as_such(tmp_path):
    fake = tmp_path / "libqxcb.so"
    fake.write_bytes(b"#!/bin/sh\n" + b"\x00" * 100)
    with pytest.raises(ValueError, match="not a 64-bit little-endian ELF"):
        elf_needed(fake)
    # ...and start-up goes on to Qt, which says what it says, rather than stopping on a guess
    environ = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(tmp_path)}
    assert xcb_plugin(QT, environ) == fake
    assert missing_window_libraries(environ) == []


def plugin_needing(tmp_path, absent: str):
    """A copy of the real xcb plugin that links to `absent` instead of libxcb-cursor.so.0."""
    real = b"libxcb-cursor.so.0\x00"
    assert len(absent) == len(real) - 1
    data = PLUGIN.read_bytes()
    assert real in data
    folder = tmp_path / "platforms"
    folder.mkdir()
    (folder / "libqxcb.so").write_bytes(data.replace(real, absent.encode() + b"\x00"))
    return folder


def test_trellis_on_x11_without_a_library_says_what_to_install_and_exits_2(tmp_path):
    folder = plugin_needing(tmp_path, "libxcb-cursox.so.0")
    db = tmp_path / "new.db"
    drop = {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # A display nobody serves: the check must answer before Qt tries to connect.
    env |= {"DISPLAY": ":97", "QT_QPA_PLATFORM_PLUGIN_PATH": str(folder)}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("trellis: Trellis cannot open its window because these system ")
    assert "libxcb-cursox.so.0" in line and "sudo apt install" in line
    assert done.stdout == "" and not db.exists()


def test_the_same_machine_with_the_offscreen_platform_asks_for_nothing(tmp_path):
    folder = plugin_needing(tmp_path, "libxcb-cursox.so.0")
    environ = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(folder)}
    assert "libxcb-cursox.so.0" in missing_window_libraries(environ)
    assert missing_window_libraries(environ | {"QT_QPA_PLATFORM": "offscreen"}) == []
