"""File → Export graph image…: the whole graph as PNG or SVG, lanes and labels included."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from desktop.canvas.scene import GraphScene


def export_image(scene: GraphScene, path: str | Path) -> Path:
    """Write the whole graph as PNG or SVG (by the file's suffix)."""
    path = Path(path)
    was = scene.detail
    scene.set_detail(True)  # lanes and labels are part of the picture
    scene.route_all()
    for item_id in scene.nodes:
        scene.realize(item_id)
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    if source.isNull() or source.isEmpty():
        source = QRectF(0, 0, 400, 200)
    try:
        if path.suffix.lower() == ".svg":
            write_svg(scene, path, source)
        else:
            write_png(scene, path, source)
    finally:
        scene.set_detail(was)
    return path


def write_png(scene: GraphScene, path: Path, source: QRectF, scale: float = 2.0) -> None:
    size = QSize(int(source.width() * scale), int(source.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(QPointF(0, 0), QSizeF(size)), source)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write {path}.")


def write_svg(scene: GraphScene, path: Path, source: QRectF) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(QPointF(0, 0), source.size()))
    generator.setTitle("Trellis graph")
    generator.setDescription(f"{scene.ws.client_name()}: goals, outcomes, sprints, commitments")
    painter = QPainter(generator)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(QPointF(0, 0), source.size()), source)
    painter.end()
