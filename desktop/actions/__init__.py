"""File-menu actions that run long store work with progress: backup, legacy, import."""
