"""PyInstaller hook for PySide6.QtGui: PyInstaller's own, less the plugins Trellis never loads.

Dropping them here (not after Analysis) keeps their library dependencies out too: the GTK 3
theme would pull in a GTK stack from the build machine that clashes with the user's, the
`generic` input plugins pull in QtNetwork and Kerberos, eglfs its own Qt libraries.
"""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Plugins for embedded devices (framebuffer, EGL full screen, VNC, evdev input) and the GTK 3
# theme; offscreen, xcb, wayland, minimal and the xdg-desktop-portal theme stay.
UNUSED = (
    "plugins/generic/",
    "plugins/egldeviceintegrations/",
    "plugins/platforms/libqeglfs.",
    "plugins/platforms/libqlinuxfb.",
    "plugins/platforms/libqminimalegl.",
    "plugins/platforms/libqvkkhrdisplay.",
    "plugins/platforms/libqvnc.",
    "plugins/platformthemes/libqgtk3.",
)


def is_unused(source: str) -> bool:
    return any(part in source.replace("\\", "/") for part in UNUSED)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if not is_unused(source)]
