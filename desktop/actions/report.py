"""File → Export client report…: the shown client's report as a PDF (desktop.report), for the
period since its last session, on the locale's paper."""

from __future__ import annotations

from datetime import date

from desktop import report
from desktop.actions import runner
from desktop.dialogs.files import choose_save_file
from desktop.plain import inform
from store.errors import TrellisError
from store.report import default_period

PDF = "PDF document (*.pdf)"


def export_report_dialog(window) -> None:
    if not window.ws.root_id:
        inform(window, "Export client report", "Pick a client first: the report is of one client.")
        return
    name = f"{window.ws.client_name()} {date.today().isoformat()}.pdf"
    path = choose_save_file(window, "Export client report", name, PDF, (".pdf",))
    if path is None:
        return
    done = runner.run(
        window,
        lambda _report: export_report(window, path),
        "Writing the report…",
        failed="Report not written",
        errors=(OSError, TrellisError),
    )
    if done.ok:
        window.statusBar().showMessage(f"Saved the report to {path}.", 6000)


def export_report(window, path):
    """The report of the window's client, since its last session (or since it was added)."""
    today = date.today()
    root_id = window.ws.root_id
    period = default_period(root_id, today)
    return report.write_report(path, root_id, period, today, report.default_paper())
