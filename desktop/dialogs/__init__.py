"""Modal dialogs: trash, history, backups, file choosers."""
