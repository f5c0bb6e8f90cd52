"""`trellis commitments` and `trellis digest` as real subprocesses on a real file made through the
store (with the audit clock set to chosen days): exact answers, and every refusal one sentence,
exit 2, the file exactly as it was."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from store import audit, ops
from store.opening import close_database, open_database
from tests.cli.conftest import json_out, run_trellis

MAYA = "Maya Okafor"


class Clock:
    """audit.now for building the file: noon UTC of the chosen day, a microsecond per call."""

    def __init__(self, day: str):
        self.day, self.calls = day, 0

    def __call__(self) -> str:
        self.calls += 1
        return f"{self.day}T12:00:00.{self.calls:06d}+00:00"


@pytest.fixture(scope="module")
def coach_db(tmp_path_factory):
    """Maya (and Leo, so --client matters), with a January 2020 the digest can read."""
    path = tmp_path_factory.mktemp("coach") / "coach.db"
    clock = Clock("2020-01-02")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit, "now", clock)
        open_database(path)
        try:
            ids = build_history(clock)
        finally:
            close_database()
    return path, ids


def build_history(clock: Clock) -> dict[str, str]:
    root = ops.create_client(MAYA)["id"]
    leo = ops.create_client("Leo Brandt")["id"]
    ops.create_goal(leo, "Lead a team")  # the same title in another client is no clash
    ids = {"root": root}
    ids["g1"] = ops.create_goal(root, "Lead a team")["id"]
    ids["g2"] = ops.create_goal(root, "Get fit")["id"]
    ids["g-old"] = ops.create_goal(root, "Old goal")["id"]
    ops.delete_item(ids["g-old"])
    outcomes = [("o1", "Weekly 1:1s", "g1"), ("o2", "Delegate", "g1"), ("o3", "Run 5 km", "g2")]
    outcomes += [("o4", "Same name", "g1"), ("o5", "Same name", "g2")]
    for key, title, goal in outcomes:
        ids[key] = ops.create_outcome(root, title)["id"]
        ops.link_items(ids[key], ids[goal])
    ids["s1"] = ops.create_sprint(root, "Foundations", "2020-01-01", "2020-02-11")["id"]
    ids["s2"] = ops.create_sprint(root, "Voice", "2020-02-12", "2020-03-20")["id"]
    for outcome, sprint in (("o1", "s1"), ("o2", "s1"), ("o3", "s2")):
        ops.link_items(ids[outcome], ids[sprint])
    ids["se1"] = ops.create_session(root, "2020-01-05", title="Kick-off")["id"]
    ids["se2"] = ops.create_session(root, "2020-01-20", title="Check-in")["id"]
    ids["c1"] = ops.create_commitment(root, "Book 1:1s", target_date="2001-01-10")["id"]
    ids["c2"] = ops.create_commitment(
        root, "Hand over\x1b[2J report", target_date="2999-01-01", priority="high",
        session_id=ids["se1"],
    )["id"]  # fmt: skip
    ids["c3"] = ops.create_commitment(root, "Morning run", target_date="2001-01-01")["id"]
    for commitment, outcome in (("c1", "o1"), ("c1", "o2"), ("c2", "o2"), ("c3", "o3")):
        ops.link_items(ids[commitment], ids[outcome])
    clock.day = "2020-01-08"
    ops.update_item(ids["c3"], status="completed")
    ids["c4"] = ops.create_commitment(root, "Draft agenda")["id"]
    ops.link_items(ids["c4"], ids["o1"])
    return ids


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path, *args: str) -> str:
    """Run a command that must be refused: exit 2, one line, no traceback, the file unchanged."""
    before = sha256(path)
    done = run_trellis(*args, db=path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: "), done.stderr
    assert "Traceback" not in done.stderr
    assert sha256(path) == before
    return lines[0]


def listed(path, *args: str) -> dict:
    done = run_trellis("commitments", "--client", MAYA, "--json", *args, db=path)
    assert done.returncode == 0, done.stderr
    return json_out(done)


# ---------------------------------------------------------------- commitments


def test_a_commitment_reaching_sprint_1_through_two_outcomes_is_listed_once(coach_db):
    path, ids = coach_db
    doc = listed(path, "--sprint", "Sprint 1")
    # Undated "Draft agenda" (through o1 alone) comes last.
    assert [c["id"] for c in doc["commitments"]] == [ids["c1"], ids["c2"], ids["c4"]]
    first = doc["commitments"][0]
    assert first["sprints"] == [{"id": ids["s1"], "title": "Sprint 1: Foundations"}]
    assert first["goals"] == [{"id": ids["g1"], "title": "Lead a team"}]
    assert [o["title"] for o in first["outcomes"]] == ["Delegate", "Weekly 1:1s"]
    assert doc["sentence"] == "Commitments in Sprint 1: Foundations"
    assert doc["filter"]["sprint"] == {"id": ids["s1"], "title": "Sprint 1: Foundations"}


def test_a_sprint_is_named_by_id_title_or_number_alike(coach_db):
    path, ids = coach_db
    for name in (ids["s1"], "Foundations", "Sprint 1: Foundations", "Sprint 1"):
        assert [c["id"] for c in listed(path, "--sprint", name)["commitments"]] == [
            ids["c1"],
            ids["c2"],
            ids["c4"],
        ]


def test_filters_combine_and_the_json_has_the_readmes_shape(coach_db):
    path, ids = coach_db
    doc = listed(path, "--goal", "Lead a team", "--priority", "high", "--session", "Kick-off")
    assert doc["sentence"] == (
        "Commitments of goal 'Lead a team' from session 'Kick-off', with priority high"
    )
    (row,) = doc["commitments"]
    assert row == {
        "id": ids["c2"],
        "title": "Hand over\x1b[2J report",
        "status": "active",
        "priority": "high",
        "type": "commitment",
        "due": "2999-01-01",
        "outcomes": [{"id": ids["o2"], "title": "Delegate"}],
        "goals": [{"id": ids["g1"], "title": "Lead a team"}],
        "sprints": [{"id": ids["s1"], "title": "Sprint 1: Foundations"}],
        "session": {"id": ids["se1"], "title": "Kick-off", "held_on": "2020-01-05"},
        "overdue": False,
    }
    assert set(doc) == {"client", "filter", "sentence", "commitments"}
    assert doc["client"] == {"id": ids["root"], "name": MAYA}


def test_overdue_of_a_goal_in_text_reads_the_filter_first_then_a_table(coach_db):
    path, _ids = coach_db
    done = run_trellis(
        "commitments", "--client", MAYA, "--goal", "Lead a team", "--overdue", db=path
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "Overdue commitments of goal 'Lead a team' (Maya Okafor): 1"
    assert out[1].split() == [
        "title", "status", "priority", "type", "due", "outcomes", "goals", "sprints", "session",
    ]  # fmt: skip
    assert out[2].split("  ")[0] == "Book 1:1s" and "2001-01-10" in out[2]
    assert "Delegate; Weekly 1:1s" in out[2] and "Sprint 1: Foundations" in out[2]
    assert len(out) == 3


def test_a_title_with_control_characters_prints_them_spelled_out(coach_db):
    path, _ids = coach_db
    done = run_trellis("commitments", "--client", MAYA, "--search", "hand", db=path)
    assert "\x1b" not in done.stdout
    assert "Hand over\\x1b[2J report" in done.stdout
    doc = listed(path, "--search", "hand")
    assert doc["commitments"][0]["title"] == "Hand over\x1b[2J report"


def test_no_filter_lists_every_live_commitment(coach_db):
    path, ids = coach_db
    doc = listed(path)
    assert doc["sentence"] == "All commitments"
    assert {c["id"] for c in doc["commitments"]} == {ids[k] for k in ("c1", "c2", "c3", "c4")}


def test_an_ambiguous_title_is_refused_listing_the_matches(coach_db):
    path, ids = coach_db
    line = refused(path, "commitments", "--client", MAYA, "--outcome", "Same name")
    assert "2 outcomes of 'Maya Okafor' are called 'Same name'" in line
    assert ids["o4"] in line and ids["o5"] in line and line.endswith("pass one of the ids.")


def test_an_unknown_title_is_refused_offering_the_nearest(coach_db):
    path, _ids = coach_db
    line = refused(path, "commitments", "--client", MAYA, "--goal", "Lead")
    assert line == (
        "trellis: No goal of 'Maya Okafor' has the id or title 'Lead'; its goals include "
        "'Lead a team', 'Get fit'."
    )


def test_a_trashed_goal_is_refused_saying_it_is_in_the_trash(coach_db):
    path, _ids = coach_db
    line = refused(path, "commitments", "--client", MAYA, "--goal", "Old goal")
    assert line == "trellis: The goal 'Old goal' is in the trash; restore it to filter by it."


def test_another_clients_item_is_unknown_here(coach_db):
    path, ids = coach_db
    line = refused(path, "commitments", "--client", "Leo Brandt", "--sprint", ids["s1"])
    assert "'Leo Brandt' has no sprints" in line


def test_several_clients_and_no_client_is_refused_listing_them(coach_db):
    path, _ids = coach_db
    line = refused(path, "commitments")
    assert line == (
        "trellis: This database has 2 clients; pick one with --client NAME (the clients are "
        "'Leo Brandt', 'Maya Okafor')."
    )


@pytest.mark.parametrize(
    "args, words",
    [
        (("--due-within", "-3"), "--due-within takes 0 or more days (got -3)."),
        (("--due-within", "soon"), "--due-within takes a whole number of days (got 'soon')."),
        (
            ("--due-within", "99999999"),
            "--due-within 99999999 reaches past the calendar's last day, 9999-12-31; "
            "give fewer days.",
        ),
        (("--status", "done"), "--status takes draft, active, in_progress, completed, abandoned"),
        (("--client", "Nobody"), "No client named 'Nobody'"),
    ],
)
def test_bad_filter_arguments_are_one_sentence(coach_db, args, words):
    path, _ids = coach_db
    client = () if "--client" in args else ("--client", MAYA)
    assert words in refused(path, "commitments", *client, *args)


def test_a_missing_database_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "none.db"
    done = run_trellis("commitments", db=missing)
    assert done.returncode == 2 and not missing.exists()


# ---------------------------------------------------------------- digest

SESSION_LINES = [
    "Maya Okafor: Since session 'Kick-off' on 2020-01-05 until session 'Check-in' on 2020-01-20",
    "Completed (1):",
    "  - Morning run (due 2001-01-01)",
    "Added (1):",
    "  - Draft agenda",
    "Now overdue (1):",
    "  - Book 1:1s (due 2001-01-10)",
    "Goals:",
    "  - Get fit: 0% → 50%",  # o3 100% and the second "Same name" 0%
    "  - Lead a team: 0% (no change)",
    "Outcomes:",
    "  - Delegate: 0% (no change)",
    "  - Run 5 km: 0% → 100%",
    "  - Same name: 0% (no change)",
    "  - Same name: 0% (no change)",
    "  - Weekly 1:1s: 0% (no change)",
    "Links added (1):",
    "  - commitment 'Draft agenda' → outcome 'Weekly 1:1s'",
]


def test_digest_of_a_session_reads_exactly(coach_db):
    path, ids = coach_db
    done = run_trellis("digest", "--client", MAYA, "--session", ids["se1"], db=path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == SESSION_LINES


def test_digest_as_markdown_is_the_same_news_for_an_email(coach_db):
    path, ids = coach_db
    done = run_trellis("digest", "--client", MAYA, "--session", ids["se1"], "--markdown", db=path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "## Maya Okafor: Since session 'Kick-off' on 2020-01-05 until session 'Check-in' on "
        "2020-01-20\n\n**Completed** (1)\n\n- Morning run (due 2001-01-01)\n\n**Added** (1)"
    )
    assert "**Links added** (1)\n\n- commitment 'Draft agenda' → outcome 'Weekly 1:1s'" in (
        done.stdout
    )


def test_digest_json_has_the_readmes_shape(coach_db):
    path, ids = coach_db
    done = run_trellis("digest", "--client", MAYA, "--session", ids["se1"], "--json", db=path)
    doc = json.loads(done.stdout)
    assert set(doc) == {
        "client",
        "period",
        "commitments",
        "progress",
        "trashed",
        "restored",
        "links",
    }
    assert doc["period"]["as_of"] == "2020-01-20"
    assert doc["commitments"]["completed"] == [
        {"kind": "commitment", "id": ids["c3"], "title": "Morning run", "due": "2001-01-01"}
    ]
    assert {"id": ids["g2"], "title": "Get fit", "then": 0.0, "now": 50.0} in doc["progress"][
        "goals"
    ]
    assert doc["links"]["added"][0]["lower"] == {
        "kind": "commitment",
        "id": ids["c4"],
        "title": "Draft agenda",
    }


def test_digest_since_a_day_and_by_default_since_the_last_session(coach_db):
    path, _ids = coach_db
    since = run_trellis("digest", "--client", MAYA, "--since", "2020-01-06", db=path)
    assert since.returncode == 0, since.stderr
    assert since.stdout.splitlines()[:5] == [
        "Maya Okafor: Since 2020-01-06",
        "Completed (1):",
        "  - Morning run (due 2001-01-01)",
        "Added (1):",
        "  - Draft agenda",
    ]
    last = run_trellis("digest", "--client", MAYA, db=path)
    assert last.returncode == 0, last.stderr
    assert last.stdout.splitlines()[0] == "Maya Okafor: Since session 'Check-in' on 2020-01-20"
    assert "Completed" not in last.stdout and "Added" not in last.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ("--since", "2020-01-06", "--session", "x"),
            "Give --since DATE or --session ID, not both.",
        ),
        (("--since", "2020-13-01"), "--since takes a date like 2026-03-31 (got '2020-13-01')."),
        (("--since", "20200106"), "--since takes a date like 2026-03-31 (got '20200106')."),
        (("--since", "2999-01-01"), "2999-01-01 is after today; give a day up to today."),
        (("--session", "nope"), "'Maya Okafor' has no session with the id 'nope'"),
        (("--json", "--markdown"), "Give --json or --markdown, not both."),
    ],
)
def test_bad_digest_arguments_are_one_sentence(coach_db, args, words):
    path, _ids = coach_db
    assert words in refused(path, "digest", "--client", MAYA, *args)


def test_digest_since_the_calendars_first_day_covers_the_whole_history(coach_db):
    """0001-01-01's local midnight is before year 1 in UTC east of Greenwich: it is clamped to
    the first instant there is, not refused with a traceback."""
    path, _ids = coach_db
    before = sha256(path)
    for zone in ("UTC", "Asia/Tokyo", "America/New_York"):
        done = run_trellis(
            "digest", "--client", MAYA, "--since", "0001-01-01", db=path, env={"TZ": zone}
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == "Maya Okafor: Since 0001-01-01"
        assert "  - Draft agenda" in done.stdout and done.stderr == ""
    assert sha256(path) == before


def test_digest_of_a_client_with_no_session_asks_for_a_day(coach_db):
    path, _ids = coach_db
    line = refused(path, "digest", "--client", "Leo Brandt")
    assert line == (
        "trellis: 'Leo Brandt' has had no session yet; pass --since DATE for the period to cover."
    )


def test_reading_changes_nothing_in_the_file(coach_db):
    path, ids = coach_db
    before = sha256(path)
    export_before = run_trellis("export", "--to", "/dev/stdout", db=path).stdout
    for args in (
        ("commitments", "--client", MAYA, "--overdue"),
        ("digest", "--client", MAYA, "--session", ids["se1"], "--json"),
    ):
        assert run_trellis(*args, db=path).returncode == 0
    assert sha256(path) == before
    assert run_trellis("export", "--to", "/dev/stdout", db=path).stdout == export_before


HOSTILE = "Hostile <b>Client</b> &amp; 😀"


@pytest.fixture
def hostile_db(tmp_path):
    """A client whose name and commitment are full of Markdown and HTML."""
    path = tmp_path / "hostile.db"
    open_database(path)
    try:
        root = ops.create_client(HOSTILE)["id"]
        ops.create_commitment(root, "Q&A with *the* team &lt;now&gt; #")
    finally:
        close_database()
    return path


def test_digest_markdown_escapes_ampersands_as_it_escapes_angle_brackets(hostile_db):
    today = date.today().isoformat()
    done = run_trellis("digest", "--client", HOSTILE, "--since", today, "--markdown", db=hostile_db)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"## Hostile \\<b\\>Client\\</b\\> \\&amp; 😀: Since {today}\n\n"
        "**Added** (1)\n\n"
        "- Q\\&A with \\*the\\* team \\&lt;now\\&gt; \\#\n"
    )
