"""layout: layered rows, no overlaps, hand-placed nodes kept, fewer crossings."""

import random
from itertools import combinations, pairwise

import networkx as nx

from graph import NODE_H, NODE_W, build, count_crossings, layout
from graph.examples import commitment, goal, hierarchy, outcome, sprint, tiny
from graph.layout import (
    MAX_SUBROWS,
    SUB_STEP,
    WRAP_MAX,
    X_STEP,
    Y_STEP,
    layer_of,
    order_layers,
)


def overlapping(pos):
    """Pairs of nodes whose boxes (centred on their positions) overlap."""
    return [
        (a, b)
        for (a, (xa, ya)), (b, (xb, yb)) in combinations(pos.items(), 2)
        if abs(xa - xb) < NODE_W and abs(ya - yb) < NODE_H
    ]


def input_order(g):
    """Positions with every row in the order the nodes were given: the 'before' picture."""
    seen = {}
    pos = {}
    for n in g:
        row = layer_of(g.nodes[n]["kind"])
        pos[n] = (seen.get(row, 0) * X_STEP, row * Y_STEP)
        seen[row] = seen.get(row, 0) + 1
    return pos


def tangled(n_goals=8, n_outcomes=30, n_sprints=6, n_commitments=120, seed=7):
    """A random hierarchy given in shuffled order, so its input order has many crossings."""
    rnd = random.Random(seed)
    items = [goal(f"g{i}") for i in range(n_goals)]
    items += [outcome(f"o{i}") for i in range(n_outcomes)]
    items += [sprint(f"s{i}") for i in range(n_sprints)]
    items += [commitment(f"c{i}") for i in range(n_commitments)]
    links = {(f"g{rnd.randrange(n_goals)}", f"o{i}") for i in range(n_outcomes)}
    links |= {(f"o{rnd.randrange(n_outcomes)}", f"s{i}") for i in range(n_sprints)}
    links |= {(f"o{rnd.randrange(n_outcomes)}", f"c{i}") for i in range(n_commitments)}
    links |= {
        (f"o{rnd.randrange(n_outcomes)}", f"c{rnd.randrange(n_commitments)}") for _ in range(20)
    }
    rnd.shuffle(items)
    return hierarchy(items, sorted(links))


def test_each_kind_has_its_own_row_goals_outcomes_commitments_then_sprints():
    # Sprints and commitments used to share row 2; each kind now reads as its own lane.
    pos = layout(tiny())
    assert {n: y for n, (_x, y) in pos.items()} == {
        "g1": 0.0,
        "o1": Y_STEP,
        "o2": Y_STEP,
        "s1": 3 * Y_STEP,
        "c1": 2 * Y_STEP,
        "c2": 2 * Y_STEP,
        "c3": 2 * Y_STEP,
    }


def test_a_parent_sits_centred_over_its_children():
    h = hierarchy(
        [goal("g1"), outcome("o1"), outcome("o2"), commitment("c1"), commitment("c2")],
        [("g1", "o1"), ("g1", "o2"), ("o1", "c1"), ("o2", "c2")],
    )
    assert layout(h) == {
        "o1": (0.0, Y_STEP),
        "o2": (X_STEP, Y_STEP),
        "g1": (X_STEP / 2, 0.0),
        "c1": (0.0, 2 * Y_STEP),
        "c2": (X_STEP, 2 * Y_STEP),
    }


def test_no_two_nodes_overlap():
    pos = layout(tangled())
    assert len(pos) == 8 + 30 + 6 + 120
    assert overlapping(pos) == []


def test_unlinked_items_are_placed_at_the_end_of_their_row():
    h = tiny()
    h.items["lone"] = commitment("lone")
    h.items["g0"] = goal("g0")
    pos = layout(h)
    row2 = [x for n, (x, y) in pos.items() if y == 2 * Y_STEP and n != "lone"]
    assert pos["lone"][0] > max(row2)
    assert pos["g0"] == (pos["g1"][0] + X_STEP, 0.0)
    assert overlapping(pos) == []


def test_layout_never_has_more_crossings_than_the_input_order():
    for seed in range(5):
        g = build(tangled(seed=seed))
        before = count_crossings(g, input_order(g))
        after = count_crossings(g, layout(g))
        assert after <= before
        assert after < before / 3  # shuffled input is far from the best order


def test_a_crafted_crossing_is_removed():
    h = hierarchy(
        [goal("a"), goal("b"), outcome("x"), outcome("y"), commitment("p"), commitment("q")],
        [("a", "y"), ("b", "x"), ("x", "q"), ("y", "p")],
    )
    g = build(h)
    assert count_crossings(g, input_order(g)) == 2
    assert count_crossings(g, layout(h)) == 0


def test_order_layers_keeps_every_node_once():
    g = build(tangled())
    rows = order_layers(g)
    assert sorted(n for row in rows for n in row) == sorted(g)


def test_placed_nodes_keep_their_positions_and_others_avoid_them():
    h = tangled()
    h.positions = {"g1": (12.5, -40.0), "c5": (0.0, 2 * Y_STEP), "c6": (X_STEP * 3, 2 * Y_STEP)}
    pos = layout(h)
    assert {n: pos[n] for n in h.positions} == h.positions
    assert overlapping(pos) == []


def test_positions_saved_in_the_graph_are_used():
    h = tiny()
    h.positions["o2"] = (999.0, 999.0)
    assert layout(build(h))["o2"] == (999.0, 999.0)


def test_only_places_the_given_nodes_next_to_their_placed_neighbours():
    h = tiny()
    h.positions = {"g1": (0.0, 0.0), "o1": (500.0, Y_STEP), "o2": (900.0, Y_STEP)}
    pos = layout(h, only=["c1"])
    assert pos == {**h.positions, "c1": (500.0, 2 * Y_STEP)}


def test_only_pushes_a_new_node_past_a_placed_one_in_its_spot():
    h = tiny()
    h.positions = {"o1": (500.0, Y_STEP), "c2": (500.0, 2 * Y_STEP)}
    pos = layout(h, only=["c1"])
    assert pos["c1"] == (500.0 + X_STEP, 2 * Y_STEP)


def test_only_recomputes_a_node_even_if_it_was_placed():
    h = tiny()
    h.positions = {"o1": (500.0, Y_STEP), "c1": (-3000.0, 5000.0)}
    assert layout(h, only=["c1"])["c1"] == (500.0, 2 * Y_STEP)


def test_count_crossings_ignores_edges_sharing_an_end():
    g = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "y")])
    pos = {"a": (0, 0), "b": (1, 0), "x": (0, 1), "y": (1, 1)}
    assert count_crossings(g, pos) == 0
    pos["a"], pos["b"] = (1, 0), (0, 0)
    assert count_crossings(g, pos) == 1


def test_ten_thousand_nodes_get_places_without_overlaps():
    # Its speed is measured in `make bench`, never asserted here.
    rnd = random.Random(3)
    items = [goal(f"g{i}") for i in range(100)] + [outcome(f"o{i}") for i in range(1000)]
    items += [sprint(f"s{i}") for i in range(200)] + [commitment(f"c{i}") for i in range(8700)]
    links = {(f"g{i // 10}", f"o{i}") for i in range(1000)}
    links |= {(f"o{rnd.randrange(1000)}", f"s{i}") for i in range(200)}
    for i in range(8700):
        links.add((f"o{i * 1000 // 8700}", f"c{i}"))
        links.add((f"o{rnd.randrange(1000)}", f"c{i}"))
    h = hierarchy(items, links)
    assert len(h.items) == 10_000 and len(h.links) > 18_000
    pos = layout(h)
    assert len(pos) == 10_000
    rows = {}
    for x, y in pos.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():  # no overlaps, checked row by row in n log n
        xs.sort()
        assert all(b - a >= NODE_W for a, b in pairwise(xs))


def coaching_week(n_commitments, extra=()):
    """Two goals, three outcomes and `n_commitments` commitments spread over the outcomes;
    `extra` commitments hang from the first outcome."""
    items = [goal("g0"), goal("g1"), outcome("o0"), outcome("o1"), outcome("o2")]
    items += [commitment(f"c{i}") for i in range(n_commitments)]
    items += [commitment(n) for n in extra]
    links = [("g0", "o0"), ("g0", "o1"), ("g1", "o2")]
    links += [(f"o{i % 3}", f"c{i}") for i in range(n_commitments)]
    links += [("o0", n) for n in extra]
    return hierarchy(items, links)


def test_a_wide_bottom_row_is_drawn_in_staggered_subrows_in_its_crossing_free_order():
    h = coaching_week(14)
    pos = layout(h)
    work = sorted((n for n in pos if n.startswith("c")), key=lambda n: pos[n][0])
    ys = [pos[n][1] for n in work]
    bottom = 2 * Y_STEP
    assert ys == [bottom + (j % MAX_SUBROWS) * SUB_STEP for j in range(14)]
    assert work == order_layers(build(h))[2]  # left to right: the order of one row
    assert count_crossings(build(h), pos) == 0
    assert overlapping(pos) == []
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    assert width < 14 * X_STEP / 2  # the point of it: far narrower than one line


def test_a_bottom_row_no_wider_than_the_rows_above_stays_one_line():
    pos = layout(coaching_week(4))
    assert {pos[f"c{i}"][1] for i in range(4)} == {2 * Y_STEP}


def test_a_new_item_under_staggered_work_is_placed_clear_of_every_subrow():
    placed = layout(coaching_week(14))
    h = coaching_week(14, extra=["new"])
    h.positions = placed
    pos = layout(h)
    assert {n: pos[n] for n in h.positions} == h.positions
    assert pos["new"][1] == 2 * Y_STEP
    assert overlapping(pos) == []


def test_a_bottom_row_too_wide_to_read_on_one_screen_stays_one_line():
    # One goal: nothing to split into goal blocks (two goals would be, see test_graph_blocks).
    n = WRAP_MAX + 1
    items = [goal("g0"), outcome("o0"), outcome("o1")] + [commitment(f"c{i}") for i in range(n)]
    links = [("g0", "o0"), ("g0", "o1")] + [(f"o{i % 2}", f"c{i}") for i in range(n)]
    pos = layout(hierarchy(items, links))
    assert {pos[f"c{i}"][1] for i in range(n)} == {2 * Y_STEP}
