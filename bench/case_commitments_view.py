"""Issue 14's desktop targets: the commitments view at one client's 7,000 commitments.

1. Opening the view (rows derived from the workspace's graph, the filter bar filled, the table
   shown and painted once) against a bare QTableView over a plain QAbstractTableModel of the
   same rows' text, shown and painted once: at most 2x.
2. Changing the filter (a text search) on the open view against a bare QSortFilterProxyModel
   over that plain model doing the same search on titles: at most 2x.

Both run offscreen in this process; the workspace is the one-client bench file, opened once.
"""

from __future__ import annotations

from itertools import cycle
from typing import Any

from bench.context import Context
from bench.timing import Result, fmt_seconds, median_of, paired

WORDS = ("1", "2", "3", "4", "5", "6", "7", "8", "9")  # a new search each run, none empty


def app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def painted(widget) -> None:
    """Show `widget` and paint it once (the first frame a person sees)."""
    widget.resize(1200, 800)
    widget.show()
    widget.repaint()
    app().processEvents()


def plain_model(cells: list[tuple[str, ...]], columns: tuple[str, ...]):
    from PySide6.QtCore import QAbstractTableModel, Qt

    class Plain(QAbstractTableModel):
        def rowCount(self, parent=None) -> int:
            return len(cells)

        def columnCount(self, parent=None) -> int:
            return len(columns)

        def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                return cells[index.row()][index.column()]
            return None

    return Plain()


def open_view(ws):
    from desktop.model.workspace import Selection
    from desktop.panels.commitments import CommitmentsView

    view = CommitmentsView(ws, Selection(), lambda command: None)
    painted(view)  # its showEvent derives the rows
    return view


def bare_table(cells, columns):
    from PySide6.QtWidgets import QTableView

    table = QTableView()
    table.setModel(plain_model(cells, columns))
    painted(table)
    return table


def run(ctx: Context) -> list[Result]:
    from PySide6.QtCore import QSortFilterProxyModel, Qt

    from desktop.model.workspace import Workspace
    from desktop.panels.commitments import COLUMNS

    app()
    ws = Workspace()
    ws.open(ctx.small, ctx.small_root)
    try:
        view = open_view(ws)
        rows = len(view.model.rows)
        cells = [view.model.text_row(n) for n in range(rows)]
        kept: list = []  # the last of each, closed after timing (closing is not opening)

        def ours_open() -> None:
            kept.append(open_view(ws))
            kept.pop(0).close() if len(kept) > 1 else None

        def bare_open() -> None:
            kept.append(bare_table(cells, COLUMNS))
            kept.pop(0).close() if len(kept) > 1 else None

        open_ours, open_bare = paired(ours_open, bare_open, ctx.reps(7, 2))
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(plain_model(cells, COLUMNS))
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        proxy.setFilterKeyColumn(0)
        # Ours on a view just opened, so nothing is derived or cached yet: the first search
        # a person types is the dearest one. Later changes are printed beside it.
        reps = ctx.reps(15, 3)
        fresh = [open_view(ws) for _ in range(reps + 1)]  # one per run, the warm-up included
        words_ours, words_bare = cycle(WORDS), cycle(WORDS)

        def first_filter() -> None:
            fresh[0].set_filter(search=next(words_ours))
            kept.append(fresh.pop(0))

        filter_ours, filter_bare = paired(
            first_filter,
            lambda: (proxy.setFilterFixedString(next(words_bare)), proxy.rowCount()),
            reps,
        )
        later = median_of(lambda: view.set_filter(search=next(words_ours)), reps)
        for widget in (view, *kept, *fresh):
            widget.close()
    finally:
        ws.close()
    counts = {"commitments": rows}
    return [
        Result(
            "commitments_view_open",
            "commitments view: open (7,000 rows)",
            open_ours,
            open_bare,
            ("max", 2.0),
            ours_label=(
                "CommitmentsView shown: rows in due order (those on screen derived), "
                "filter bar filled, one paint"
            ),
            baseline_label="bare QTableView over a plain model of the same texts, one paint",
            extra=counts,
        ),
        Result(
            "commitments_view_filter",
            "commitments view: change the filter",
            filter_ours,
            filter_bare,
            ("max", 2.0),
            ours_label=(
                "first CommitmentsView.set_filter(search=...) on a view just opened: "
                "rows matched, sentence, count, board"
            ),
            baseline_label="bare QSortFilterProxyModel.setFilterFixedString on titles",
            extra={**counts, "later changes": fmt_seconds(later)},
        ),
    ]
