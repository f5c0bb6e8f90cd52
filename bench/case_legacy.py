"""Extra: importing a large legacy database (seed 000's schema), reported without a target.

Uses the legacy helper's own generator and timer (tests/legacy_factory.py): 50 clients and
20,000 commitments at scale 1, linked every way the old backend linked them.
"""

from __future__ import annotations

from bench.context import Context
from bench.timing import Result

CLIENTS, COMMITMENTS = 50, 20_000


def run(ctx: Context) -> list[Result]:
    from tests.legacy_factory import time_large_import

    folder = ctx.workdir / "legacy"
    folder.mkdir(exist_ok=True)
    clients = max(2, round(CLIENTS * min(1.0, ctx.scale)))
    commitments = max(clients, round(COMMITMENTS * ctx.scale))
    found = time_large_import(folder, clients, commitments)
    for leftover in folder.iterdir():
        if leftover.is_file():
            leftover.unlink()
    return [
        Result(
            "legacy_import",
            "legacy import (plan + write)",
            found["plan_s"] + found["import_s"],
            ours_label="store.legacy.plan_import + run_plan into a new database",
            extra={
                "plan_seconds": found["plan_s"],
                "import_seconds": found["import_s"],
                "rows": found["rows"],
                "links": found["links"],
                "legacy_clients": clients,
                "legacy_commitments": commitments,
                "write_legacy_file_seconds": found["write_legacy_s"],
            },
        )
    ]
