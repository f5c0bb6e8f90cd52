"""The finding codes `trellis check` reports are DESIGN §3's table, code for code.

graph.check's codes (read from its source, so a code added there without the table fails here)
must equal the table, severities included. The CLI reports one more, `bad-value`
(store.value_check), which the table does not list: it is our documented extra, named in the
README, and must stay the only one.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from store import value_check

# The module itself: `graph.check` as an attribute is the function graph/__init__ exports.
CHECK = importlib.import_module("graph.check")

REPO = Path(__file__).resolve().parents[2]
# CI runs from a clone with the shared contract beside it, read-only.
DESIGN = REPO.parent / "shared" / "DESIGN.md"
CODE = re.compile(r"^[a-z]+(?:-[a-z]+)+$")


def design_codes() -> dict[str, str]:
    """code -> severity from the `| code | severity | meaning |` table of DESIGN §3."""
    assert DESIGN.is_file(), (
        f"DESIGN.md is not at {DESIGN}: clone the shared contract beside the repository "
        "(../shared) so the finding codes can be compared with its table."
    )
    section = DESIGN.read_text(encoding="utf-8").split("\n## 3.", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \|", section, flags=re.M)
    assert rows, "DESIGN §3 has no `| code | severity | meaning |` table any more."
    return dict(rows)


def severity_of(node: ast.expr) -> str:
    return getattr(CHECK, node.id) if isinstance(node, ast.Name) else node.value


def check_codes() -> dict[str, str]:
    """code -> severity of every Finding graph/check.py builds, directly or through a helper
    that takes the code as a parameter (like `_without`)."""
    tree = ast.parse(Path(CHECK.__file__).read_text(encoding="utf-8"))
    findings = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"
    ]
    found = {
        call.args[0].value: severity_of(call.args[1])
        for call in findings
        if isinstance(call.args[0], ast.Constant)
    }
    helpers = code_helpers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in helpers:
            index, severity = helpers[node.func.id]
            found[node.args[index].value] = severity
    return found


def code_helpers(tree: ast.Module) -> dict[str, tuple[int, str]]:
    """Functions that pass one of their parameters on as a Finding's code: name -> (which
    parameter, the severity they give it)."""
    helpers = {}
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        params = [a.arg for a in function.args.args]
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Finding"
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in params
            ):
                helpers[function.name] = (params.index(node.args[0].id), severity_of(node.args[1]))
    return helpers


def test_graph_checks_codes_and_severities_are_design_section_3s_table():
    ours = check_codes()
    assert all(CODE.match(code) for code in ours), ours
    assert ours == design_codes()


def test_bad_value_is_the_one_code_beyond_the_table_and_the_readme_names_it():
    design = design_codes()
    reported = {**check_codes(), value_check.CODE: "error"}
    assert set(design) <= set(reported)
    assert set(reported) - set(design) == {"bad-value"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`bad-value`" in readme
