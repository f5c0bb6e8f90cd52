"""build: live items become nodes, shown links become upper -> lower edges."""

from graph import build, children, has_link, is_live_link, parents
from graph.examples import commitment, goal, hierarchy, outcome, tiny


def test_nodes_carry_kind_title_root_and_item():
    g = build(tiny())
    assert g.nodes["o1"]["kind"] == "outcome"
    assert g.nodes["o1"]["title"] == "Build base"
    assert g.nodes["o1"]["root_id"] == "ann"
    assert g.nodes["o1"]["deleted"] is False
    assert g.nodes["o1"]["item"].id == "o1"


def test_edges_run_upper_to_lower_with_link_attributes():
    g = build(tiny())
    assert g.edges["o2", "c2"] == {"id": "o2-c2", "kind": "commitment_outcome", "weight": 2}
    assert not g.has_edge("c2", "o2")


def test_deleted_items_and_their_links_are_left_out():
    h = hierarchy(
        [goal("g1"), outcome("o1", deleted=True), commitment("c1")], [("g1", "o1"), ("o1", "c1")]
    )
    g = build(h)
    assert set(g) == {"g1", "c1"}
    assert g.number_of_edges() == 0


def test_include_deleted_keeps_trash_and_its_links():
    h = hierarchy([goal("g1"), outcome("o1", deleted=True)], [("g1", "o1")])
    g = build(h, include_deleted=True)
    assert g.nodes["o1"]["deleted"] is True
    assert g.has_edge("g1", "o1")


def test_a_link_to_a_missing_item_is_left_out():
    h = hierarchy([goal("g1"), outcome("o1")], [("g1", "o1"), ("g1", "ghost")])
    assert list(build(h).edges) == [("g1", "o1")]


def test_a_duplicate_link_row_makes_one_edge_keeping_the_first():
    h = hierarchy([outcome("o1"), commitment("c1")], [("o1", "c1", 2), ("o1", "c1", 5)])
    g = build(h)
    assert g.number_of_edges() == 1
    assert g.edges["o1", "c1"]["weight"] == 2


def test_graph_keeps_positions_and_client_names():
    h = tiny()
    h.positions["g1"] = (1.0, 2.0)
    g = build(h)
    assert g.graph["positions"] == {"g1": (1.0, 2.0)}
    assert g.graph["clients"] == {"ann": "Ann"}


def test_helpers_read_neighbours_by_kind():
    g = build(tiny())
    assert parents(g, "c2") == ["o1", "o2"]
    assert children(g, "o1", kind="sprint") == ["s1"]
    assert has_link(g, "c1", "o1") and has_link(g, "o1", "c1")
    assert not has_link(g, "c1", "o2")


def test_is_live_link_is_false_when_an_end_is_trashed_or_missing():
    h = hierarchy([goal("g1"), outcome("o1", deleted=True)], [("g1", "o1"), ("g1", "gone")])
    assert [is_live_link(h, link) for link in h.links] == [False, False]
