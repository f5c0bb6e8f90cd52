"""The timeline view on the sample workspace: sprints as bars (overlaps on rows of their own),
commitments at their due dates in their sprints' rows, findings outlined, clicks that select,
drags that change a sprint's dates as one undo step (refused ones put back), wheel zoom, Fit."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

from desktop.panels.timeline import DAY, ROW_H
from desktop.panels.timeline_data import FINDINGS, LABEL_PX, axis_ticks
from desktop.panels.timeline_marks import CHOSEN, STAMP_PX, Drawn, stamp
from graph.commitments import commitment_rows
from store import ops
from tests.desktop.helpers import LEFT, NO_MODS, item_id, show_client, snapshot

FLAGGED = "#e03131"


def open_view(window, client: str = "Maya Okafor"):
    show_client(window, client)
    view = window.views["timeline"]
    window.tabs.setCurrentWidget(view)
    return view


def bar(view, item: str) -> QGraphicsRectItem:
    (found,) = view.canvas.by_id[item]
    return found


def marks(view, item: str) -> list[Drawn]:
    return view.canvas.layer.of[item]


def centre(m: Drawn) -> QPointF:
    return QPointF(m.x, m.y)


def stamp_colour(m: Drawn):
    """The colour at the middle of the diamond the mark is drawn with."""
    return stamp(m.look, 1.0).toImage().pixelColor(int(STAMP_PX / 2), int(STAMP_PX / 2))


def chosen_box(view, m: Drawn) -> tuple[int, int]:
    """Width and height on screen of the dark outline drawn round a selected mark, read
    from the painted viewport around the mark's place."""
    image = view.canvas.viewport().grab().toImage()
    middle = at(view, centre(m))
    xs, ys = [], []
    reach = int(STAMP_PX)  # a stamp's width round the middle: no bar label is that near
    for x in range(max(middle.x() - reach, 0), min(middle.x() + reach, image.width())):
        for y in range(max(middle.y() - reach, 0), min(middle.y() + reach, image.height())):
            c = image.pixelColor(x, y)
            dark = abs(c.red() - CHOSEN.red()) + abs(c.green() - CHOSEN.green()) < 60
            if dark and c.blue() < 90:
                xs.append(x)
                ys.append(y)
    return (max(xs) - min(xs) + 1, max(ys) - min(ys) + 1) if xs else (0, 0)


def at(view, scene_point: QPointF) -> QPoint:
    return view.canvas.mapFromScene(scene_point)


def stored(window, sprint: str) -> tuple[str, str]:
    row = window.ws.row(sprint)
    return row["start_date"], row["end_date"]


def drag(view, start: QPoint, end: QPoint, steps: int = 5) -> None:
    """Press, move with the button held (real QMouseEvents to the viewport), release."""
    viewport = view.canvas.viewport()
    QTest.mousePress(viewport, LEFT, NO_MODS, start)
    for n in range(1, steps + 1):
        point = start + (end - start) * n / steps
        event = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            LEFT,
            NO_MODS,
        )
        QApplication.sendEvent(viewport, event)
    QTest.mouseRelease(viewport, LEFT, NO_MODS, end)


def days_right(view, days: int) -> QPoint:
    return QPoint(round(days * view.canvas.ppd()), 0)


def wheel(canvas, clicks: int, mods=NO_MODS) -> None:
    """Turn the wheel by `clicks` notches over the middle of the canvas (a real QWheelEvent)."""
    point = QPointF(canvas.viewport().rect().center())
    event = QWheelEvent(point, canvas.viewport().mapToGlobal(point), QPoint(0, 0),
                        QPoint(0, 120 * clicks), Qt.MouseButton.NoButton, mods,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(canvas.viewport(), event)


def test_sprints_are_bars_in_date_order_on_one_row_while_none_overlap(window):
    view = open_view(window)
    sprints = [item_id(window, f"Sprint {n}: {t}") for n, t in
               ((1, "Foundations"), (2, "Delegation and voice"), (3, "Roadmap month"))]  # fmt: skip
    bars = [bar(view, s) for s in sprints]
    assert {b.rect().top() for b in bars} == {bars[0].rect().top()}
    lefts = [b.rect().left() for b in bars]
    assert lefts == sorted(lefts)
    start, end = (date.fromisoformat(d) for d in stored(window, sprints[1]))
    assert bars[1].rect().width() == ((end - start).days + 1) * DAY


def test_overlapping_sprints_take_separate_rows_and_are_outlined_red(window):
    view = open_view(window)
    two, three = (
        item_id(window, "Sprint 2: Delegation and voice"),
        item_id(window, "Sprint 3: Roadmap month"),
    )
    start, _ = stored(window, two)
    window.ws.update(three, {"start_date": start})  # now inside sprint 2
    rows = {bar(view, s).rect().top() // ROW_H for s in (two, three)}
    assert len(rows) == 2
    assert {bar(view, s).pen().color().name() for s in (two, three)} == {FLAGGED}
    assert "overlap in time" in view.canvas.tip_of(three)


def test_commitments_are_marked_in_the_rows_of_the_sprints_they_reach(window):
    view = open_view(window)
    rows = commitment_rows(window.ws.graph, {}, date.today())
    free_row = max(b.rect().top() // ROW_H for b in map(lambda s: bar(view, s), sprint_ids(window)))
    for row in (r for r in rows if r.due):
        drawn = sorted(m.y // ROW_H for m in marks(view, row.id))
        wanted = sorted(bar(view, s.id).rect().top() // ROW_H for s in row.sprints)
        assert drawn == (wanted or [free_row + 1]), row.title
        due = date.fromisoformat(row.due)
        assert all(m.x == view.canvas.x_of(due) + DAY / 2 for m in marks(view, row.id))


def sprint_ids(window) -> list[str]:
    return [i.id for i in window.ws.live_items() if i.kind == "sprint"]


def test_overdue_commitments_are_red_and_completed_ones_faded(window):
    view = open_view(window)
    rows = commitment_rows(window.ws.graph, {}, date.today())
    overdue = next(r for r in rows if r.overdue)
    done = next(r for r in rows if r.status == "completed" and r.due)
    assert stamp_colour(marks(view, overdue.id)[0]).name() == FLAGGED
    assert "(overdue)" in view.canvas.tip_of(overdue.id)
    assert stamp_colour(marks(view, done.id)[0]).alphaF() < 0.5
    assert stamp_colour(marks(view, overdue.id)[0]).alphaF() == 1.0


def test_a_commitment_due_outside_its_sprints_is_outlined_red(window):
    view = open_view(window)
    rows = commitment_rows(window.ws.graph, {}, date.today())
    row = next(r for r in rows if r.sprints and r.due and not r.overdue)
    assert marks(view, row.id)[0].look.outline().color().name() != FLAGGED
    window.ws.update(row.id, {"target_date": "2031-01-01"})
    assert {m.look.outline().color().name() for m in marks(view, row.id)} == {FLAGGED}
    assert "outside every sprint" in view.canvas.tip_of(row.id)
    assert "commitment-outside-sprint" in FINDINGS


def test_clicking_a_bar_or_a_mark_selects_that_item(window):
    view = open_view(window)
    sprint = item_id(window, "Sprint 2: Delegation and voice")
    b = bar(view, sprint)
    view.canvas.centerOn(b.rect().center())
    QTest.mouseClick(view.canvas.viewport(), LEFT, NO_MODS, at(view, b.rect().center()))
    assert window.selection.ids == (sprint,)
    assert window.inspector.item_id == sprint
    row = next(r for r in commitment_rows(window.ws.graph, {}, date.today()) if r.due)
    mark = marks(view, row.id)[0]
    view.canvas.centerOn(centre(mark))
    QTest.mouseClick(view.canvas.viewport(), LEFT, NO_MODS, at(view, centre(mark)))
    assert window.selection.ids == (row.id,)
    assert view.canvas.layer.chosen == {row.id} and not b.isSelected()
    assert chosen_box(view, mark) != (0, 0)  # drawn outlined on top


def test_dragging_a_bar_moves_the_sprint_by_whole_days_as_one_undo_step(window):
    view = open_view(window)
    sprint = item_id(window, "Sprint 3: Roadmap month")
    before = stored(window, sprint)
    view.canvas.set_ppd(20)
    b = bar(view, sprint)
    view.canvas.centerOn(b.rect().center())
    middle = at(view, b.rect().center())
    steps = window.undo_stack.count()
    drag(view, middle, middle + days_right(view, 3) + QPoint(4, 0))  # a little past: snaps
    shifted = tuple((date.fromisoformat(d) + timedelta(days=3)).isoformat() for d in before)
    assert stored(window, sprint) == shifted
    assert window.undo_stack.count() == steps + 1
    assert bar(view, sprint).rect().left() == view.canvas.x_of(date.fromisoformat(shifted[0]))
    window.undo_stack.undo()
    assert stored(window, sprint) == before
    window.undo_stack.redo()
    assert stored(window, sprint) == shifted


def test_dragging_a_sprints_end_changes_only_its_end_date(window):
    view = open_view(window)
    sprint = item_id(window, "Sprint 3: Roadmap month")
    start, end = stored(window, sprint)
    view.canvas.set_ppd(20)
    b = bar(view, sprint)
    right = QPointF(b.rect().right() - 1, b.rect().center().y())
    view.canvas.centerOn(right)
    drag(view, at(view, right), at(view, right) + days_right(view, 5))
    assert stored(window, sprint) == (start, (date.fromisoformat(end) + timedelta(5)).isoformat())


def test_dragging_the_end_before_the_start_is_refused_and_the_bar_snaps_back(window):
    view = open_view(window)
    sprint = item_id(window, "Sprint 3: Roadmap month")
    start, end = stored(window, sprint)
    length = (date.fromisoformat(end) - date.fromisoformat(start)).days
    view.canvas.set_ppd(6)
    b = bar(view, sprint)
    rect, right = b.rect(), QPointF(b.rect().right() - 1, b.rect().center().y())
    view.canvas.centerOn(b.rect().center())
    before, steps = snapshot(), window.undo_stack.count()
    drag(view, at(view, right), at(view, right) - days_right(view, length + 10))
    assert "is before the start date" in view.notice.text()
    assert window.statusBar().currentMessage() == view.notice.text()
    assert bar(view, sprint).rect() == rect
    assert snapshot() == before and window.undo_stack.count() == steps


def test_wheel_zooms_the_date_axis_only_and_fit_shows_the_whole_client(window):
    view = open_view(window)
    canvas = view.canvas
    ppd, rows = canvas.ppd(), canvas.transform().m22()
    wheel(canvas, 2)
    assert canvas.ppd() > ppd * 1.3 and canvas.transform().m22() == rows
    QTest.mouseClick(view.fit_button, LEFT)
    assert abs(canvas.ppd() - ppd) < 1e-9
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert shown.left() <= canvas.sceneRect().left() + 1
    assert shown.right() >= canvas.sceneRect().right() - 1


def test_marks_keep_their_size_on_screen_at_every_zoom_and_stay_clickable(window):
    view = open_view(window)
    canvas = view.canvas
    row = next(r for r in commitment_rows(window.ws.graph, {}, date.today()) if r.due)
    mark = marks(view, row.id)[0]
    for ppd in (2.0, 40.0, 240.0):
        canvas.set_ppd(ppd)
        canvas.centerOn(centre(mark))
        window.selection.set([row.id], source=None)
        width, height = chosen_box(view, mark)
        assert 12 <= width <= 16 and 12 <= height <= 16, (ppd, width, height)
        window.selection.set([], source=None)
        if ppd >= 40:  # far out, marks a few days apart lie on one another
            QTest.mouseClick(canvas.viewport(), LEFT, NO_MODS, at(view, centre(mark)))
            assert window.selection.ids == (row.id,)
            window.selection.set([], source=None)


def test_sessions_and_today_are_lines_across_the_rows(window):
    view = open_view(window)
    lines = [i for i in view.canvas.scene().items() if i.type() == 6]  # QGraphicsLineItem
    tips = sorted(i.toolTip() for i in lines)
    assert sum("Session " in t for t in tips) == len(window.ws.sessions()) == 3
    assert sum(f"Today, {date.today()}" in t for t in tips) == 1


def test_the_timeline_follows_the_client_switch_and_edits(window):
    view = open_view(window)
    show_client(window, "Leo Brandt")
    titles = {view.canvas.tip_of(view.canvas.ids[i]).split("\n")[0]
              for i in view.canvas.scene().items() if isinstance(i, QGraphicsRectItem)}  # fmt: skip
    assert any("Pipeline" in t for t in titles) and not any("Foundations" in t for t in titles)
    sprint = item_id(window, "Sprint 2: Case studies")
    window.ws.delete(sprint)
    assert sprint not in view.canvas.by_id


def test_axis_labels_never_crowd_one_another_at_any_zoom():
    first, last = date(2020, 3, 17), date(2041, 8, 2)  # a client twenty years long
    for ppd in (0.05, 0.1, 0.3, 0.7, 1.0, 2.0, 5.0, 9.0, 40.0):
        end = last if ppd < 9 else first + timedelta(days=400)
        days = [day for day, _text in axis_ticks(first, end, ppd)]
        gaps = {(b - a).days * ppd for a, b in zip(days, days[1:], strict=False)}
        assert days and min(gaps) >= (40 if ppd >= 40 else LABEL_PX), ppd


def test_a_bar_shows_as_much_of_its_title_as_it_holds(window):
    view = open_view(window)
    canvas = view.canvas
    title = "Sprint 2: Delegation and voice"
    b = bar(view, item_id(window, title))
    label = next(i for i in b.childItems())
    for ppd, shown in ((40.0, "whole"), (4.0, "cut"), (0.2, "none")):
        canvas.set_ppd(ppd)
        on_screen = canvas.mapFromScene(b.rect()).boundingRect().width()
        assert label.isVisible() == (shown != "none"), ppd
        if shown == "whole":
            assert label.text() == title
        if shown == "cut":
            assert label.text().endswith("…") and title.startswith(label.text()[:-1])
            assert label.boundingRect().width() <= on_screen


def test_a_sprint_title_full_of_markup_and_emoji_is_shown_as_typed_whole_or_cut(window):
    view = open_view(window)
    canvas = view.canvas
    sprint = item_id(window, "Sprint 2: Delegation and voice")
    hostile = "<b>Q3 & <i>growth</i></b> 🚀🎯 <script>x</script> ✨"
    window.ws.update(sprint, {"title": hostile})
    label = next(i for i in bar(view, sprint).childItems())
    canvas.set_ppd(240.0)
    whole = label.text()  # the sprint's number, then the title as typed: no tag is markup
    assert whole.endswith(hostile) and view.canvas.tip_of(sprint).startswith(whole)
    canvas.set_ppd(4.0)
    assert label.text().endswith("…") and whole.startswith(label.text()[:-1])


# ---------------------------------------------------------------- the ends of the calendar
# A date out of range raised inside a Qt override (the tab's first show, a paint, a mouse
# release) used to end the whole process with a segmentation fault, not just an error.


def edge_client(window, kind: str, session: str | None = None, **fields) -> tuple:
    """A new client holding one item with these dates (and a session held on `session`),
    written through the store as an import is (the window reads it again), then the
    timeline tab shown: the tab's first draw is where the process died."""
    root = ops.create_client("Edge of the calendar")["id"]
    item = ops.create_item(kind, root, title="On the edge", **fields)
    if session is not None:
        ops.create_session(root, session, title="At the edge")
    window.ws.reload(root)
    view = window.views["timeline"]
    window.tabs.setCurrentWidget(view)
    return view, item["id"]


def roam(view) -> None:
    """Fit, zoom all the way in and out with the wheel, scroll to both ends with the scroll
    bar, the arrow keys and Shift + wheel, painting the rows and the date axis at each stop."""
    canvas, scroll = view.canvas, view.canvas.horizontalScrollBar()
    QTest.mouseClick(view.fit_button, LEFT)
    for clicks in (25, 25, -25, -25, -25):  # 50 notches span MIN_PPD to MAX_PPD
        wheel(canvas, clicks)
        for value in (scroll.minimum(), scroll.maximum()):
            scroll.setValue(value)
            for key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                QTest.keyClick(canvas.viewport(), key)
            wheel(canvas, 3, Qt.KeyboardModifier.ShiftModifier)
            canvas.viewport().grab()
            canvas.axis.grab()
    QTest.mouseClick(view.fit_button, LEFT)


def painted_at(view, scene_point: QPointF):
    """The colour painted at a scene point, with the view zoomed in and centred on it."""
    view.canvas.set_ppd(40.0)
    view.canvas.centerOn(scene_point)
    return view.canvas.viewport().grab().toImage().pixelColor(at(view, scene_point))


@pytest.mark.parametrize("due", ["0001-01-01", "0001-01-02"])
def test_a_commitment_due_in_the_first_days_there_are_is_drawn_at_every_zoom(window, due):
    view, commitment = edge_client(window, "commitment", target_date=due)
    roam(view)
    (mark,) = marks(view, commitment)
    assert math.isfinite(mark.x) and mark.x == view.canvas.x_of(date.fromisoformat(due)) + DAY / 2
    assert painted_at(view, centre(mark)) == stamp_colour(mark)
    assert view.canvas.day_at(view.canvas.sceneRect().left()) == date.min  # held, not raised


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31")]
)
def test_a_sprint_in_the_first_or_last_month_there_is_is_drawn_at_every_zoom(window, start, end):
    view, sprint = edge_client(window, "sprint", start_date=start, end_date=end)
    roam(view)
    b = bar(view, sprint)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    assert b.rect().left() == view.canvas.x_of(first)
    assert b.rect().width() == ((last - first).days + 1) * DAY
    inside = QPointF(b.rect().center().x(), b.rect().bottom() - 2)  # below the bar's label
    assert painted_at(view, inside) == b.brush().color()
    assert view.canvas.day_at(view.canvas.sceneRect().right()) <= date.max


def test_the_axis_labels_stop_at_the_first_and_last_day_there_is():
    """Counting on past 9999-12-31 by a day, a week or a month raised inside the paint."""
    for ppd in (0.05, 1.0, 9.0, 40.0):
        assert list(axis_ticks(date(9990, 1, 1), date.max, ppd))  # ends, and nothing raised
        assert list(axis_ticks(date.min, date(10, 1, 1), ppd))
    assert list(axis_ticks(date(9999, 12, 25), date.max, 40.0))[-1] == (date.max, "31 Dec")
    assert list(axis_ticks(date(9999, 12, 25), date.max, 9.0))[-1][0] == date(9999, 12, 27)
    assert next(iter(axis_ticks(date.min, date(1, 1, 9), 40.0)))[0] == date.min


def test_dragging_a_sprint_past_the_last_day_there_is_stops_it_there(window):
    # The session keeps the edit off a tree bug of its own: a client without sessions
    # keeps the previous client's deleted Sessions row, and the first edit after trips on it.
    dates = {"start_date": "9999-12-01", "end_date": "9999-12-29"}
    view, sprint = edge_client(window, "sprint", session="9999-12-01", **dates)
    view.canvas.set_ppd(20)
    b = bar(view, sprint)
    view.canvas.centerOn(b.rect().center())
    middle = at(view, b.rect().center())
    drag(view, middle, middle + days_right(view, 5) + QPoint(4, 0))
    assert stored(window, sprint) == ("9999-12-03", "9999-12-31")  # moved 2 days, not 5
    drag(view, middle, middle + days_right(view, 5) + QPoint(4, 0))
    assert stored(window, sprint) == ("9999-12-03", "9999-12-31")  # nowhere further to go
    assert math.isfinite(bar(view, sprint).rect().right())
