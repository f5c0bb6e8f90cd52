"""A child process for the crash and two-writer tests: many writes through store.ops.

    python crash_writer.py DB ROOT_ID GOAL_ID TAG COUNT

After each operation returns (committed), prints `kind id` and flushes, so the parent knows
exactly which operations reported success before it killed this process.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import ops  # noqa: E402
from store.opening import open_database  # noqa: E402


def report(kind: str, item_id: str) -> None:
    print(kind, item_id, flush=True)


def one_round(root: str, goal: str, tag: str, n: int) -> None:
    """An outcome linked to the goal, two commitments linked to it, a move, an edit, a delete."""
    outcome = ops.create_outcome(root, f"{tag} outcome {n}", description="x" * 2000)
    report("outcome", outcome["id"])
    link = ops.link_items(outcome["id"], goal)
    report("link", link["id"])
    made = []
    for k in range(2):
        commitment = ops.create_commitment(root, f"{tag} commitment {n}.{k}")
        report("commitment", commitment["id"])
        report("link", ops.link_items(commitment["id"], outcome["id"])["id"])
        made.append(commitment["id"])
    ops.set_positions(root, {i: (n * 10.0, k * 10.0) for k, i in enumerate(made)})
    report("position", made[0])
    ops.update_item(made[0], status="completed", progress_percentage=100)
    report("completed", made[0])
    ops.delete_item(made[1])
    report("deleted", made[1])


def main() -> None:
    db, root, goal, tag, count = sys.argv[1:6]
    open_database(Path(db))
    for n in range(int(count)):
        one_round(root, goal, tag, n)
    print("done", tag, flush=True)


if __name__ == "__main__":
    main()
