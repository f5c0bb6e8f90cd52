"""The digest on a literal, scripted history: the state at a time is the current state with
the later changes undone, and the digest names exactly what changed in the period."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from markdown_it import MarkdownIt

from graph.digest import Change, Period, as_json, digest, lines, markdown, state_at
from graph.examples import commitment, goal, hierarchy, outcome
from graph.model import COMMITMENT_OUTCOME, OUTCOME_GOAL, Link

MADE = "2024-01-01T09:00:00.000000+00:00"
START = "2024-02-01T00:00:00.000000+00:00"
PERIOD = Period(START, None, date(2024, 3, 10), "Since 2024-02-01")


def at(day: str) -> str:
    return f"2024-{day}T12:00:00.000000+00:00"


def link(upper: str, lower: str) -> Link:
    kind = OUTCOME_GOAL if upper.startswith("g") else COMMITMENT_OUTCOME
    return Link(f"{upper}-{lower}", kind, upper, lower, "ann")


def trashed(item, when: str):
    return dataclasses.replace(item, deleted=True, fields=item.fields | {"deleted_at": when})


def live(item):
    return dataclasses.replace(item, deleted=False, fields=item.fields | {"deleted_at": None})


class History:
    """A scripted history: every change is applied to `now` and kept as a Change."""

    def __init__(self, items, links):
        self.now = hierarchy(items, links, clients={"ann": "Maya"})
        self.changes: list[Change] = []

    def change(self, when: str, action: str, record_id: str, after) -> None:
        before = self.now.items.get(record_id) or next(
            (x for x in self.now.links if x.id == record_id), None
        )
        self.changes.append(Change(when, len(self.changes) + 1, action, record_id, before, after))
        self.now.items.pop(record_id, None)
        self.now.links = [x for x in self.now.links if x.id != record_id]
        if isinstance(after, Link):
            self.now.links.append(after)
        elif after is not None:
            self.now.items[record_id] = after


def scripted() -> History:
    """Maya's month: before the period a goal, two outcomes and three commitments; in it, one
    completed, one added (and overdue), one trashed, one restored, an outcome trashed, a link
    added and a link removed."""
    g1 = goal("g1", "Lead a team", created_at=MADE)
    o1, o2 = (
        outcome(i, t, created_at=MADE) for i, t in (("o1", "Weekly 1:1s"), ("o2", "Delegate"))
    )
    c1 = commitment("c1", "Book 1:1s", status="active", progress=0, created_at=MADE)
    c3 = commitment("c3", "Old task", status="active", progress=40, created_at=MADE)
    c4 = trashed(commitment("c4", "Restored", status="active", created_at=MADE), MADE)
    h = History(
        [g1, o1, o2, c1, c3, c4],
        [("g1", "o1"), ("g1", "o2"), ("o1", "c1"), ("o1", "c3"), ("o2", "c1")],
    )
    h.change(at("01-20"), "update", "c3", dataclasses.replace(c3))  # before the period
    done = dataclasses.replace(c1, fields=c1.fields | {"status": "completed"})
    h.change(at("02-05"), "update", "c1", done)
    c2 = commitment(
        "c2", "Write agenda", status="active", progress=50, target_date="2024-03-01",
        created_at=at("02-10"),
    )  # fmt: skip
    h.change(at("02-10"), "create", "c2", c2)
    h.change(at("02-10"), "link", "o1-c2", link("o1", "c2"))
    h.change(at("02-12"), "delete", "c3", trashed(c3, at("02-12")))
    h.change(at("02-15"), "restore", "c4", live(c4))
    h.change(at("02-18"), "delete", "o2", trashed(o2, at("02-18")))
    h.change(at("02-20"), "unlink", "o2-c1", None)
    return h


def test_the_state_at_the_start_undoes_every_later_change():
    h = scripted()
    then = state_at(h.now, h.changes, START)
    assert sorted(then.items) == ["c1", "c3", "c4", "g1", "o1", "o2"]
    assert then.items["c1"].fields["status"] == "active"
    assert (
        not then.items["c3"].deleted and then.items["c4"].deleted and not then.items["o2"].deleted
    )
    assert [x.id for x in then.links] == ["g1-o1", "g1-o2", "o1-c1", "o1-c3", "o2-c1"]


def test_the_digest_of_a_scripted_history_reads_exactly():
    h = scripted()
    d = digest(h.now, h.changes, PERIOD, "Maya")
    assert lines(d) == [
        "Maya: Since 2024-02-01",
        "Completed (1):",
        "  - Book 1:1s",
        "Added (1):",
        "  - Write agenda (due 2024-03-01)",
        "Now overdue (1):",
        "  - Write agenda (due 2024-03-01)",
        "Moved to the trash (2):",
        "  - outcome 'Delegate'",
        "  - Old task",
        "Restored from the trash (1):",
        "  - Restored",
        "Goals:",
        "  - Lead a team: 10% → 75%",
        "Outcomes:",
        "  - Weekly 1:1s: 20% → 75%",
        "Links added (1):",
        "  - commitment 'Write agenda' → outcome 'Weekly 1:1s'",
        "Links removed (1):",
        "  - commitment 'Book 1:1s' → outcome 'Delegate'",
    ]


def test_a_period_that_ends_before_now_leaves_later_changes_out():
    h = scripted()
    # From the start to just before the outcome went to the trash and the link was removed.
    period = Period(START, at("02-16"), date(2024, 2, 16), "Until the 16th")
    d = digest(h.now, h.changes, period, "Maya")
    assert [e.id for e in d.trashed] == ["c3"]
    assert d.links_removed == []
    # Overdue is judged on the period's last day: c2 falls due after it.
    assert d.overdue == []
    # o2 is live at the period's end: its goal's progress counts it (c1, completed, 100%).
    assert [(p.id, p.then, p.now) for p in d.outcomes] == [("o2", 0.0, 100.0), ("o1", 20.0, 75.0)]


def test_links_a_purge_cascaded_away_come_back_from_their_last_row_before_the_start():
    o1 = outcome("o1", "Weekly 1:1s", created_at=MADE)
    c5 = commitment("c5", "Purged later", progress=80, created_at=MADE)
    h = History([o1], [])
    h.now.items["c5"] = c5  # made before the period...
    h.change(at("01-05"), "link", "o1-c5", link("o1", "c5"))  # ...and linked before it
    h.change(at("02-03"), "delete", "c5", trashed(c5, at("02-03")))
    # Purge: the item goes and its link with it, by cascade, without a row of its own.
    h.change(at("02-04"), "purge", "c5", None)
    h.now.links = []
    d = digest(h.now, h.changes, PERIOD, "Maya")
    assert [x.id for x in state_at(h.now, h.changes, START).links] == ["o1-c5"]
    assert [(p.then, p.now) for p in d.outcomes] == [(80.0, 0.0)]
    assert [e.id for e in d.trashed] == ["c5"]
    assert d.links_removed == []  # it went with its item, which has its own line


def test_an_item_with_no_row_of_its_own_made_in_the_period_counts_as_added():
    # A JSON import writes one summary row, not one per item: created_at tells.
    imported = commitment("c9", "Imported", created_at=at("02-02"))
    h = History([imported], [])
    d = digest(h.now, h.changes, PERIOD, "Maya")
    assert [e.id for e in d.added] == ["c9"]
    assert "c9" not in state_at(h.now, h.changes, START).items


def test_changes_of_one_instant_are_undone_in_the_order_they_were_written():
    c1 = commitment("c1", "Run", status="draft", created_at=MADE)
    h = History([c1], [])
    active = dataclasses.replace(c1, fields=c1.fields | {"status": "active"})
    h.change(at("02-05"), "update", "c1", active)
    h.change(
        at("02-05"),
        "update",
        "c1",
        dataclasses.replace(c1, fields=c1.fields | {"status": "completed"}),
    )
    assert state_at(h.now, h.changes, START).items["c1"].fields["status"] == "draft"
    assert state_at(h.now, list(reversed(h.changes)), START).items["c1"].fields["status"] == "draft"


def test_a_quiet_period_says_so():
    h = History([goal("g1", "Lead a team", created_at=MADE)], [])
    d = digest(h.now, h.changes, PERIOD, "Maya")
    assert lines(d) == [
        "Maya: Since 2024-02-01",
        "Goals:",
        "  - Lead a team: 0% (no change)",
        "Nothing changed in this period.",
    ]


def test_markdown_escapes_user_text_and_keeps_its_own_markup():
    h = scripted()
    c2 = h.now.items["c2"]
    h.now.items["c2"] = dataclasses.replace(c2, title="Write *the* agenda_v2")
    text = markdown(digest(h.now, h.changes, PERIOD, "Maya"))
    assert text.startswith("## Maya: Since 2024-02-01\n\n**Completed** (1)\n\n- Book 1:1s\n")
    assert "- Write \\*the\\* agenda\\_v2 (due 2024-03-01)" in text
    assert "**Goals**\n\n- Lead a team: 10% → 75%" in text


def test_as_json_has_the_readmes_shape():
    doc = as_json(digest(scripted().now, scripted().changes, PERIOD, "Maya"))
    assert doc["period"] == {
        "start": START,
        "end": None,
        "as_of": "2024-03-10",
        "label": "Since 2024-02-01",
    }
    assert doc["commitments"]["completed"] == [
        {"kind": "commitment", "id": "c1", "title": "Book 1:1s", "due": None}
    ]
    assert doc["progress"]["goals"] == [
        {"id": "g1", "title": "Lead a team", "then": 10.0, "now": 75.0}
    ]
    assert doc["trashed"] == [
        {"kind": "outcome", "id": "o2", "title": "Delegate"},
        {"kind": "commitment", "id": "c3", "title": "Old task"},
    ]
    assert doc["links"]["removed"] == [
        {
            "id": "o2-c1",
            "kind": "commitment_outcome",
            "upper": {"kind": "outcome", "id": "o2", "title": "Delegate"},
            "lower": {"kind": "commitment", "id": "c1", "title": "Book 1:1s"},
        }
    ]


HOSTILE_TITLES = [
    "Hostile <b>Client</b> &amp; 😀",
    "&copy; &#35; & fish",
    "1. Plan the week",
    "2) Review",
    "- not a list",
    "+ nor this",
    "# not a heading",
    "Sprint #",
    "> not a quote",
    "*a* _b_ `c` ~~d~~",
    "[a link](https://example.com) ![an image](x.png) <https://example.com>",
    "x | y",
    "a trailing backslash \\",
    "---",
]


def hostile_digest(title: str):
    h = scripted()
    c2 = h.now.items["c2"]
    h.now.items["c2"] = dataclasses.replace(c2, title=title)
    return digest(h.now, h.changes, PERIOD, title)


def test_markdown_escapes_ampersands_so_entities_read_as_typed():
    text = markdown(hostile_digest("Hostile <b>Client</b> &amp; 😀"))
    assert text.startswith("## Hostile \\<b\\>Client\\</b\\> \\&amp; 😀: Since 2024-02-01\n")
    assert "- Hostile \\<b\\>Client\\</b\\> \\&amp; 😀 (due 2024-03-01)" in text


def test_markdown_escapes_what_would_start_a_block_or_close_a_heading():
    assert markdown(hostile_digest("1. Plan #")).startswith("## 1\\. Plan #: Since 2024-02-01")
    text = markdown(hostile_digest("- not a list"))
    assert "- \\- not a list (due 2024-03-01)" in text


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_user_text_reads_back_from_the_markdown_exactly_as_typed(title):
    """Rendered by a CommonMark parser (markdown-it-py), the heading reads as the client's name
    and the label, and the added commitment's line as its title: no markup, no entity."""
    tokens = MarkdownIt("commonmark").parse(markdown(hostile_digest(title)))
    kinds = [t.type for t in tokens]
    assert kinds[:3] == ["heading_open", "inline", "heading_close"]
    assert plain(tokens[1]) == f"{title}: Since 2024-02-01"
    heading = next(i for i, t in enumerate(tokens) if t.content == "**Added** (1)")
    first_item = kinds.index("inline", heading + 1)  # after the list and item and paragraph
    assert kinds[heading + 2 : first_item] == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
    ]
    assert plain(tokens[first_item]) == f"{title} (due 2024-03-01)"
    assert "html_block" not in kinds and "hr" not in kinds and "ordered_list_open" not in kinds


def plain(token) -> str:
    """An inline token's text as a reader sees it (markup would make other child tokens)."""
    assert all(child.type == "text" for child in token.children), token.children
    return "".join(child.content for child in token.children)
