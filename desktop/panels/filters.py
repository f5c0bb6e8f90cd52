"""The commitments view's filter bar: a picker per field (goal, outcome, sprint, session,
status, priority, type, due) that reads back as one graph.commitments.Filter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.readable import choice_label
from graph.commitments import Filter
from graph.model import GOAL, OUTCOME, SESSION, SPRINT
from store.models import COMMITMENT_STATUSES, COMMITMENT_TYPES, PRIORITIES

# The kinds "Show its commitments" can filter by, and the Filter field each one sets.
FILTER_FIELDS = {GOAL: "goal", OUTCOME: "outcome", SPRINT: "sprint", SESSION: "session"}


class Picker(QComboBox):
    """A searchable choice of one goal, outcome, sprint or session (or any): type to narrow.

    Titles sit in one string-list model, ids in a list beside it: a client's 3,000 outcomes are
    set in one call, not 3,000 `addItem`s."""

    def __init__(self, anything: str, parent=None):
        super().__init__(parent)
        self.anything = anything
        self.titles = QStringListModel(self)
        self.ids: list[str | None] = []
        self.setModel(self.titles)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        shrinkable(self)
        completer = QCompleter(self.titles, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.fill([])

    def fill(self, choices: list[tuple[str, str]]) -> None:
        """Offer `choices` (id, title), keeping the current one if it is still there."""
        keep = self.chosen()
        self.blockSignals(True)
        self.ids = [None, *(item_id for item_id, _ in choices)]
        self.titles.setStringList([self.anything, *(title for _, title in choices)])
        self.blockSignals(False)
        self.choose(keep)

    def chosen(self) -> str | None:
        n = self.currentIndex()
        return self.ids[n] if 0 <= n < len(self.ids) else None

    def choose(self, item_id: str | None) -> None:
        self.setCurrentIndex(self.ids.index(item_id) if item_id in self.ids else 0)
        self.lineEdit().setCursorPosition(0)  # a long title shows its start, not its end


def shrinkable(box: QComboBox) -> None:
    """Sized by a few characters, not its longest title: the view must fit beside the panels."""
    box.setMinimumContentsLength(6)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)


def choice_box(anything: str, values: tuple[str, ...]) -> QComboBox:
    box = QComboBox()
    shrinkable(box)
    box.addItem(anything, None)
    for value in values:
        box.addItem(choice_label(value), value)
    return box


class FilterBar(QWidget):
    """The filter's controls; `read()` gives the Filter they set, `clear()` empties them."""

    def __init__(self, on_change: Callable[[], None], parent=None):
        super().__init__(parent)
        self.pickers = {
            GOAL: Picker("Any goal"),
            OUTCOME: Picker("Any outcome"),
            SPRINT: Picker("Any sprint"),
            SESSION: Picker("Any session"),
        }
        self.status = choice_box("Any status", COMMITMENT_STATUSES)
        self.type = choice_box("Any type", COMMITMENT_TYPES)
        self.priority = choice_box("Any priority", PRIORITIES)
        self.overdue = QCheckBox("Overdue")
        self.due_within = QSpinBox()
        self.due_within.setRange(-1, 3650)
        self.due_within.setSpecialValueText("Due any time")  # shown at -1: no limit
        self.due_within.setPrefix("Due within ")
        self.due_within.setSuffix(" days")
        self.due_within.setValue(-1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and descriptions")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(60)
        self.lay_out()
        for picker in self.pickers.values():
            picker.currentIndexChanged.connect(on_change)
        for box in (self.status, self.type, self.priority):
            box.currentIndexChanged.connect(on_change)
        self.overdue.toggled.connect(on_change)
        self.due_within.valueChanged.connect(on_change)
        self.search.textChanged.connect(on_change)

    def lay_out(self) -> None:
        """Three short lines rather than one long one: the view stays narrow enough to sit
        between the side panels."""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        lines = (
            [(p, 1) for p in self.pickers.values()],
            [(self.status, 1), (self.type, 1), (self.priority, 1)],
            [(self.overdue, 0), (self.due_within, 0), (self.search, 1)],
        )
        for widgets in lines:
            line = QHBoxLayout()
            for widget, stretch in widgets:
                line.addWidget(widget, stretch)
            column.addLayout(line)

    def read(self) -> Filter:
        picked = {FILTER_FIELDS[kind]: p.chosen() for kind, p in self.pickers.items()}
        one = lambda box: frozenset({box.currentData()}) if box.currentData() else frozenset()  # noqa: E731
        days = self.due_within.value()
        return Filter(
            **picked,
            statuses=one(self.status),
            types=one(self.type),
            priorities=one(self.priority),
            overdue=self.overdue.isChecked(),
            due_within=None if days < 0 else days,
            search=self.search.text(),
        )

    def set(self, f: Filter) -> None:
        """Every control to what `f` says (a status, type or priority only if it names one);
        the caller holds back the refresh and does it once afterwards."""
        for kind, picker in self.pickers.items():
            picker.choose(getattr(f, FILTER_FIELDS[kind]))
        for box, values in (
            (self.status, f.statuses),
            (self.type, f.types),
            (self.priority, f.priorities),
        ):
            (value,) = values if len(values) == 1 else (None,)
            box.setCurrentIndex(max(box.findData(value), 0))  # None is the "any" entry
        self.overdue.setChecked(f.overdue)
        self.due_within.setValue(-1 if f.due_within is None else f.due_within)
        self.search.setText(f.search)

    def clear(self) -> None:
        """Every control back to "any"; the caller refreshes once afterwards."""
        for picker in self.pickers.values():
            picker.choose(None)
        for box in (self.status, self.type, self.priority):
            box.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.due_within.setValue(-1)
        self.search.clear()

    def fill(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        for kind, picker in self.pickers.items():
            picker.fill(choices.get(kind, []))
