"""Widgets that show a person's own words exactly as typed, and never wider than their place.

Qt guesses whether a label's or message box's text is HTML; a title such as
"Email <Jim> re: x < y" or "<img src=file:…>" must never be guessed about, so every label
and message box that can carry user text is made here, in plain-text mode. Rich text that
is rich on purpose escapes user text with `readable.as_html` / `readable.tip` instead.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QMessageBox, QSizePolicy, QWidget

from desktop.readable import tip, window_title

Button = QMessageBox.StandardButton
ELIDE = Qt.TextElideMode.ElideRight
SPACES = re.compile(r"(\s+)")


def fitted(text: str, metrics: QFontMetrics, width: int, wrap: bool) -> str:
    """`text` with each unbreakable run wider than `width` elided (each line, if not wrapping).

    Qt wraps a label at spaces only: a 200-character word would otherwise set the label's
    minimum width, and through the layouts the window's.
    """
    if width <= 0:
        return text
    if not wrap:
        return "\n".join(metrics.elidedText(line, ELIDE, width) for line in text.split("\n"))
    parts = SPACES.split(text)
    return "".join(
        metrics.elidedText(part, ELIDE, width) if part and not part.isspace() else part
        for part in parts
    )


class TextLabel(QLabel):
    """A label for user text: shown as typed, never as HTML, and never asking for more width.

    Its width comes from its place in the layout (size policy Ignored), not from its text; a
    word too long for that width is elided, and then the tooltip holds the whole text.
    """

    def __init__(self, text: str = "", wrap: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        policy = self.sizePolicy()  # keeps the height-for-width that word wrap set
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)
        self.full = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        # Qt's own name, so every caller (an editor showing a refusal) gets the fitting.
        self.full = str(text)
        self.fit()

    def clear(self) -> None:
        self.setText("")

    def full_text(self) -> str:
        """The text as given; `text()` is what is shown (long words elided)."""
        return self.full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a bold heading measures wider
            self.fit()

    def fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        shown = fitted(self.full, self.fontMetrics(), width, self.wordWrap())
        if shown != self.text():
            super().setText(shown)
        self.setToolTip(tip(self.full) if shown != self.full else "")


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> QMessageBox:
    """A QMessageBox whose text is plain: messages quote titles, names and paths."""
    box = QMessageBox(icon, window_title(title), text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return box


def answer(box: QMessageBox) -> Button:
    """Show `box` and return the standard button chosen (Escape gives the escape button)."""
    box.exec()
    clicked = box.clickedButton()
    return box.standardButton(clicked) if clicked is not None else Button.NoButton


def warn(parent: QWidget | None, title: str, text: str) -> None:
    answer(message_box(parent, QMessageBox.Icon.Warning, title, text))


def inform(parent: QWidget | None, title: str, text: str) -> None:
    answer(message_box(parent, QMessageBox.Icon.Information, title, text))


def critical(parent: QWidget | None, title: str, text: str) -> None:
    answer(message_box(parent, QMessageBox.Icon.Critical, title, text))


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.NoButton,
) -> Button:
    """QMessageBox.question with plain text: the standard button chosen."""
    return answer(message_box(parent, QMessageBox.Icon.Question, title, text, buttons, default))
