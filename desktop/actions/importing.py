"""File → Import JSON…: merge an export; a client name already taken asks rename or cancel.

Importing another machine's export brings clients with other ids but, often, the same names.
The store refuses that (store.importing.NameClash) before writing anything; here the person
chooses to import them as "Name (2)" or to cancel, and a cancel leaves the file untouched.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop.actions import runner
from desktop.plain import message_box, warn
from desktop.readable import action_text
from store import exchange
from store.errors import TrellisError
from store.importing import NameClash, Report


def import_file(window, path: Path) -> Report | None:
    """Import `path` into the open database; None when nothing was imported (told why)."""
    try:
        doc = exchange.read_document(path)
        try:
            return run(window, path, doc, rename=False)
        except NameClash as clash:
            if not ask_to_rename(window, clash.renames):
                return None
            return run(window, path, doc, rename=True)
    except TrellisError as exc:
        warn(window, "Import refused", f"{exc}\n\n{UNCHANGED}")
        return None


UNCHANGED = "Nothing was imported; the database is unchanged."


def run(window, path: Path, doc: dict, rename: bool) -> Report:
    # Refusals (NameClash among them) are raised to import_file, which answers each its way.
    def work(_report: runner.Report) -> Report:
        return exchange.import_document(doc, rename_clients=rename)

    return runner.run(window, work, f"Importing {path.name}…").value


def ask_to_rename(window, renames: dict[str, str]) -> bool:
    """Whether to import the clashing clients under the free names the store picked."""
    lines = "\n".join(f"“{old}” → “{new}”" for old, new in renames.items())
    one = len(renames) == 1
    question = message_box(
        window,
        QMessageBox.Icon.Question,
        "Client name already used",
        f"This database already has {'a client' if one else 'clients'} of the same name as "
        f"{'a client' if one else 'clients'} in the file, but a different one. Import "
        f"{'it' if one else 'them'} under a new name, or cancel and import nothing?\n\n{lines}",
        QMessageBox.StandardButton.NoButton,
    )
    new_name = action_text(next(iter(renames.values())))
    label = f"Import as “{new_name}”" if one else "Import with new names"
    rename = question.addButton(label, QMessageBox.ButtonRole.AcceptRole)
    question.setDefaultButton(question.addButton(QMessageBox.StandardButton.Cancel))
    question.exec()
    return question.clickedButton() is rename


def summary(path: Path, report: Report) -> str:
    """What the import did, for the box that closes it."""
    added = sum(r["added"] for r in report.values())
    skipped = sum(r["skipped"] for r in report.values())
    if not added:
        return f"Nothing new in {path.name}: all {skipped} rows are already here."
    renamed = "".join(f"\nClient “{old}” was imported as “{new}”." for old, new in report.renamed)
    return f"Imported {added} rows from {path.name}; {skipped} were already here.{renamed}"
