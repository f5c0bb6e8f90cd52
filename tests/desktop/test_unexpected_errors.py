"""An error nobody foresaw, escaping a slot of the running app, is said in the window in a
sentence (sys.excepthook), once at a time, and its traceback still printed."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.app import UnexpectedErrors
from tests.desktop.helpers import Dialogs, press


def raised(error: BaseException):
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - the hook is handed what was raised
        return type(caught), caught, caught.__traceback__


def test_an_unexpected_error_is_said_in_a_sentence_and_printed(window, capsys):
    hook = UnexpectedErrors(window)
    dialogs = Dialogs(press(QMessageBox, "OK"))
    hook(*raised(ValueError("zip() argument 2 is longer than argument 1")))
    dialogs.done()
    assert dialogs.seen == [
        "Trellis met an error it did not expect (ValueError: zip() argument 2 is longer than "
        "argument 1), so what you asked for was not done; what was saved before stays saved. "
        "The details were printed for a bug report."
    ]
    printed = capsys.readouterr().err
    assert "Traceback (most recent call last)" in printed and "ValueError: zip()" in printed


def test_an_error_raised_while_its_message_shows_is_only_printed(window, capsys):
    hook = UnexpectedErrors(window)
    hook.showing = True  # a message is on screen: a repeat (every paint) adds no dialog
    dialogs = Dialogs(press(QMessageBox, "OK"))  # answered only if a message shows
    hook(*raised(RuntimeError("again")))
    dialogs.timer.stop()
    assert dialogs.seen == [] and len(dialogs.steps) == 1
    assert "RuntimeError: again" in capsys.readouterr().err
    assert hook.showing
