"""What the window's menus do, declared in registry.py (one record per action) and carried
out by editing.py (items), files.py (the whole file), backup.py, legacy.py and importing.py,
every long job through runner.py."""
