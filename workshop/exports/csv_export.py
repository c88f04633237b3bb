"""The results as one long CSV table: a row per statement and activity.

RFC 4180 (``\\r\\n`` line ends, fields quoted when they hold a comma, quote or line
break), UTF-8 with a byte order mark so that Excel shows Thai. Columns:

``activity_id, activity_kind, activity_prompt, statement_id, text, group, rank, score``,
then ``group_<key>`` per stakeholder group, then ``agree, disagree, pass,
consensus_level, mean, median`` (empty where the activity kind has no such value).

``group`` is the author's stakeholder group. A ``group_<key>`` column holds that
group's points for dot votes, rankings and polls, its agreement share (0–1, agree
÷ answers) for agree activities, and its mean for ratings. Brainstorm rows list the
statements only.

Text a spreadsheet would run as a formula (``= + - @``, tab, CR, LF first) gets a
leading ``'`` (OWASP CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io

from ..priorities import export as priority_export
from .text import groups, neutralise_cell, xml_safe

BOM = "\ufeff"
FIXED = [
    "activity_id",
    "activity_kind",
    "activity_prompt",
    "statement_id",
    "text",
    "group",
    "rank",
    "score",
]
TAIL = ["agree", "disagree", "pass", "consensus_level", "mean", "median"]


def header(report: dict) -> list[str]:
    return [*FIXED, *(f"group_{g}" for g in groups(report)), *TAIL, *priority_export.CSV_TAIL]


def _group_value(kind: str, value: object) -> object:
    if kind == "agree":
        counts = value or {}
        answered = sum(counts.get(k, 0) for k in ("agree", "disagree", "pass"))
        return round(counts.get("agree", 0) / answered, 4) if answered else None
    if kind == "rating":
        return (value or {}).get("mean")
    if kind in priority_export.COLUMNS:
        return priority_export.group_value(kind, value)
    return value if value is not None else 0


def rows(report: dict):
    keys = groups(report)
    for activity in report.get("activities") or []:
        kind = activity["kind"]
        start = [activity["id"], kind, activity.get("prompt")]
        for item in activity.get("items") or []:
            row = [*start, item["statement_id"], item.get("text"), item.get("group")]
            if kind == "brainstorm":
                yield row + [None] * (2 + len(keys) + len(TAIL) + len(priority_export.CSV_TAIL))
                continue
            by_group = item.get("by_group") or {}
            row += [item.get("rank"), item.get("score")]
            row += [_group_value(kind, by_group.get(g)) for g in keys]
            consensus = item.get("consensus") or {}
            row += [
                item.get("agree"),
                item.get("disagree"),
                item.get("pass"),
                consensus.get("level"),
                item.get("mean"),
                item.get("median"),
            ]
            row += priority_export.csv_tail(kind, item)
            yield row


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise_cell(xml_safe(value))
    return value


def render_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(h) for h in header(report)])
    writer.writerows([_cell(v) for v in row] for row in rows(report))
    return buffer.getvalue().encode("utf-8")
