"""Goal blocks: a big client is drawn as one block per goal, the blocks shaped like the window,
with no false link and every saved position kept."""

import random
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from graph import NODE_H, NODE_W, build, layout
from graph.blocks import MIN_BLOCKS, arrange, goal_blocks, merge_sharing
from graph.examples import commitment, goal, hierarchy, outcome, sprint
from graph.layout import is_ribbon, layer_of
from graph.routing import drawing, drawn_crossings, false_links, graph_links

ROOT = Path(__file__).resolve().parents[2]


def client(n_goals=30, per_goal=4, per_outcome=4):
    """Goals in a chain of neighbours, as real work clusters: each outcome also serves the next
    goal every third time, each commitment also the next outcome every other time, and each
    sprint works on outcomes of two neighbouring goals."""
    items, links = [], []
    n_outcomes = n_goals * per_goal
    for g in range(n_goals):
        items.append(goal(f"g{g}"))
        items.append(sprint(f"s{g}"))
        for k in range(per_goal):
            o = g * per_goal + k
            items.append(outcome(f"o{o}"))
            links.append((f"g{g}", f"o{o}"))
            if o % 3 == 0 and g + 1 < n_goals:
                links.append((f"g{g + 1}", f"o{o}"))
            for c in range(per_outcome):
                cid = f"c{o}_{c}"
                items.append(commitment(cid))
                links.append((f"o{o}", cid))
                if c % 2 and o + 1 < n_outcomes:
                    links.append((f"o{o + 1}", cid))
        links += [
            (f"o{g * per_goal}", f"s{g}"),
            (f"o{min(n_outcomes - 1, g * per_goal + 5)}", f"s{g}"),
        ]
    return hierarchy(items, links)


def extent(pos):
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    return max(xs) - min(xs) + NODE_W, max(ys) - min(ys) + NODE_H


def overlaps(pos):
    """Pairs of boxes that overlap, found row by row (n log n)."""
    rows = {}
    for n, (x, y) in pos.items():
        rows.setdefault(y, []).append((x, n))
    found = []
    for xs in rows.values():
        xs.sort()
        found += [(a, b) for (xa, a), (xb, b) in pairwise(xs) if xb - xa < NODE_W]
    return found


def test_a_big_client_is_drawn_no_wider_than_three_to_one():
    # 630 items in one band of lanes were 480 commitments wide: about 150 : 1.
    h = client()
    pos = layout(h)
    width, height = extent(pos)
    assert len(pos) == len(h.items)
    assert width / height <= 3.0
    assert overlaps(pos) == []


def test_goal_blocks_draw_no_false_link_even_between_blocks():
    h = client()
    g = build(h)
    pos = layout(h)
    links = graph_links(g)
    blocks = {n: i for i, nodes in enumerate(goal_blocks(g)) for n in nodes}  # or fewer
    across = [lk for lk in links if blocks[lk[1]] != blocks[lk[2]]]
    assert len(across) > 30  # the case that matters: links crossing the gap between blocks
    assert false_links(drawing(links, pos), pos) == []


def test_blocks_are_arranged_to_the_windows_shape():
    h = client()
    wide, tall = extent(layout(h, aspect=3.0)), extent(layout(h, aspect=0.5))
    assert wide[0] / wide[1] > 2 * (tall[0] / tall[1])
    assert 0.25 <= tall[0] / tall[1] <= 1.0


def test_an_item_shared_by_two_goals_is_drawn_once_in_the_first_goals_block():
    h = hierarchy(
        [goal("g1"), goal("g2"), outcome("o1"), outcome("o2"), commitment("c1"), sprint("s1")],
        [("g1", "o1"), ("g2", "o1"), ("g2", "o2"), ("o1", "c1"), ("o2", "c1"), ("o2", "s1")],
    )
    assert goal_blocks(build(h)) == [["g1", "o1", "c1"], ["g2", "o2", "s1"]]


def test_goals_sharing_the_most_links_are_joined_first_within_the_limit():
    g = build(
        hierarchy(
            [goal("a"), goal("b"), goal("c"), outcome("oa"), outcome("ob"), outcome("oc")],
            [("a", "oa"), ("b", "ob"), ("c", "oc"), ("c", "oa"), ("a", "oc"), ("c", "ob")],
        )
    )
    blocks = goal_blocks(g)  # a and c share two links, b and c one
    assert merge_sharing(g, blocks, limit=4) == [["a", "oa", "c", "oc"], ["b", "ob"]]
    assert merge_sharing(g, blocks, limit=6) == [["a", "oa", "b", "ob", "c", "oc"]]
    assert merge_sharing(g, blocks, limit=3) == blocks


def shared_with_near_goals(n_goals=60, spread=2, seed=3):
    """Goals of two outcomes (three commitments each, one sprint), each outcome also serving
    a goal up to `spread` places away, as the bench's generated clients share work."""
    rnd = random.Random(seed)
    items, links = [], []
    for g in range(n_goals):
        items += [goal(f"g{g}"), sprint(f"s{g}")]
        for k in range(2):
            o = f"o{g}_{k}"
            items.append(outcome(o))
            links += [(f"g{g}", o), (o, f"s{g}")]
            other = min(n_goals - 1, max(0, g + rnd.randint(-spread, spread)))
            if other != g:
                links.append((f"g{other}", o))
            for c in range(3):
                items.append(commitment(f"c{g}_{k}_{c}"))
                links.append((o, f"c{g}_{k}_{c}"))
    return hierarchy(items, links)


def goal_gaps(g, pos) -> list[float]:
    """Distances between neighbouring goals in each row, smallest first."""
    rows = {}
    for n, (x, y) in pos.items():
        if layer_of(g.nodes[n]["kind"]) == 0:
            rows.setdefault(y, []).append(x)
    return sorted(b - a for xs in rows.values() for a, b in pairwise(sorted(xs)))


def one_block_per_goal(h, monkeypatch):
    monkeypatch.setattr(sys.modules["graph.layout"], "merge_sharing", lambda g, b, limit: b)
    try:
        return layout(h)
    finally:
        monkeypatch.undo()


def test_goals_sharing_work_with_near_goals_are_joined_into_blocks_for_fewer_crossings(
    monkeypatch,
):
    h = shared_with_near_goals()
    g = build(h)
    links = graph_links(g)
    assert len(merge_sharing(g, goal_blocks(g), len(g) // MIN_BLOCKS)) < len(goal_blocks(g))
    joined, apart = layout(h), one_block_per_goal(h, monkeypatch)
    assert drawn_crossings(links, joined) < drawn_crossings(links, apart)
    # A joined block spreads its goals: their far-out cards keep the room they had.
    assert goal_gaps(g, joined)[len(goal_gaps(g, joined)) // 2] >= min(goal_gaps(g, apart))
    width, height = extent(joined)
    assert width / height <= 3.0 and overlaps(joined) == []
    assert false_links(drawing(links, joined), joined) == []


def test_goals_sharing_only_with_their_neighbours_keep_a_block_each(monkeypatch):
    h = client(n_goals=80, per_goal=2, per_outcome=2)  # joining would cross more here
    assert layout(h) == one_block_per_goal(h, monkeypatch)


def test_items_no_goal_reaches_share_one_block_at_the_end():
    h = hierarchy([goal("g1"), outcome("o1"), outcome("lost"), commitment("c9")], [("g1", "o1")])
    assert goal_blocks(build(h)) == [["g1", "o1"], ["lost", "c9"]]


def test_every_block_keeps_its_kinds_in_lanes_at_the_same_heights():
    h = client()
    pos = layout(h)
    kinds = {i.id: i.kind for i in h.items.values()}
    goal_rows = sorted({pos[n][1] for n, k in kinds.items() if k == "goal"})
    assert len(goal_rows) > 1  # several rows of blocks
    for top, below in zip(goal_rows, [*goal_rows[1:], float("inf")], strict=True):
        lanes = {}
        for n, (_x, y) in pos.items():
            if top <= y < below:
                lanes.setdefault(layer_of(kinds[n]), set()).add(y)
        # One y per lane in a row of blocks (two for the commitments' staggered sub-rows).
        assert [len(lanes[r]) for r in (0, 1, 3)] == [1, 1, 1]
        assert len(lanes[2]) <= 2
        assert max(lanes[0]) < min(lanes[1]) < min(lanes[2]) <= max(lanes[2]) < min(lanes[3])


def test_a_client_already_drawn_keeps_every_position():
    h = client()
    drawn = layout(h)
    moved = dict(drawn)
    moved["c0_0"] = (moved["c0_0"][0] + 1000.0, moved["c0_0"][1] + 55.0)
    del moved["c5_1"]  # a new item: placed, and nothing else moves
    h.positions = moved
    again = layout(h)
    assert {n: again[n] for n in moved} == moved
    assert "c5_1" in again


def test_a_small_client_stays_one_band():
    h = client(n_goals=2, per_goal=1, per_outcome=2)
    assert not is_ribbon(build(h))
    assert len({y for _x, y in layout(h).values()}) <= 5


def test_rows_of_blocks_turn_back_so_neighbours_stay_side_by_side():
    corners = arrange([(100.0, 100.0)] * 6, aspect=1.2)
    rows = sorted({y for _x, y, _m in corners})
    first, second = ([c for c in corners if c[1] == y] for y in rows[:2])
    # The last block of the first row sits over the first block of the second, mirrored.
    assert first[-1][0] == second[0][0] and second[0][2] and not first[0][2]


def test_the_same_client_gets_the_same_blocks_in_every_run():
    # A set's order changes with the hash seed; the layout must not.
    code = (
        "from tests.graph.test_graph_blocks import client; from graph import layout;"
        "import hashlib; print(hashlib.sha256(repr(sorted(layout(client()).items())).encode())"
        ".hexdigest())"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(seen) == 1
