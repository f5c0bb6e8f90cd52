"""The application icon: every PNG size we ship, so each window manager picks a crisp one."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon

import resources


def app_icon() -> QIcon:
    """One QIcon holding every rendered size (PNGs need no image-format plugin)."""
    icon = QIcon()
    for size in resources.ICON_SIZES:
        icon.addFile(str(resources.icon_path(size)), QSize(size, size))
    return icon


def install_app_icon(app: QGuiApplication) -> QIcon:
    """Give every window the Trellis icon and tie the app to trellis.desktop (Wayland's taskbar)."""
    icon = app_icon()
    app.setWindowIcon(icon)
    app.setDesktopFileName(resources.ICON_NAME)
    return icon
