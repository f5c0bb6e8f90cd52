"""Render the PNG icons from icons/trellis.svg with Qt itself, so the PNGs never drift by hand.

Run after editing the SVG and commit the PNGs: `.venv/bin/python resources/make_icons.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from resources import ICON_SIZES, icon_path  # noqa: E402  (needs the path above when run as a script)


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn antialiased onto a transparent square of `size` pixels."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def write_icons() -> list[Path]:
    written = []
    for size in ICON_SIZES:
        target = icon_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(icon_path(), size).save(str(target), "PNG"):
            raise OSError(f"Could not write {target}.")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(path)
