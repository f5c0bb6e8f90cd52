"""graph/ stays plain: no storage, no GUI, so it can be tested and reused on its own."""

import ast
import subprocess
import sys
from pathlib import Path

import graph

FORBIDDEN = ("peewee", "playhouse", "sqlite3", "store", "desktop", "cli", "PySide6", "shiboken6")


def imported_names(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_graph_sources_import_no_storage_or_gui():
    sources = sorted(Path(graph.__file__).parent.glob("*.py"))
    assert sources
    bad = [
        (path.name, name)
        for path in sources
        for name in imported_names(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert bad == []


def test_importing_graph_loads_no_storage_or_gui_module():
    code = (
        "import sys, graph, graph.examples\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    root = Path(graph.__file__).parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
