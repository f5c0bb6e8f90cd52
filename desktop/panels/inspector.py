"""The inspector: the selected item's fields, edited in place (Save is one undo step), or
the selected link's weight."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.style import STYLES
from desktop.editors import BaseEditor, editor_for
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels.common import (
    heading,
)
from desktop.panels.progress_chart import ProgressPanel
from desktop.plain import TextLabel, ask
from desktop.readable import kind_label
from graph.rollup import explain
from store.errors import TrellisError


class Inspector(QWidget):
    """Edit the selected item in place (one undo step per Save), or a link's weight."""

    weight_requested = Signal(str, float)
    history_requested = Signal(str)

    def __init__(self, ws: Workspace, selection: Selection, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.selection = selection
        self.item_id: str | None = None
        self.editor: BaseEditor | None = None
        self.save_handler = None  # set by the window: (item_id, changes) -> None, may raise
        self.dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(heading("Inspector"))
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.empty = QLabel("Select an item in the graph or the tree to see and edit it here.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setStyleSheet("color: #868e96; padding: 8px;")
        self.pages.addWidget(self.empty)
        self.item_page = self.build_item_page()
        self.pages.addWidget(self.item_page)
        self.link_page = self.build_link_page()
        self.pages.addWidget(self.link_page)
        ws.changed.connect(self.on_changed)
        selection.changed.connect(self.follow)

    def build_item_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        # The kind and the title are two labels: the title is the user's text, shown plain.
        self.kind_caption = QLabel()
        self.kind_caption.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.kind_caption)
        self.title = TextLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title.setFont(f)
        column.addWidget(self.title)
        self.explanation = TextLabel()
        self.explanation.setStyleSheet("color: #495057; padding: 2px 0 6px 0;")
        column.addWidget(self.explanation)
        self.progress_chart = ProgressPanel(self.ws)  # a goal's, outcome's or sprint's
        column.addWidget(self.progress_chart)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        column.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.history_button = QPushButton("History…")
        self.revert_button = QPushButton("Revert")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        # Keys as in a dialog: Enter in a one-line field saves, Esc puts the stored values back.
        revert = QShortcut(QKeySequence(Qt.Key.Key_Escape), page, self.revert)
        revert.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.item_id))
        return page

    def build_link_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.link_text = TextLabel()
        column.addWidget(self.link_text)
        hint = QLabel("Press Delete to unlink.")
        hint.setStyleSheet("color: #868e96; padding: 6px 0;")
        column.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(QLabel("Weight"))
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.1, 100.0)
        self.weight.setSingleStep(0.5)
        self.weight.setDecimals(1)
        self.weight.setToolTip("How much the lower item counts toward the upper one's progress.")
        row.addWidget(self.weight)
        self.weight_button = QPushButton("Apply")
        row.addWidget(self.weight_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        self.weight_button.clicked.connect(
            lambda: self.weight_requested.emit(self.item_id, self.weight.value())
        )
        return page

    def sizeHint(self) -> QSize:
        return QSize(330, 520)

    # ------------------------------------------------------------ following

    def follow(self, ids, _source=None) -> None:
        # Moving on keeps what was typed: unsaved edits are saved first, as one undo step. If
        # they are refused, the inspector stays on the item with the reason at the field.
        if self.dirty and not self.save():
            return
        self.show_id(ids[0] if len(ids) == 1 else None, len(ids))

    def on_changed(self, changes: Changes) -> None:
        if self.item_id is None:
            return
        if changes.reset or self.item_id in changes.items or self.item_id in changes.links:
            self.show_id(self.item_id if self.exists(self.item_id) else None, 1, force=True)
        elif self.item_id in changes.progress:
            self.explain()

    def exists(self, item_id: str) -> bool:
        return self.ws.is_live(item_id) or self.ws.link(item_id) is not None

    def show_id(self, item_id: str | None, count: int, force: bool = False) -> None:
        if item_id == self.item_id and not force:
            return
        self.item_id = item_id
        if item_id is None:
            self.empty.setText(
                f"{count} items selected."
                if count > 1
                else "Select an item in the graph or the tree to see and edit it here."
            )
            self.pages.setCurrentWidget(self.empty)
        elif self.ws.link(item_id) is not None and not self.ws.is_live(item_id):
            self.show_link(item_id)
        else:
            self.show_item(item_id)

    def show_item(self, item_id: str) -> None:
        try:
            row = self.ws.row(item_id)
        except TrellisError:
            self.item_id = None
            self.pages.setCurrentWidget(self.empty)
            return
        kind = self.kind_of(item_id, row)
        if self.editor is None or self.editor.kind != kind:
            self.editor = editor_for(kind)(sessions=self.ws.sessions())
            self.editor.edited.connect(self.mark_dirty)
            for adapter in self.editor.inputs.values():
                if isinstance(adapter.focus, QLineEdit):
                    adapter.focus.returnPressed.connect(self.save)
            self.scroll.setWidget(self.editor)
            self.fit_editor()
        else:
            self.editor.set_sessions(self.ws.sessions())
        self.editor.load(row)
        for adapter in self.editor.inputs.values():
            if isinstance(adapter.focus, QLineEdit):
                adapter.focus.setCursorPosition(0)  # show a long title from its start
        self.dirty = False
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        item = self.ws.item(item_id)
        title = item.title if item else (row.get("title") or row.get("name") or "")
        colour = STYLES[kind].accent if kind in STYLES else "#495057"
        self.kind_caption.setText(kind_label(kind).upper())
        self.kind_caption.setStyleSheet(f"color: {colour}; font-size: small;")
        self.title.setText(title)
        self.explain()
        self.pages.setCurrentWidget(self.item_page)

    def fit_editor(self) -> None:
        """The panel is never narrower than its form: dragging the splitter stops where a
        field would be cut off, instead of a sideways scrollbar hiding half of each field."""
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setMinimumWidth(self.editor.minimumSizeHint().width() + bar)

    def kind_of(self, item_id: str, row: dict[str, Any]) -> str:
        item = self.ws.item(item_id)
        if item is not None:
            return item.kind
        return "session" if "held_on" in row else "client"

    def explain(self) -> None:
        item_id = self.item_id
        if item_id in self.ws.graph and self.ws.graph.nodes[item_id]["kind"] != "sprint":
            self.explanation.setText(explain(self.ws.graph, item_id).text)
            self.explanation.show()
        else:
            self.explanation.hide()
        self.progress_chart.follow(item_id)

    def show_link(self, link_id: str) -> None:
        link = self.ws.link(link_id)
        upper, lower = self.ws.item(link.upper), self.ws.item(link.lower)
        self.link_text.setText(
            f"{kind_label(lower.kind)} “{lower.title}”\n"
            f"serves {kind_label(upper.kind).lower()} “{upper.title}”."
        )
        self.weight.setValue(link.weight)
        self.pages.setCurrentWidget(self.link_page)

    def mark_dirty(self) -> None:
        self.dirty = True
        self.save_button.setEnabled(True)
        self.revert_button.setEnabled(True)

    def reload(self) -> None:
        if self.item_id:
            self.show_id(self.item_id, 1, force=True)

    def settle(self, leaving: str) -> bool:
        """Before the item goes out of reach (another client, closing): save what was typed.
        If the store refuses it, ask whether to `leaving` without it; False means stay."""
        if not self.dirty or self.save():
            return True
        answer = ask(
            self,
            "Unsaved change",
            "Your change in the inspector cannot be saved as it is; the reason is shown at the "
            f"field. {leaving} without it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return False
        self.revert()
        return True

    def revert(self) -> None:
        """Drop unsaved edits and show the selection (which a refused save may have left)."""
        if not self.dirty:
            return
        self.dirty = False
        ids = self.selection.ids
        self.show_id(ids[0] if len(ids) == 1 else None, len(ids), force=True)

    def save(self) -> bool:
        """Check the form, then save the changed fields as one undo step; False if refused."""
        if not self.dirty or self.editor is None or self.item_id is None or not self.save_handler:
            return True
        item_id, save_handler = self.item_id, self.save_handler
        if not self.editor.submit(lambda changes: save_handler(item_id, changes)):
            return False
        self.reload()
        return True
