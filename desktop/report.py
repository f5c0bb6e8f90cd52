"""The client report: one PDF a coach can send after a session.

store.report gathers what it shows (the client's goals with their progress over time, what
changed in the period, the commitments overdue and due next, the sprint running today); this
module draws it, with the graph as the window's scene draws it at the page's zoom: vectors, so
titles stay sharp on paper, and semantic zoom, so a big client shows its goals' cards.

Qt draws all of it: QPdfWriter for the file and QPainter for the charts, so the report needs no
new dependency, uses the app's own fonts, and the graph is drawn by the same scene as the
window's. User text goes through drawText as plain text, never as HTML, so '<b>' reads as
typed. A report only reads: nodes never placed are laid out in memory, not saved.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextOption,
)
from PySide6.QtWidgets import QApplication

from desktop.canvas.style import plain_font
from desktop.model.workspace import Workspace
from graph.commitments import CommitmentRow
from graph.digest import Digest, Period, lines
from graph.model import Hierarchy
from graph.progress_series import Point
from graph.rollup import percent
from store.collecting import paused_gc
from store.errors import ValidationError
from store.load import list_clients
from store.report import DUE_SOON_DAYS, GoalLine, Report, gather, seconds
from store.targets import refuse_unsafe_target, write_atomically

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
# Where Letter is the paper in the shops (the rest of the world uses A4).
LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Philippines,
        QLocale.Country.Venezuela,
        QLocale.Country.PuertoRico,
    }
)
LIST_LIMIT = 40  # entries per list (commitments, changes): a report is read, not searched
# Sizes in points (the writer draws at 72 dpi, so one unit is one point).
DPI = 72
MARGIN = 42.0
GAP = 6.0
CHART_W, CHART_H = 150.0, 34.0
# The level of detail a page shows is a screen's at this many times the page's scale: a
# screen pixel is 0.75 pt, and print is sharp enough for text half the size a screen needs.
PAPER_ZOOM = 2.0
HEADING_ROOM = 50.0  # a section heading and its rule
INK, MUTED, RULE, ACCENT = "#212529", "#6c757d", "#dee2e6", "#1c7ed6"


# ---------------------------------------------------------------- choices


def default_paper(locale: QLocale | None = None) -> str:
    """Letter where the locale's country uses it, else A4."""
    territory = (locale or QLocale.system()).territory()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def refuse_target(path: Path) -> None:
    """Refuse, before anything is read, a file a report must not be written over."""
    if Path(path).is_dir():
        raise ValidationError(f"{path} is a folder; give the report a file name ending in .pdf.")
    refuse_unsafe_target(path, "a report", "give the report a new file name ending in .pdf")


# ---------------------------------------------------------------- writing


def write_report(path: Path, root_id: str, period: Period, today: date, paper: str) -> Path:
    """Write the client's report as a PDF at `path`, whole or not at all."""
    refuse_target(path)
    with paused_gc():
        report = gather(root_id, period, today)
        scene = graph_scene(root_id, report.hierarchy, report.graph)
        return write_atomically(Path(path), lambda temp: draw_pdf(temp, report, scene, paper))


def draw_pdf(path: Path, report: Report, scene, paper: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle(f"{report.client}: client report, {report.today.isoformat()}")
    writer.setCreator("Trellis")
    margins = QMarginsF(MARGIN, MARGIN, MARGIN, MARGIN)
    layout = QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Orientation.Portrait, margins)
    writer.setPageLayout(layout)
    with painting(writer, path) as painter:
        page = Page(writer, painter)
        draw_heading(page, report)
        draw_goals(page, report)
        draw_digest(page, report.digest)
        draw_commitments(page, report)
        draw_sprints(page, report)
        draw_graph(page, scene)
    refuse_cut_short(path)


def refuse_cut_short(path: Path) -> None:
    """Raise when the file lacks the end every PDF has: Qt's writer says nothing when the disk
    fills, and a report cut short would be sent as if whole. (A stream, /dev/stdout, is not
    read back.)"""
    if not Path(path).is_file():
        return
    with open(path, "rb") as written:
        written.seek(max(0, written.seek(0, os.SEEK_END) - 64))
        if written.read().rstrip().endswith(b"%%EOF"):
            return
    full = shutil.disk_usage(Path(path).parent).free < 1 << 20
    if full:
        raise OSError(errno.ENOSPC, "the disk is full", str(path))
    raise OSError(errno.EIO, "the PDF could not be written whole", str(path))


@contextmanager
def painting(writer: QPdfWriter, path: Path) -> Iterator[QPainter]:
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Could not write {path}.")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        yield painter
    finally:
        painter.end()


class Page:
    """A cursor down the page: each block asks for its height and goes on a new page if the
    rest of this one is too short."""

    def __init__(self, writer: QPdfWriter, painter: QPainter):
        self.writer, self.painter = writer, painter
        self.number = 0  # of the page being drawn
        self.reset()

    def reset(self) -> None:
        """At the top of a new page (whose orientation may have changed)."""
        full = self.writer.pageLayout().paintRectPixels(DPI)
        self.area = QRectF(0, 0, full.width(), full.height())
        self.y = 0.0
        self.number += 1

    @property
    def width(self) -> float:
        return self.area.width()

    def room(self, height: float) -> None:
        if self.y + height > self.area.height() and self.y > 0:
            self.writer.newPage()
            self.y = 0.0
            self.number += 1

    def measure(self, text: str, font: QFont, width: float) -> float:
        self.painter.setFont(font)
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), text, wrapping()).height()

    def text(self, text: str, font: QFont, indent: float = 0.0, colour: str = INK) -> None:
        """Wrapped plain text across the page, then a small gap."""
        width = self.width - indent
        height = self.measure(text, font, width)
        self.room(height)
        self.write(QRectF(indent, self.y, width, height), text, font, colour)
        self.y += height + GAP / 2

    def write(self, rect: QRectF, text: str, font: QFont, colour: str = INK) -> None:
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        self.painter.drawText(rect, text, wrapping())

    def rule(self) -> None:
        self.painter.setPen(QPen(QColor(RULE), 0.8))
        self.painter.drawLine(QPointF(0, self.y), QPointF(self.width, self.y))
        self.y += GAP


@cache  # thousands of lines ask for the same few; a painter copies the font it is given
def font(size: float, bold: bool = False) -> QFont:
    """The app's own font at `size` points."""
    f = plain_font()
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


@cache
def wrapping() -> QTextOption:
    """Lines break between words, and inside a word wider than the line (a URL, a title of
    one long word), which would otherwise run off the page."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return option


def section(page: Page, title: str) -> None:
    page.y += GAP * 2
    page.room(60)  # a heading never sits alone at the foot of a page
    page.text(title, font(13, bold=True), colour=ACCENT)
    page.rule()


def draw_heading(page: Page, report: Report) -> None:
    page.text(report.client, font(20, bold=True))
    page.text(f"Client report, {report.today.isoformat()}", font(11), colour=MUTED)
    page.text(report.digest.period.label, font(10), colour=MUTED)
    page.rule()


def draw_goals(page: Page, report: Report) -> None:
    section(page, "Goals")
    if not report.goals:
        page.text("No goals yet.", font(10), colour=MUTED)
    for goal in report.goals:
        draw_goal(page, goal, report)


def draw_goal(page: Page, goal: GoalLine, report: Report) -> None:
    """Title and percentage, a bar, its outcomes; the chart beside them."""
    left = page.width - CHART_W - 18
    title = f"{goal.title}  {percent(goal.value)}"
    title_height = page.measure(title, font(11, bold=True), left)
    outcomes = [f"{name}: {percent(value)}" for name, value in goal.outcomes]
    heights = [page.measure(o, font(9), left - 12) for o in outcomes]  # each measured once:
    height = title_height + 10 + sum(h + 2 for h in heights)  # a big client has thousands
    # The whole goal on one page; one with more outcomes than a page holds goes on over the
    # next, its heading and chart at the top of the first.
    page.room(max(min(height, page.area.height() / 2), CHART_H + 14) + GAP)
    top, first_page = page.y, page.number
    page.write(QRectF(0, page.y, left, title_height), title, font(11, bold=True), INK)
    page.y += title_height
    draw_bar(page.painter, QRectF(0, page.y + 2, left, 5), goal.value)
    page.y += 11
    chart = QRectF(page.width - CHART_W, top + 2, CHART_W, CHART_H)
    draw_chart(page.painter, chart, goal, report)
    for line, line_height in zip(outcomes, heights, strict=True):
        page.room(line_height + 2)
        page.write(QRectF(12, page.y, left - 12, line_height), line, font(9), MUTED)
        page.y += line_height + 2
    if page.number == first_page:
        page.y = max(page.y, chart.bottom() + 12)
    page.y += GAP


def draw_bar(painter: QPainter, rect: QRectF, value: float) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#e9ecef"))
    painter.drawRoundedRect(rect, 2, 2)
    painter.setBrush(QColor(ACCENT))
    done = QRectF(rect.left(), rect.top(), rect.width() * max(0.0, min(value, 100.0)) / 100, 5)
    painter.drawRoundedRect(done, 2, 2)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def draw_chart(painter: QPainter, rect: QRectF, goal: GoalLine, report: Report) -> None:
    """The goal's progress over time as a step line, 0-100, with the sessions as ticks."""
    start, end = report.span

    def x(at: float) -> float:  # a time off the axis (a clock behind the log's): its nearer end
        return rect.left() + rect.width() * (min(max(at, start), end) - start) / (end - start)

    y = lambda v: rect.bottom() - rect.height() * v / 100  # noqa: E731
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor(RULE), 0.6))
    painter.drawRect(rect)
    painter.drawLine(QPointF(rect.left(), y(50)), QPointF(rect.right(), y(50)))
    painter.setPen(QPen(QColor(MUTED), 0.8))
    for held in report.sessions:
        if not start <= held <= end:
            continue
        at = x(held)
        painter.drawLine(QPointF(at, rect.bottom()), QPointF(at, rect.bottom() + 4))
    painter.setPen(QPen(QColor(ACCENT), 1.4))
    painter.drawPath(step_path(goal.series, end, x, y))
    painter.setFont(font(6.5))
    painter.setPen(QColor(MUTED))
    below = QRectF(rect.left(), rect.bottom() + 4, rect.width(), 9)
    first = datetime.fromtimestamp(start, UTC).date().isoformat()
    painter.drawText(below, int(Qt.AlignmentFlag.AlignLeft), first)
    painter.drawText(below, int(Qt.AlignmentFlag.AlignRight), "today")


def step_path(points: list[Point], end: float, x, y) -> QPainterPath:
    """The step line through `points` (`x`, `y` map time and value onto the chart); it breaks
    where the goal was not live."""
    path = QPainterPath()
    drawing = False
    for point, until in steps(points, end):
        if point.value is None:
            drawing = False
            continue
        here = QPointF(x(seconds(point.at)), y(point.value))
        if drawing:
            path.lineTo(here)  # the step up or down from the value before
        else:
            path.moveTo(here)
        path.lineTo(QPointF(x(until), here.y()))
        drawing = True
    return path


def steps(points: list[Point], end: float) -> list[tuple[Point, float]]:
    """Each point with the time its value holds until (the next point, or the axis' end)."""
    if not points:  # no value yet (a log whose times are later than this clock)
        return []
    ends = [seconds(p.at) for p in points[1:]] + [end]
    return list(zip(points, ends, strict=True))


def draw_digest(page: Page, d: Digest) -> None:
    section(page, d.period.label)
    for heading, entries in digest_sections(lines(d)[1:]):  # [0] repeats client and period
        page.text(heading, font(10, bold=True))
        for entry in entries[:LIST_LIMIT]:
            page.text("• " + entry, font(9.5), indent=12)
        say_how_many_more(page, len(entries))


def say_how_many_more(page: Page, count: int) -> None:
    """Under a list cut at LIST_LIMIT entries: how many it leaves out."""
    if count > LIST_LIMIT:
        page.text(f"… and {count - LIST_LIMIT:,} more", font(9.5), indent=12, colour=MUTED)


def digest_sections(text: list[str]) -> list[tuple[str, list[str]]]:
    """The digest's lines as (heading, its entries): a heading stands alone, each entry under
    it is indented ("  - ")."""
    out: list[tuple[str, list[str]]] = []
    for line in text:
        if line.startswith("  - ") and out:
            out[-1][1].append(line[4:])
        else:
            out.append((line, []))
    return out


def draw_commitments(page: Page, report: Report) -> None:
    section(page, "Commitments")
    for heading, rows in (
        (f"Overdue ({len(report.overdue)})", report.overdue),
        (f"Due in the next {DUE_SOON_DAYS} days ({len(report.due_next)})", report.due_next),
    ):
        page.text(heading, font(10, bold=True))
        for row in rows[:LIST_LIMIT]:
            page.text(commitment_text(row), font(9.5), indent=12)
        say_how_many_more(page, len(rows))
        if not rows:
            page.text("None.", font(9.5), indent=12, colour=MUTED)


def commitment_text(row: CommitmentRow) -> str:
    """'• Write agenda — due 2026-01-15 — for Weekly 1:1s'."""
    serves = "; ".join(o.title for o in row.outcomes)
    return f"• {row.title} — due {row.due}" + (f" — for {serves}" if serves else "")


def draw_sprints(page: Page, report: Report) -> None:
    section(page, "Current sprint")
    if report.sprint_note:
        page.text(report.sprint_note, font(10), colour=MUTED)
    for s in report.sprints:
        value = "" if s.value is None else f", {percent(s.value)}"
        page.text(f"{s.title}: {s.start} to {s.end}{value}", font(11, bold=True))
        for name in s.outcomes:
            page.text(f"• {name}", font(9.5), indent=12)


def draw_graph(page: Page, scene) -> None:
    """The graph on a page of its own (landscape when the drawing is wide), drawn as vectors
    at the page's scale with what reads there (glance.py): a small client's every title, a
    big one's goal cards with their progress and counts."""
    source = scene.nodes_rect().adjusted(-20, -20, 20, 20)
    if source.isEmpty():
        source = QRectF(0, 0, 400, 200)
    page.writer.setPageOrientation(best_orientation(page, source))  # from the next page on
    page.writer.newPage()
    page.reset()
    section(page, "The whole picture")
    room = QRectF(0, page.y, page.width, page.area.height() - page.y)
    for _ in range(2):  # the goal cards keep their size on paper: at the edges of a big client
        scale = min(room.width() / source.width(), room.height() / source.height(), 1.0)
        show_at_zoom(scene, source, scale * PAPER_ZOOM)
        source = with_cards(scene, source)  # they stick out of the nodes; fit them too
    scale = min(room.width() / source.width(), room.height() / source.height(), 1.0)
    target = QRectF(room.left(), room.top(), source.width() * scale, source.height() * scale)
    scene.render(page.painter, target, source)


def with_cards(scene, source: QRectF) -> QRectF:
    """`source` and every goal card shown at the scene's zoom."""
    for card in scene.cards.values():
        if card.box.isVisible():
            source = source.united(card.box.sceneBoundingRect())
    return source


def best_orientation(page: Page, source: QRectF) -> QPageLayout.Orientation:
    """The way up that draws `source` larger (the page is portrait here; a heading on top)."""
    across, down = page.width, page.area.height() - HEADING_ROOM
    upright = min(across / source.width(), down / source.height())
    turned = min((down + HEADING_ROOM) / source.width(), (across - HEADING_ROOM) / source.height())
    if turned > upright:
        return QPageLayout.Orientation.Landscape
    return QPageLayout.Orientation.Portrait


def show_at_zoom(scene, source: QRectF, scale: float) -> None:
    """Give the scene what a view at `scale` would show: every node's text when it reads,
    else the goals' cards (and, a little closer, the outcomes' large titles)."""
    from desktop.canvas.glance import CLOSE, MIDDLE

    scene.set_zoom(scale)
    if scene.level == CLOSE:
        scene.realize_in(source)
    elif scene.level == MIDDLE:
        scene.big_titles_in(source)


# ---------------------------------------------------------------- the graph


def graph_scene(root_id: str, h: Hierarchy, graph: nx.DiGraph | None = None):
    """The client's graph in the window's own scene (nodes never placed are laid out in
    memory: a report only reads); `graph`: `graph.build(h)`, if the caller has it."""
    from desktop.canvas.scene import GraphScene  # the scene module is big: only when drawing

    ws = Workspace()
    ws.clients = list_clients()
    ws.load_client(root_id, save=False, h=h, graph=graph)
    scene = GraphScene(ws)
    scene.rebuild()
    return scene


def ensure_application() -> QApplication:
    """The running QApplication, or one on the offscreen platform: a report shows no window,
    so it must work with no screen at all (ssh, cron, CI)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["trellis", "-platform", "offscreen"])
    return app
