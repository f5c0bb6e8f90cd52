"""Before Qt opens a window on X11: which system libraries its xcb plugin needs are missing.

PySide6 brings Qt but not the X11 libraries Qt's xcb plugin links to. On a fresh Linux machine
without, say, libxcb-icccm4, Qt aborts with "Could not load the Qt platform plugin" and a hint
that names libxcb-cursor0 whatever is missing, and no window shows. So `trellis` asks first, in a
few milliseconds and before importing any Qt module: it reads the plugin's needed libraries
from its ELF header (following the Qt libraries PySide6 bundles), tries to load each system
one, and names the packages of those that do not load.

This module imports no Qt: it runs before Qt is loaded, and Qt itself is one of the things that
may not load.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

# Debian and Ubuntu packages by library file name: every system library the xcb plugin and the
# Qt libraries it pulls in link to (PySide6 6.11), and a few that other builds link to.
DEBIAN_PACKAGES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
}

SHT_DYNAMIC, DT_NULL, DT_NEEDED = 6, 0, 1


def will_use_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will open its window through X11 (xcb): Linux with a DISPLAY, and either
    QT_QPA_PLATFORM=xcb or no platform asked for outside a Wayland session (where Qt may pick
    Wayland and need none of this)."""
    if not platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked == "xcb"
    return not environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") != "wayland"


def qt_folder() -> Path | None:
    """PySide6's Qt folder, found without importing PySide6 (importing it loads Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def xcb_plugin(qt: Path, environ: Mapping[str, str]) -> Path:
    """The plugin Qt tries first: the one in QT_QPA_PLATFORM_PLUGIN_PATH if that holds one."""
    override = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if override and (Path(override) / "libqxcb.so").is_file():
        return Path(override) / "libqxcb.so"
    return qt / "plugins" / "platforms" / "libqxcb.so"


def elf_needed(path: Path) -> list[str]:
    """The DT_NEEDED entries (library file names) of a 64-bit little-endian ELF file.

    Read from the section headers, the way `readelf -d` does, so nothing is loaded or run.
    ValueError for a file of another shape.
    """
    with open(path, "rb") as f:
        head = f.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4:6] != b"\x02\x01":
            raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
        (section_table,) = struct.unpack_from("<Q", head, 0x28)
        entry_size, count = struct.unpack_from("<HH", head, 0x3A)
        f.seek(section_table)
        table = f.read(entry_size * count)
        # (name, type, flags, address, offset, size, link, info, alignment, entry size)
        sections = [struct.unpack_from("<IIQQQQIIQQ", table, i * entry_size) for i in range(count)]
        dynamic = next((s for s in sections if s[1] == SHT_DYNAMIC), None)
        if dynamic is None:
            return []
        f.seek(dynamic[4])
        entries = f.read(dynamic[5])
        strings_at = sections[dynamic[6]][4]
        return [read_string(f, strings_at + offset) for offset in needed_offsets(entries)]


def needed_offsets(entries: bytes) -> list[int]:
    offsets = []
    for tag, value in struct.iter_unpack("<qQ", entries[: len(entries) // 16 * 16]):
        if tag == DT_NULL:
            break
        if tag == DT_NEEDED:
            offsets.append(value)
    return offsets


def read_string(f, at: int) -> str:
    # Only the names are read, not the whole string table (a Qt library's is megabytes).
    f.seek(at)
    return f.read(256).split(b"\x00", 1)[0].decode("ascii", "replace")


def system_libraries(plugin: Path, bundled: Path) -> list[str]:
    """The system libraries `plugin` needs, directly or through the Qt libraries in `bundled`
    (which PySide6 ships, so they are followed, not checked)."""
    found: list[str] = []
    seen: set[str] = set()
    todo = elf_needed(plugin)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if (bundled / name).is_file():
            todo += elf_needed(bundled / name)
        else:
            found.append(name)
    return found


def can_load(soname: str) -> bool:
    """Whether the dynamic loader finds `soname` (and what it needs) as Qt's loader would."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(needed: Iterable[str], loads: Callable[[str], bool] = can_load) -> list[str]:
    """The libraries in `needed` that do not load, in order."""
    return [name for name in needed if not loads(name)]


def install_sentence(missing: list[str]) -> str:
    """One sentence naming what to install: the apt line, and the files for other systems."""
    packages = sorted({DEBIAN_PACKAGES.get(name, name) for name in missing})
    return (
        f"Trellis cannot open its window because these system libraries are missing: "
        f"{', '.join(missing)}; on Debian or Ubuntu install them with "
        f"`sudo apt install {' '.join(packages)}` (for Fedora and Arch see "
        f'"System packages" in the README).'
    )


def missing_window_libraries(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The system libraries Qt's window needs here and cannot load (empty if it needs none,
    all load, or there is no plugin file to read)."""
    if not will_use_xcb(environ):
        return []
    qt = qt_folder()
    if qt is None:
        return []
    plugin = xcb_plugin(qt, environ)
    try:
        needed = system_libraries(plugin, qt / "lib")
    except (OSError, ValueError, struct.error):
        return []  # Qt will say what it says; this check only ever adds a clearer sentence
    return missing_libraries(needed)
