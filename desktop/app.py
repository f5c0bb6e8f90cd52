"""Start the desktop app (stub until the desktop issue lands)."""

from __future__ import annotations

import sys
from pathlib import Path


def run(db_path: Path) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    from store.db import open_database

    app = QApplication.instance() or QApplication(sys.argv)
    open_database(db_path)
    label = QLabel(f"Trellis — {db_path}")
    label.resize(480, 120)
    label.show()
    return app.exec()
