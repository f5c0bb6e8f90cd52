"""What the side panels share: item-data roles, severity colours, the small heading and
tool button they are built from, and how a main view follows the workspace while hidden."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QToolButton,
)

from graph.check import ERROR, INFO, WARNING

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
BELOW_ROLE = Qt.ItemDataRole.UserRole + 2  # (kinds still to show below, walk upward?)
PATH_ROLE = Qt.ItemDataRole.UserRole + 3  # a section's key
SEVERITY_COLOURS = {ERROR: "#c92a2a", WARNING: "#e67700", INFO: "#1971c2"}
SEVERITY_WORDS = {ERROR: "error", WARNING: "warning", INFO: "note"}


def heading(text: str) -> QLabel:
    label = QLabel(text.upper())
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 0.82)
    f.setBold(True)
    f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(f)
    label.setStyleSheet("color: #868e96; padding: 2px 2px 0 2px;")
    return label


def tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class RefreshedWhenShown:
    """Mixed into a main view (before QWidget): it rebuilds from the workspace only while it is
    shown; a change made while another tab is in front marks it stale, and showing it catches up.
    The view defines `refresh()`, which must set `stale = False`."""

    stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def follow_changes(self, changes) -> None:
        """Refresh now if shown (else later) when items, links or sessions changed."""
        if changes.reset or changes.structure or changes.sessions:
            self.stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError
