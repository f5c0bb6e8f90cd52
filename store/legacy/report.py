"""The plan and the result as one JSON-able document, and as the lines a person reads.

The CLI prints `lines(document(...))` (or the document as JSON); the desktop preview shows the
same document, so both say exactly the same thing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from store.legacy.model import KIND_ORDER, LINK_KINDS, LINK_SOURCES, Plan

# our kind -> (section name as in exports, the legacy table it comes from)
SECTIONS = {
    "client": ("clients", "clients"),
    "session": ("sessions", "coaching_sessions"),
    "goal": ("goals", "client_goals"),
    "outcome": ("outcomes", "targets"),
    "sprint": ("sprints", "sprints"),
    "commitment": ("commitments", "commitments"),
}
SOURCE_COUNTS = ("found", "linked", "converted", "implied", "duplicate", "refused")


def document(plan: Plan, dry_run: bool, result: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the plan (and, after a real run, the result) says, as plain JSON data."""
    doc = {
        "source": plan.source,
        "target": plan.target,
        "dry_run": dry_run,
        "rows": {SECTIONS[k][0]: row_counts(plan, k) for k in KIND_ORDER},
        "links": {
            k: {"new": len(plan.links[k]), "already_imported": plan.links_present[k]}
            for k in LINK_KINDS
        },
        "link_sources": {
            source: {c: plan.sources[source][c] for c in SOURCE_COUNTS} for source in LINK_SOURCES
        },
        "conversions": plan.conversions,
        "placeholders": plan.placeholders,
        "rekeyed": plan.rekeyed,
        "problems": plan.problems,
        "notes": plan.notes,
        "nothing_new": plan.nothing_new,
        "result": None if result is None else result_of(result),
    }
    return doc


def row_counts(plan: Plan, kind: str) -> dict[str, Any]:
    section, table = SECTIONS[kind]
    return {
        "table": table,
        "in_file": plan.in_file.get(table, 0),
        "new": len(plan.rows[kind]),
        "already_imported": plan.present[kind],
        "made_by_import": plan.added[kind],
    }


def result_of(result: dict[str, Any]) -> dict[str, Any]:
    findings = result["findings"]
    by_code = Counter((f.severity, f.code) for f in findings)
    return {
        "added": result["added"],
        "backup": result["backup"],
        # run_plan raises (and rolls back) unless every table grew exactly as planned
        "verified": True,
        "findings": [
            {"severity": severity, "code": code, "count": n}
            for (severity, code), n in sorted(by_code.items())
        ],
        "errors": sum(f.severity == "error" for f in findings),
    }


def where(entry: dict[str, Any]) -> str:
    """How a report line names the row it came from: "targets row 4 (id 9f…)"."""
    if entry.get("row") is None:
        return f"{entry['table']}"
    ident = f" (id {entry['id']})" if entry.get("id") else ""
    return f"{entry['table']} row {entry['row']}{ident}"


def lines(doc: dict[str, Any]) -> list[str]:
    """The whole plan (and result) as text, one fact per line."""
    out = [f"Legacy import of {doc['source']} into {doc['target'] or 'a new database'}", ""]
    out += table_lines(doc) + [""] + link_lines(doc) + [""]
    out += section("Conversions", [f"{where(c)}: {c['message']}" for c in doc["conversions"]])
    out += section("Placeholders", [placeholder_line(p) for p in doc["placeholders"]])
    out += section("New ids", [f"{where(r)}: {r['message']}" for r in doc["rekeyed"]])
    out += section("Problems", [f"{where(p)}: {p['message']}" for p in doc["problems"]])
    out += section("Notes", doc["notes"])
    return out + closing_lines(doc)


def table_lines(doc: dict[str, Any]) -> list[str]:
    out = [
        f"{'Rows':15}{'legacy table':20}{'in file':>8}{'new':>8}{'imported before':>17}"
        f"{'made by import':>16}"
    ]
    for section_name, c in doc["rows"].items():
        out.append(
            f"  {section_name:13}{c['table']:20}{c['in_file']:>8}{c['new']:>8}"
            f"{c['already_imported']:>17}{c['made_by_import']:>16}"
        )
    return out


def link_lines(doc: dict[str, Any]) -> list[str]:
    out = [f"{'Links':35}{'new':>8}{'imported before':>17}"]
    for kind, c in doc["links"].items():
        out.append(f"  {kind:33}{c['new']:>8}{c['already_imported']:>17}")
    out += ["", f"{'Links by source':35}" + "".join(f"{c:>10}" for c in SOURCE_COUNTS)]
    for source, c in doc["link_sources"].items():
        out.append(f"  {source:33}" + "".join(f"{c[k]:>10}" for k in SOURCE_COUNTS))
    return out


def placeholder_line(p: dict[str, Any]) -> str:
    state = "new" if p["new"] else "imported before"
    return (
        f"outcome '{p['title']}' for {p['for_kind']} '{p['for_title']}' of {p['client']} ({state})"
    )


def section(title: str, entries: list[str]) -> list[str]:
    if not entries:
        return [f"{title}: none", ""]
    return [f"{title} ({len(entries)}):"] + [f"  - {e}" for e in entries] + [""]


def closing_lines(doc: dict[str, Any]) -> list[str]:
    result = doc["result"]
    if doc["nothing_new"]:
        out = [
            "Nothing new: every row and link of this file was imported before; "
            "the database is unchanged."
        ]
        return out + ([findings_line(result)] if result else [])
    if doc["dry_run"] or result is None:
        return ["Dry run: nothing was written."]
    added = result["added"]
    rows = sum(added.get(k, 0) for k in KIND_ORDER)
    links = sum(added.get(k, 0) for k in LINK_KINDS)
    out = [
        f"Imported {rows} rows and {links} links in one transaction; "
        "the database's counts match the plan."
    ]
    if result["backup"]:
        out.append(f"Backup taken first: {result['backup']}")
    out.append(findings_line(result))
    return out


def findings_line(result: dict[str, Any]) -> str:
    if not result["findings"]:
        return "Check: no findings."
    by_severity = Counter()
    for f in result["findings"]:
        by_severity[f["severity"]] += f["count"]
    listed = ", ".join(f"{f['code']} ×{f['count']}" for f in result["findings"])
    totals = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(by_severity.items()))
    return f"Check: {totals} ({listed}); `trellis check` lists them."
