"""The finding codes `trellis check` reports are the README's table and DESIGN §3's, code for code.

`graph.check.CODES` is the one list: a Finding with a code or severity not in it cannot be made
(tests/graph/test_graph_check.py makes every code). The README documents it for users; the
shared contract (../shared/DESIGN.md, beside the clone in CI) lists all but `bad-value`, which
the store reports because the field rules live there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.check import CODES, ERROR, Finding
from store import value_check

REPO = Path(__file__).resolve().parents[2]
DESIGN = REPO.parent / "shared" / "DESIGN.md"
ROW = re.compile(r"^\| `([a-z-]+)` \| (error|warning|info) \|", flags=re.M)


def table(text: str) -> dict[str, str]:
    return dict(ROW.findall(text))


def test_the_readme_and_the_shared_contract_list_every_code_with_its_severity():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert table(readme) == CODES
    # CI clones the repository with the shared contract beside it; a newcomer's clone has only
    # the README's copy, held to CODES above.
    if DESIGN.is_file():
        section = DESIGN.read_text(encoding="utf-8").split("\n## 3.", 1)[1].split("\n## ", 1)[0]
        assert {**table(section), value_check.CODE: ERROR} == CODES


@pytest.mark.parametrize("code, severity", [("made-up", ERROR), ("sprint-overlap", ERROR)])
def test_a_finding_with_a_code_or_severity_outside_codes_cannot_be_made(code, severity):
    with pytest.raises(ValueError, match="not a finding code"):
        Finding(code, severity, "message", ("a",), "root")
