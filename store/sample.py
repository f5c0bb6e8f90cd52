"""The sample workspace: two coaching engagements that read like real ones.

Written through the same store functions as the app, so it is validated and audited.
Dates are relative to today, so the sample always looks current.
"""

from __future__ import annotations

from datetime import date, timedelta

from store import ops
from store.errors import ValidationError

MAYA = {
    "client": ("Maya Okafor", "Product manager moving into her first leadership role."),
    "goals": [
        ("lead", "Lead a team with confidence", "career", 180),
        ("health", "Rebuild a steady fitness routine", "health", 120),
        ("voice", "Speak up in senior meetings", "career", 150),
    ],
    "outcomes": [
        ("one_on_ones", "Weekly 1:1s with all five reports", ["lead"], 40),
        ("delegation", "Delegate two recurring tasks", ["lead"], 60),
        ("run", "Run 5 km three times a week", ["health"], 50),
        ("sleep", "Asleep by 23:00 on work nights", ["health", "lead"], 45),
        ("proposal", "Present the Q3 roadmap to directors", ["voice", "lead"], 75),
    ],
    "sprints": [
        (1, "Foundations", -42, 0, "completed", ["one_on_ones", "run"]),
        (2, "Delegation and voice", 1, 42, "active", ["delegation", "proposal", "sleep"]),
        (3, "Roadmap month", 43, 85, "planning", ["proposal"]),
    ],
    "sessions": [(-49, "Intake session"), (-21, "Check-in: first sprint"), (-3, "Sprint review")],
    "commitments": [
        ("Book recurring 1:1s in the calendar", 0, ["one_on_ones"], "completed", -40, 100),
        ("Write a 1:1 agenda template", 0, ["one_on_ones"], "completed", -30, 100),
        ("Buy running shoes", 0, ["run"], "completed", -38, 100),
        ("Couch-to-5k weeks 1–4", 1, ["run"], "in_progress", -5, 60),
        ("List tasks only I do", 1, ["delegation"], "completed", 5, 100),
        ("Hand the weekly report to Sam", 2, ["delegation"], "active", 20, 20),
        ("Phone out of the bedroom", 1, ["sleep"], "in_progress", 15, 50),
        ("Draft roadmap storyline", 2, ["proposal"], "active", 30, 30),
        ("Rehearse with a peer", 2, ["proposal", "one_on_ones"], "draft", 40, 0),
        ("Ask one question in every staff meeting", 2, ["proposal"], "active", 25, 40),
        ("Run 5 km under 32 minutes", 2, ["run"], "draft", -1, 0),
        ("Note wins in a brag document", 1, ["delegation", "proposal"], "active", 35, 25),
    ],
    "trash": ("Read a leadership book a month", "delegation"),
}

LEO = {
    "client": ("Leo Brandt", "Freelance designer building a steadier business."),
    "goals": [
        ("income", "Reach a steady monthly income", "business", 270),
        ("portfolio", "Relaunch the portfolio site", "business", 90),
    ],
    "outcomes": [
        ("retainers", "Sign two retainer clients", ["income"], 30),
        ("pricing", "Raise day rate by 15%", ["income"], 55),
        ("cases", "Publish three case studies", ["portfolio", "income"], 80),
    ],
    "sprints": [
        (1, "Pipeline", -28, 14, "active", ["retainers", "pricing"]),
        (2, "Case studies", 15, 56, "planning", ["cases"]),
    ],
    "sessions": [(-30, "Kick-off"), (-10, "Pricing deep-dive")],
    "commitments": [
        ("Email five past clients", 0, ["retainers"], "completed", -20, 100),
        ("Draft a retainer offer", 0, ["retainers"], "in_progress", 5, 50),
        ("Research rates of three peers", 1, ["pricing"], "completed", -8, 100),
        ("Send new rate card to leads", 1, ["pricing", "retainers"], "active", 10, 10),
        ("Outline the first case study", 1, ["cases"], "active", 25, 20),
        ("Ask two clients for quotes", 1, ["cases"], "draft", 30, 0),
        ("Pick a portfolio template", 0, ["cases"], "completed", 18, 100),
        ("Write the about page", 1, ["cases"], "draft", 50, 0),
        ("Track hours weekly", 0, ["pricing"], "in_progress", 12, 40),
        ("Block two deep-work mornings", 1, ["retainers"], "active", 8, 30),
        ("Update LinkedIn headline", 0, ["retainers"], "completed", -25, 100),
        ("Plan a referral bonus", 1, ["retainers", "pricing"], "draft", 12, 0),
    ],
    "trash": None,
}


def day(offset: int, today: date) -> str:
    return (today + timedelta(days=offset)).isoformat()


def add_sample_workspace(today: date | None = None) -> list[str]:
    """Add both sample clients in one transaction; returns their ids."""
    today = today or date.today()
    with ops.operation("Add the sample workspace"):
        return [add_engagement(plan, today) for plan in (MAYA, LEO)]


def add_engagement(plan: dict, today: date) -> str:
    name, notes = plan["client"]
    try:
        client = ops.create_client(name, notes)
    except ValidationError as exc:
        if exc.field != "name":
            raise
        # The whole workspace is one transaction, so the other client is not added either.
        raise ValidationError(
            f"The sample workspace is already here (there is a client named {name!r}); "
            "nothing was added."
        ) from exc
    root = client["id"]
    goals = {
        key: ops.create_goal(root, title, category=cat, target_date=day(off, today))["id"]
        for key, title, cat, off in plan["goals"]
    }
    outcomes = {}
    for index, (key, title, goal_keys, off) in enumerate(plan["outcomes"]):
        outcome = ops.create_outcome(root, title, target_date=day(off, today), order_index=index)
        outcomes[key] = outcome["id"]
        for goal_key in goal_keys:
            ops.link_items(outcome["id"], goals[goal_key])
    for number, title, start, end, status, outcome_keys in plan["sprints"]:
        sprint = ops.create_sprint(
            root, title, day(start, today), day(end, today), sprint_number=number, status=status
        )
        for key in outcome_keys:
            ops.link_items(outcomes[key], sprint["id"])
    sessions = [
        ops.create_session(root, day(off, today), title=title)["id"]
        for off, title in plan["sessions"]
    ]
    for title, session, outcome_keys, status, due, progress in plan["commitments"]:
        commitment = ops.create_commitment(
            root,
            title,
            status=status,
            target_date=day(due, today),
            progress_percentage=progress,
            completed_date=day(min(due, 0), today) if status == "completed" else None,
            session_id=sessions[session],
            priority="high" if progress == 0 else "medium",
        )
        for key in outcome_keys:
            ops.link_items(commitment["id"], outcomes[key])
    if plan["trash"]:
        title, outcome_key = plan["trash"]
        dropped = ops.create_commitment(root, title, type="habit", session_id=sessions[0])
        ops.link_items(dropped["id"], outcomes[outcome_key])
        ops.delete_item(dropped["id"])
    return root
