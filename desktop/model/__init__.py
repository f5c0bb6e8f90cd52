"""What the views follow: the workspace (store calls, one signal), its mirror, undo commands."""
