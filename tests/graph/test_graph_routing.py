"""routing: links drawn through the gaps, never through a node; ports, arrowheads, crossings.

Every check measures the control points `graph.routing.link_path` returns, which are the
points the scene turns into its QPainterPaths.
"""

from graph import build, layout
from graph.examples import commitment, goal, hierarchy, outcome, sprint
from graph.layout import NODE_H, SUB_STEP, X_STEP, Y_STEP, layer_of
from graph.routing import (
    ARROW,
    Rows,
    arrowhead,
    crossings,
    drawing,
    drawn_crossings,
    false_links,
    graph_links,
    link_path,
    polyline,
)
from tests.graph.test_graph_layout import coaching_week, tangled


def drawn_false_links(h, pos=None):
    g = build(h)
    pos = layout(g, positions={}) if pos is None else pos
    return false_links(drawing(graph_links(g), pos), pos)


def whole_client():
    """Two goals, three outcomes, a sprint working on two of them, six commitments."""
    items = [goal("g0"), goal("g1"), outcome("o0"), outcome("o1"), outcome("o2"), sprint("s0")]
    items += [commitment(f"c{i}") for i in range(6)]
    links = [("g0", "o0"), ("g0", "o1"), ("g1", "o2"), ("o0", "s0"), ("o2", "s0")]
    links += [(f"o{i % 3}", f"c{i}") for i in range(6)]
    return hierarchy(items, links)


def test_a_link_past_a_row_is_drawn_through_a_gap_not_through_the_node_in_its_way():
    pos = {"o": (0.0, 0.0), "s": (0.0, 2 * Y_STEP), "c": (0.0, Y_STEP), "d": (X_STEP, Y_STEP)}
    straight = {"l": ("o", "s", link_path(pos["o"], pos["s"]))}
    assert false_links(straight, pos) == [("l", "c")]  # the measure sees a false link
    routed = {"l": ("o", "s", link_path(pos["o"], pos["s"], Rows(pos)))}
    assert false_links(routed, pos) == []


def test_a_laid_out_client_draws_no_link_through_a_node_that_is_not_its_end():
    for seed in range(3):
        assert drawn_false_links(tangled(seed=seed)) == []
    assert drawn_false_links(whole_client()) == []


def test_links_into_the_lower_subrow_of_wrapped_work_pass_between_the_nodes_above():
    h = coaching_week(14)
    pos = layout(h)
    assert {y for n, (_x, y) in pos.items() if n.startswith("c")} == {
        2 * Y_STEP,
        2 * Y_STEP + SUB_STEP,
    }
    assert drawn_false_links(h, pos) == []


def test_each_kind_is_its_own_lane_goals_outcomes_commitments_sprints():
    h = whole_client()
    pos = layout(h)
    lanes = {}
    for n, (_x, y) in pos.items():
        lanes.setdefault(h.items[n].kind, set()).add(y)
    work = 2 * Y_STEP  # six commitments under three outcomes: wrapped in two sub-rows
    assert lanes == {
        "goal": {0.0},
        "outcome": {Y_STEP},
        "commitment": {work, work + SUB_STEP},
        "sprint": {work + SUB_STEP + Y_STEP},  # below the work's lower sub-row
    }
    assert [layer_of(k) for k in ("goal", "outcome", "commitment", "sprint")] == [0, 1, 2, 3]


def test_a_nodes_links_leave_it_at_spread_ports_in_the_order_of_their_other_ends():
    h = whole_client()
    g = build(h)
    pos = layout(g, positions={})
    paths = drawing(graph_links(g), pos)
    starts = sorted(
        (pos[lower][0], path[0][0]) for upper, lower, path in paths.values() if upper == "o0"
    )
    assert len(starts) == 3
    assert len({x for _end, x in starts}) == 3  # not all from one point
    assert [x for _end, x in starts] == sorted(x for _end, x in starts)  # fanned, not crossed


def test_the_arrowhead_points_into_the_node_served():
    path = link_path((0.0, 0.0), (200.0, Y_STEP))
    left, tip, right = arrowhead(path)
    assert tip == path[0] == (0.0, NODE_H / 2)  # the upper node's bottom edge
    assert left[1] == right[1] == tip[1] + ARROW  # opening downward: pointing up, into it


def test_a_node_dropped_onto_a_link_has_the_link_drawn_around_it():
    h = whole_client()
    g = build(h)
    pos = layout(g, positions={})
    paths = drawing(graph_links(g), pos)
    # Drop a new commitment where the sprint's link passes the commitments' row.
    passing = next(path for upper, lower, path in paths.values() if lower == "s0")
    x_pass = next(x for x, y in polyline(passing) if abs(y - 2 * Y_STEP) < 1)
    moved = {**pos, "new": (x_pass, 2 * Y_STEP)}
    h.items["new"] = commitment("new")
    links = graph_links(build(h))
    assert false_links(drawing(links, moved), moved) == []
    assert {n: moved[n] for n in pos} == pos  # only the new node has a new place


def test_a_child_dragged_above_its_parent_is_still_drawn_clear_of_other_nodes():
    pos = {"o": (0.0, 2 * Y_STEP), "c": (0.0, 0.0), "x": (0.0, Y_STEP), "y": (X_STEP, Y_STEP)}
    paths = drawing([("l", "o", "c")], pos)
    assert false_links(paths, pos) == []
    upper, lower, path = paths["l"]
    assert (upper, lower) == ("c", "o")  # drawn down from the node that is higher


def test_a_node_dragged_down_to_just_above_the_next_row_is_not_crossed_by_a_link_past_it():
    # Found by dragging "Buy running shoes" 30 units down: the link from its outcome to a
    # commitment below left the gap beside it and swung back up through it.
    pos = {"o": (162.0, 160.0), "near": (40.0, 350.0), "c": (110.0, 430.0), "x": (-200.0, 320.0)}
    paths = drawing([("l", "o", "c")], pos)
    assert false_links(paths, pos) == []
    ys = [y for _x, y in polyline(paths["l"][2])]
    assert ys == sorted(ys)  # down all the way: it never turns back up into a row


def test_drawn_crossings_count_the_pairs_that_swap_between_rows():
    pos = {"a": (0.0, 0.0), "b": (X_STEP, 0.0), "x": (0.0, Y_STEP), "y": (X_STEP, Y_STEP)}
    assert drawn_crossings([("1", "a", "y"), ("2", "b", "x")], pos) == 1
    assert drawn_crossings([("1", "a", "x"), ("2", "b", "y")], pos) == 0
    # A link passing a row is counted in each band it crosses.
    assert crossings([[(0, 0), (1, 0), (2, 2)], [(0, 1), (1, 1), (2, 1)]]) == 1


def test_a_layout_crosses_no_more_than_the_order_it_was_given():
    for seed in range(3):
        g = build(tangled(seed=seed))
        pos = layout(g, positions={})
        given = {}
        for row in range(4):
            nodes = [n for n in g if layer_of(g.nodes[n]["kind"]) == row]
            given.update({n: (j * X_STEP, row * Y_STEP) for j, n in enumerate(nodes)})
        links = graph_links(g)
        assert drawn_crossings(links, pos) < drawn_crossings(links, given) / 3
