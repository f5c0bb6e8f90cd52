"""`trellis --smoke-test`: prove a build can start, headless, before anyone double-clicks it.

It checks what a frozen app most often lacks (a Qt platform plugin, the icon files) before
Qt gets a chance to abort, then does what a first run does: opens the real main window on a
new database in a temporary folder, accepts the sample workspace, draws the graph, and runs
the consistency check. Nothing outside the temporary folder is touched, settings included.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QSize

import resources
from desktop.icon import install_app_icon
from graph.check import ERROR
from graph.check import check as check_hierarchy
from store.load import load_hierarchy

EXIT_OK, EXIT_FAILED = 0, 1

# How a platform plugin's file is named on each system Qt runs on.
PLUGIN_FILE = {"darwin": "libq{}.dylib", "win32": "q{}.dll"}


class SmokeFailure(Exception):
    """One sentence saying which part of the app is broken."""


def run_smoke_test() -> int:
    """Start the app headless on a throw-away database; 0 when every part works."""
    try:
        require_platform_plugin()
        require_resources()
        with tempfile.TemporaryDirectory(prefix="trellis-smoke-") as folder:
            summary = exercise_app(Path(folder))
    except SmokeFailure as exc:
        print(f"trellis: smoke test failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # any crash is the answer the smoke test exists to give
        traceback.print_exc()
        print(f"trellis: smoke test failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Smoke test passed: {summary}.")
    return EXIT_OK


# ------------------------------------------------------------ before Qt starts


def requested_platforms() -> list[str]:
    """The platform plugins Qt will try: QT_QPA_PLATFORM ("a;b", options after ":") or default."""
    spec = os.environ.get("QT_QPA_PLATFORM", "")
    names = [part.split(":", 1)[0].strip() for part in spec.split(";")]
    return [name for name in names if name] or default_platforms()


def default_platforms() -> list[str]:
    if sys.platform == "darwin":
        return ["cocoa"]
    if sys.platform == "win32":
        return ["windows"]
    return ["wayland", "xcb"] if os.environ.get("WAYLAND_DISPLAY") else ["xcb"]


def plugin_folders() -> list[Path]:
    """Where Qt looks for platform plugins, in the order it looks."""
    folders = [Path(p) for p in os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep)]
    folders = [f for f in folders if str(f) not in ("", ".")]
    return folders + [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]


def plugin_file(platform: str) -> str:
    return PLUGIN_FILE.get(sys.platform, "libq{}.so").format(platform)


def find_plugin(platform: str, folders: list[Path]) -> Path | None:
    return next(
        (f / plugin_file(platform) for f in folders if (f / plugin_file(platform)).is_file()), None
    )


def require_platform_plugin() -> Path:
    """The first requested platform plugin that loads; without one Qt aborts with a core dump."""
    folders = plugin_folders()
    problems = []
    for platform in requested_platforms():
        found = find_plugin(platform, folders)
        if found is None:
            problems.append(f"the Qt platform plugin {platform!r} is missing")
            continue
        try:
            # Loading it as Qt will names a missing system library (libxcb-cursor0, say).
            ctypes.CDLL(str(found))
        except OSError as exc:
            problems.append(f"the Qt platform plugin {platform!r} cannot load ({exc})")
            continue
        return found
    looked = ", ".join(str(f) for f in folders) or "nowhere (Qt has no plugin path)"
    raise SmokeFailure(f"{'; '.join(problems)} (looked in {looked})")


def require_resources() -> None:
    missing = resources.missing_resources()
    if missing:
        names = ", ".join(str(path) for path in missing)
        raise SmokeFailure(f"{len(missing)} resource file(s) missing: {names}")


# ------------------------------------------------------------ the app itself


def exercise_app(folder: Path) -> str:
    """First run on `folder`: window, sample workspace, graph scene, check; returns a summary."""
    from desktop.app import make_application, open_main_window

    app = make_application()
    # The window saves its settings on close: keep them in the temporary folder.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    require_icon(app)
    window = open_main_window(folder / "trellis.db", offer_sample=lambda _parent: True)
    try:
        app.processEvents()
        drawn = require_drawing(window)
        errors = require_clean_check()
    finally:
        window.close()
        window.ws.close()
    platform = app.platformName()
    return f"{platform} platform, {len(window.ws.clients)} clients, {drawn} nodes drawn, {errors}"


def require_icon(app) -> None:
    icon = install_app_icon(app)
    sizes = {size.width() for size in icon.availableSizes()}
    unreadable = [s for s in resources.ICON_SIZES if icon.pixmap(QSize(s, s)).isNull()]
    if sizes != set(resources.ICON_SIZES) or unreadable:
        raise SmokeFailure(f"the application icon could not be loaded at sizes {unreadable}")


def require_drawing(window) -> int:
    """How many nodes the graph scene holds; the sample must give it some, and they must paint."""
    nodes = len(window.scene.nodes)
    if not window.ws.clients or nodes == 0:
        raise SmokeFailure("the sample workspace was not drawn: the graph scene is empty")
    if window.grab().isNull():
        raise SmokeFailure("the main window could not be painted")
    return nodes


def require_clean_check() -> str:
    """Run the consistency check over every client; the sample must have no errors."""
    findings = check_hierarchy(load_hierarchy())
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise SmokeFailure(f"check found {len(errors)} error(s), first: {errors[0].message}")
    return f"check: {len(findings)} findings, 0 errors"
