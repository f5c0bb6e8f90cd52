"""The form every editor shares: fields declared once, errors shown at the field.

An editor only declares its `kind` and its `fields`; loading, reading back the changes,
client-side checks and error display live here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.editors import inputs
from desktop.plain import TextLabel
from desktop.readable import readable_dates_in
from store.errors import TrellisError, ValidationError
from store.validate import check_dates, clean

ERROR_STYLE = "color: #b3261e;"
BANNER_STYLE = (
    "color: #b3261e; background: #fdecea; border: 1px solid #f3b8b3;"
    " border-radius: 4px; padding: 6px 8px;"
)
HINT_STYLE = "color: #6b6f76;"
LINE_HEIGHT = 26


@dataclass(frozen=True)
class Field:
    """One field of an editor: its column name, its label and how it is edited."""

    name: str
    label: str
    widget: str  # line | text | choice | percent | date | number | session
    choices: tuple[str, ...] = ()
    required: bool = False
    placeholder: str = ""
    minimum: int = 0
    maximum: int = 100_000
    # Shown instead of a number when the row has none yet (sprint number: store picks it).
    special: str = ""
    # Value a new row starts with; a callable is called at load time (dates relative to today).
    default: Any = None
    # (field, value): editable only while that other field holds that value.
    enabled_when: tuple[str, str] | None = None
    # Grey note under the field while it is not editable.
    disabled_hint: str = ""


def today_plus(days: int) -> Callable[[], str]:
    return lambda: (date.today() + timedelta(days=days)).isoformat()


def make_input(field: Field, sessions: list[dict[str, Any]]) -> inputs.FieldInput:
    """The widget adapter for one declared field."""
    if field.widget == "line":
        return inputs.LineInput(field.placeholder)
    if field.widget == "text":
        return inputs.TextInput(field.placeholder)
    if field.widget == "choice":
        return inputs.ChoiceInput(field.choices)
    if field.widget == "percent":
        return inputs.PercentInput()
    if field.widget == "date":
        return inputs.DateInput(field.required)
    if field.widget == "number":
        return inputs.NumberInput(field.minimum, field.maximum, field.special)
    if field.widget == "session":
        return inputs.SessionInput(sessions)
    raise ValueError(f"No input for widget type {field.widget!r}.")


class BaseEditor(QWidget):
    """A form for one kind: load(row), values() -> changed fields, show_error, clear_errors."""

    kind = ""
    fields: tuple[Field, ...] = ()
    edited = Signal()  # the user changed any field

    def __init__(self, sessions: list[dict[str, Any]] | None = None, parent=None):
        super().__init__(parent)
        self.inputs: dict[str, inputs.FieldInput] = {}
        self.errors: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}
        self.row: dict[str, Any] = {}
        self.baseline: dict[str, Any] = {}
        self.loading = False
        self.build(sessions or [])

    # ------------------------------------------------------------ building

    def build(self, sessions: list[dict[str, Any]]) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(10)
        # Refusals quote what was typed: plain text, and never wider than the form.
        self.banner = TextLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        outer.addWidget(self.banner)
        # A grid, not a QFormLayout: labels must sit level with the top of tall fields.
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        self.form.setColumnStretch(1, 1)
        outer.addLayout(self.form)
        outer.addStretch(1)
        for field in self.fields:
            self.add_row(field, sessions)
        for field in self.fields:
            if field.enabled_when:
                self.inputs[field.enabled_when[0]].on_change(self.update_enabled)

    def add_row(self, field: Field, sessions: list[dict[str, Any]]) -> None:
        """One form row: label, then the widget with its hint and error label under it."""
        adapter = make_input(field, sessions)
        adapter.focus.setObjectName(field.name)
        adapter.focus.setAccessibleName(field.label)
        self.inputs[field.name] = adapter
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(adapter.widget)
        for store, style in ((self.hints, HINT_STYLE), (self.errors, ERROR_STYLE)):
            note = TextLabel()
            note.setStyleSheet(style)
            note.hide()
            column.addWidget(note)
            store[field.name] = note
        label = QLabel(field.label)
        label.setBuddy(adapter.focus)
        # As tall as one line of input, so it sits level with its field's first line (a text
        # box's minimum height is several lines: the label would float by its middle).
        one_line = 0 if adapter.tall else adapter.focus.minimumSizeHint().height()
        label.setFixedHeight(max(LINE_HEIGHT, one_line))
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = self.form.rowCount()
        self.form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.addWidget(cell, row, 1)
        adapter.on_change(lambda name=field.name: self.field_edited(name))

    def set_sessions(self, sessions: list[dict[str, Any]]) -> None:
        """Refresh the session choices (commitment editor) without losing the selection."""
        adapter = self.inputs.get("session_id")
        if isinstance(adapter, inputs.SessionInput):
            adapter.set_sessions(sessions)

    # ------------------------------------------------------------ loading and reading

    def load(self, row: dict[str, Any]) -> None:
        """Show `row`; fields it lacks (a new item) start at their defaults."""
        self.row = dict(row)
        self.clear_errors()
        self.loading = True
        try:
            for field in self.fields:
                adapter = self.inputs[field.name]
                adapter.set(row[field.name] if field.name in row else initial(field))
        finally:
            self.loading = False
        # Compare against what the widgets show, so None vs "" is not a change.
        self.baseline = {f.name: self.inputs[f.name].get() for f in self.fields if f.name in row}
        self.update_enabled()

    def is_new(self) -> bool:
        return "id" not in self.row

    def form_values(self) -> dict[str, Any]:
        """Every field as the form holds it now (minus a sprint number left to the store)."""
        values = {f.name: self.inputs[f.name].get() for f in self.fields}
        for field in self.fields:
            if field.special and values[field.name] == 0:
                del values[field.name]
        return values

    def values(self) -> dict[str, Any]:
        """Only the fields the user changed against the loaded row (all of them for a new row)."""
        return {
            name: value
            for name, value in self.form_values().items()
            if name not in self.baseline or value != self.baseline[name]
        }

    def check(self) -> None:
        """Raise the store's own ValidationError for bad input before anything is sent."""
        cleaned = clean(self.kind, self.form_values(), creating=True)
        check_dates(self.kind, self.row | cleaned)

    def submit(self, save: Callable[[dict[str, Any]], None]) -> bool:
        """Check the form and hand its changes to `save`; show any refusal at its field.

        Returns True when the form is done (saved, or nothing to save on an existing item).
        """
        self.clear_errors()
        try:
            self.check()
            changes = self.values()
            if changes or self.is_new():
                save(changes)
        except ValidationError as exc:
            self.show_error(exc.field, str(exc))
            return False
        except TrellisError as exc:
            self.show_error(None, str(exc))
            return False
        return True

    # ------------------------------------------------------------ errors

    def show_error(self, field: str | None, message: str) -> None:
        """Show `message` under `field` and move focus there; at the top if no such field."""
        message = readable_dates_in(message)  # the date fields read '1 Jan 2020', not ISO
        label = self.errors.get(field or "")
        if label is None:
            self.banner.setText(message)
            self.banner.show()
            return
        label.setText(message)
        label.show()
        adapter = self.inputs[field]
        adapter.focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if hasattr(adapter.focus, "selectAll"):
            adapter.focus.selectAll()

    def clear_errors(self) -> None:
        self.banner.hide()
        self.banner.clear()
        for label in self.errors.values():
            label.hide()
            label.clear()

    def error_text(self, field: str | None) -> str:
        """The message shown at `field` (or the top), empty when none: what a user reads."""
        label = self.errors.get(field or "", self.banner)
        return label.text() if label.isVisibleTo(self) else ""

    # ------------------------------------------------------------ reactions

    def field_edited(self, name: str) -> None:
        """Typing into a field with an error clears that error: the user is fixing it."""
        if self.loading:
            return
        self.errors[name].hide()
        self.edited.emit()

    def update_enabled(self) -> None:
        for field in self.fields:
            if not field.enabled_when:
                continue
            other, wanted = field.enabled_when
            enabled = self.inputs[other].get() == wanted
            self.inputs[field.name].set_enabled(enabled)
            # A stored number that the roll-up overrides would mislead: show only the hint.
            self.inputs[field.name].widget.setVisible(enabled)
            hint = self.hints[field.name]
            hint.setText(field.disabled_hint)
            hint.setVisible(bool(field.disabled_hint) and not enabled)


def initial(field: Field) -> Any:
    """The value a new row's field starts with."""
    if callable(field.default):
        return field.default()
    if field.default is None and field.widget == "choice" and field.choices:
        return field.choices[0]
    return field.default
