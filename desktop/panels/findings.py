"""The findings panel: what graph.check says about the client, each finding a click away
from its item."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.style import dot_icon
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels.common import (
    ID_ROLE,
    SEVERITY_COLOURS,
    SEVERITY_WORDS,
    heading,
)
from desktop.readable import plural, readable_dates_in, tip
from graph.check import ERROR, INFO, WARNING, Finding, check


class FindingsPanel(QWidget):
    """What `graph.check` says about the current client; clicking a finding selects its items."""

    def __init__(self, ws: Workspace, selection: Selection, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.selection = selection
        self.findings: list[Finding] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(heading("Findings"))
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #868e96;")
        top.addWidget(self.summary)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Sentences wrap to the panel's width and re-wrap as it is resized: never a sideways
        # scrollbar, never a message cut at the edge.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        layout.addWidget(self.list)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)  # many quick changes (a multi-delete) → one check
        self.timer.timeout.connect(self.refresh)
        self.list.itemClicked.connect(self.clicked)
        # Selection, not the current row: focus arriving in the list (Tab, or a button beside
        # it being disabled) makes the first row current without anyone choosing it.
        self.list.itemSelectionChanged.connect(self.selected_here)
        ws.changed.connect(self.on_changed)

    def on_changed(self, changes: Changes) -> None:
        if changes.reset:
            self.refresh()
        elif changes.structure or changes.progress:
            self.timer.start()

    def refresh(self) -> None:
        """Run the check now (also Tools → Check consistency)."""
        self.timer.stop()
        # The workspace's graph is build(hierarchy) kept current: no second build.
        self.findings = check(self.ws.hierarchy, self.ws.graph) if self.ws.root_id else []
        self.list.blockSignals(True)
        self.list.clear()
        for finding in self.findings:
            colour = SEVERITY_COLOURS.get(finding.severity, "#495057")
            # graph.check speaks ISO (the CLI's --json too); people read the app's dates.
            message = readable_dates_in(finding.message)
            entry = QListWidgetItem(dot_icon(colour), message)
            entry.setForeground(QBrush(QColor("#343a40")))
            entry.setData(ID_ROLE, finding)
            entry.setToolTip(tip(f"{finding.severity}: {finding.code}\n{message}"))
            self.list.addItem(entry)
        if not self.findings:
            entry = QListWidgetItem("✓  No problems found.")
            entry.setForeground(QBrush(QColor("#2f9e44")))
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self.summary.setText(self.summary_text())

    def summary_text(self) -> str:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        parts = []
        for severity in (ERROR, WARNING, INFO):
            if counts.get(severity):
                parts.append(plural(counts[severity], SEVERITY_WORDS[severity]))
        return ", ".join(parts) or "all clear"

    def selected_here(self) -> None:
        chosen = self.list.selectedItems()
        if chosen:
            self.clicked(chosen[0])

    def clicked(self, entry: QListWidgetItem | None) -> None:
        finding = entry.data(ID_ROLE) if entry is not None else None
        if isinstance(finding, Finding):
            self.selection.set(list(finding.items) + list(finding.links), source=self)
