"""Opening a team database: where it is (one postgresql:// URL, or host, database and user),
and the password when the server asks for one.

The password is only ever handed to the store's connection: never kept in settings, the
window title, a message or a log. A URL typed with a password in it is used as typed, and shown
everywhere else without it (store.postgres.describe).
"""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.plain import TextLabel

URL_HINT = "postgresql://coach@server/practice"


def url_from_parts(host: str, database: str, user: str) -> str:
    """The URL for a host (a name, a name:port, or a socket folder), a database and a user."""
    user_part = f"{quote(user.strip(), safe='')}@" if user.strip() else ""
    host = host.strip()
    database = quote(database.strip(), safe="")
    if host.startswith("/"):  # a Unix socket folder: libpq takes it as ?host=
        return f"postgresql://{user_part}/{database}?host={quote(host, safe='/')}"
    return f"postgresql://{user_part}{host}/{database}"


class TeamDatabaseDialog(QDialog):
    """Asks where the team database is: a whole URL, or host, database and user."""

    def __init__(self, parent: QWidget | None = None, url: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Open team database")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            TextLabel(
                "A team database is one PostgreSQL database a coaching practice shares; you "
                "see only your own clients. Give its URL, or the server, database and user."
            )
        )
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setPlaceholderText(URL_HINT)
        self.host = QLineEdit()
        self.host.setPlaceholderText("server or server:5432")
        self.database = QLineEdit()
        self.database.setPlaceholderText("practice")
        self.user = QLineEdit()
        self.user.setPlaceholderText("your PostgreSQL role")
        form.addRow("URL", self.url)
        form.addRow("or server", self.host)
        form.addRow("database", self.database)
        form.addRow("user", self.user)
        layout.addLayout(form)
        self.problem = TextLabel()
        self.problem.setStyleSheet("color: #c92a2a;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)

    def chosen_url(self) -> str:
        """The URL typed, else the one made of server, database and user ('' if neither)."""
        typed = self.url.text().strip()
        if typed:
            return typed
        if self.database.text().strip():
            return url_from_parts(self.host.text(), self.database.text(), self.user.text())
        return ""

    def try_accept(self) -> None:
        from store.postgres import is_url

        url = self.chosen_url()
        if not url:
            self.say("Give the team database's URL, or at least its database name.")
        elif not is_url(url):
            self.say(f"A team database's URL starts with postgresql:// (such as {URL_HINT}).")
        else:
            self.accept()

    def say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()


class PasswordDialog(QDialog):
    """The password for a team database, asked when the server wants one (kept nowhere)."""

    def __init__(self, parent: QWidget | None, shown_url: str, reason: str):
        super().__init__(parent)
        self.setWindowTitle("Password")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(TextLabel(f"{reason}\n\nPassword for {shown_url}:"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_team_url(parent: QWidget | None, url: str = "") -> str | None:
    dialog = TeamDatabaseDialog(parent, url)
    return dialog.chosen_url() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_password(parent: QWidget | None, shown_url: str, reason: str) -> str | None:
    dialog = PasswordDialog(parent, shown_url, reason)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text()
