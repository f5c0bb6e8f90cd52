"""One small adapter per field type: a widget plus get/set in stored form (ISO dates, ids)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QWidget,
)

from desktop.readable import choice_label, readable_date

DATE_FORMAT = "d MMM yyyy"
NO_DATE = QDate(1900, 1, 1)
MIN_CHOICE_CHARS = 10


def iso_to_qdate(value: str | None) -> QDate:
    return QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate()


def row_widget(*children: QWidget, stretch_last: bool = False) -> QWidget:
    """A bare horizontal strip holding `children`, no margins, so it aligns with the form."""
    strip = QWidget()
    layout = QHBoxLayout(strip)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    for child in children:
        layout.addWidget(child)
    if not stretch_last:
        layout.addStretch(1)
    return strip


class FieldInput:
    """A field's widget (`widget`), the part that takes focus (`focus`), and its value."""

    widget: QWidget
    focus: QWidget
    tall = False  # several lines high: its label sits level with the first line

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError

    def on_change(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)


class LineInput(FieldInput):
    def __init__(self, placeholder: str = ""):
        self.widget = self.focus = QLineEdit()
        self.widget.setPlaceholderText(placeholder)
        self.widget.setClearButtonEnabled(True)

    def get(self) -> str:
        return self.widget.text()

    def set(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def on_change(self, callback):
        self.widget.textEdited.connect(lambda _text: callback())


class TextInput(FieldInput):
    tall = True

    def __init__(self, placeholder: str = ""):
        self.widget = self.focus = QPlainTextEdit()
        self.widget.setPlaceholderText(placeholder)
        self.widget.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.widget.setMinimumHeight(72)
        self.widget.setMaximumHeight(140)

    def get(self) -> str:
        return self.widget.toPlainText()

    def set(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def on_change(self, callback):
        self.widget.textChanged.connect(callback)


class ChoiceInput(FieldInput):
    """A combo box showing readable labels while holding the stored values."""

    def __init__(self, choices: tuple[str, ...]):
        self.widget = self.focus = QComboBox()
        # As narrow as a short label allows, not as wide as the longest choice (a session's
        # title): the inspector is a narrow panel and would otherwise scroll sideways.
        self.widget.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.widget.setMinimumContentsLength(MIN_CHOICE_CHARS)
        for value in choices:
            self.widget.addItem(choice_label(value), value)

    def get(self) -> str | None:
        return self.widget.currentData()

    def set(self, value: Any) -> None:
        index = self.widget.findData(value)
        if index < 0 and value is not None:
            # A value this version does not know: keep it visible rather than change it silently.
            self.widget.addItem(str(value), value)
            index = self.widget.count() - 1
        self.widget.setCurrentIndex(max(index, 0))

    def on_change(self, callback):
        self.widget.currentIndexChanged.connect(lambda _i: callback())


class SessionInput(ChoiceInput):
    """The client's coaching sessions, by date and title, plus 'No session'."""

    def __init__(self, sessions: list[dict[str, Any]]):
        super().__init__(())
        self.set_sessions(sessions)

    def set_sessions(self, sessions: list[dict[str, Any]]) -> None:
        current = self.get()
        self.widget.clear()
        self.widget.addItem("No session", None)
        for session in sessions:
            self.widget.addItem(session_label(session), session["id"])
        self.set(current)

    def set(self, value: Any) -> None:
        if value and self.widget.findData(value) < 0:
            self.widget.addItem("A session no longer available", value)
        super().set(value)


def session_label(session: dict[str, Any]) -> str:
    when = readable_date(session.get("held_on"))
    return f"{when} · {session['title']}" if session.get("title") else when


class NumberInput(FieldInput):
    def __init__(self, minimum: int, maximum: int, special: str = ""):
        self.spin = self.focus = QSpinBox()
        self.spin.setRange(minimum, maximum)
        self.spin.setMinimumWidth(170 if special else 110)
        self.widget = row_widget(self.spin)
        self.minimum = minimum
        self.special = special

    def get(self) -> int:
        return self.spin.value()

    def set(self, value: Any) -> None:
        if value in (None, "") and self.special:
            # No number yet: the store picks the next free one unless the user chooses.
            self.spin.setMinimum(0)
            self.spin.setSpecialValueText(self.special)
            self.spin.setValue(0)
            return
        self.spin.setSpecialValueText("")
        self.spin.setMinimum(self.minimum)
        self.spin.setValue(int(value or 0))

    def on_change(self, callback):
        self.spin.valueChanged.connect(lambda _v: callback())


class PercentInput(FieldInput):
    """A 0–100 spin box with a slider beside it, kept in step."""

    def __init__(self):
        self.spin = QSpinBox()
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.spin.setMinimumWidth(80)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setPageStep(10)
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self.slider.setValue)
        self.widget = row_widget(self.spin, self.slider, stretch_last=True)
        self.focus = self.spin

    def get(self) -> int:
        return self.spin.value()

    def set(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))

    def on_change(self, callback):
        self.spin.valueChanged.connect(lambda _v: callback())


class DateInput(FieldInput):
    """A date with a calendar; optional dates get a 'No date' box that empties the field."""

    def __init__(self, required: bool):
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.none = None if required else QCheckBox("No date")
        children = [self.edit] + ([self.none] if self.none else [])
        self.widget = row_widget(*children)
        self.focus = self.edit
        self.kept = QDate.currentDate()
        if self.none is not None:
            # The lowest date stands for "empty": the edit shows a dash instead of a stale date.
            self.edit.setMinimumDate(NO_DATE)
            self.edit.setSpecialValueText("—")
            self.none.toggled.connect(self.toggle_empty)

    def toggle_empty(self, empty: bool) -> None:
        if empty:
            if self.edit.date() != NO_DATE:
                self.kept = self.edit.date()
            self.edit.setDate(NO_DATE)
        else:
            self.edit.setDate(self.kept)
        self.edit.setEnabled(not empty)

    def get(self) -> str | None:
        if self.none is not None and self.none.isChecked():
            return None
        return self.edit.date().toString("yyyy-MM-dd")

    def set(self, value: Any) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        self.kept = iso_to_qdate(value)
        self.edit.setDate(self.kept)
        if self.none is None:
            return
        self.none.setChecked(not value)
        self.toggle_empty(not value)

    def on_change(self, callback):
        self.edit.dateChanged.connect(lambda _d: callback())
        if self.none is not None:
            self.none.toggled.connect(lambda _b: callback())

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)
