"""The report as Markdown: plan sections as headings, a results table per activity.

Everything that comes from people (statements, prompts, titles, group names,
owner agencies, indicators) goes through :func:`~.text.md_escape`, so it renders
as the text that was typed: no emphasis, link, image, raw HTML, list or table cell
break can come out of it.
"""

from __future__ import annotations

from collections.abc import Collection

from ..channels.text import ballots_line
from ..priorities import export as priority_export
from .opinion_sections import section as opinion_section
from .opinion_sections import text_rows
from .text import (
    PLAN_HEADERS,
    Memo,
    activity_title,
    bi,
    city_name,
    consensus_text,
    date_line,
    generated_line,
    group_label,
    groups,
    kind_label,
    md_escape,
    plan_row,
    plan_sections,
    support_text,
)


def _table(headers: list[str], rows: list[list[str]], numeric: Collection[int] = ()) -> str:
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append(
        "|" + "|".join("---:" if i in numeric else "---" for i in range(len(headers))) + "|"
    )
    for row in rows:
        lines.append("| " + " | ".join(cell if cell != "" else " " for cell in row) + " |")
    return "\n".join(lines)


def _number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _header(report: dict) -> list[str]:
    workshop = report["workshop"]
    out = [f"# {md_escape(workshop.get('title') or workshop.get('code'))}", "", bi("report"), ""]
    facts = []
    if city_name(report):
        facts.append(f"**{bi('city')}:** {md_escape(city_name(report))}")
    if date_line(report):
        facts.append(f"**{bi('date')}:** {date_line(report)}")
    facts.append(f"**{bi('code')}:** {md_escape(workshop.get('code'))}")
    facts.append(f"**{bi('generated')}:** {md_escape(generated_line(report))}")
    out.append("  \n".join(facts))
    out.append("")

    participation = report["participation"]
    by_group = participation["participants"]["by_group"]
    out += [f"## {bi('participation')}", ""]
    rows = [
        [md_escape(group_label(report, g)), str(by_group.get(g, 0))]
        for g in [*groups(report), *(g for g in by_group if g not in groups(report))]
    ]
    rows.append([f"**{bi('total')}**", f"**{participation['participants']['total']}**"])
    out += [_table([bi("group"), bi("attendees")], rows, {1}), ""]
    out += [
        f"{bi('statements')}: {participation['statements']}  ",
        f"{bi('ballots')}: {participation['ballots']}",
        "",
    ]
    return out


def _plan(report: dict) -> list[str]:
    out = []
    plan = report.get("plan") or {}
    headers = [bi(h) for h in PLAN_HEADERS]
    for level, heading, items in plan_sections(report):
        out += [f"{'#' * (level + 1)} {heading}", ""]
        if items is None:
            continue
        if heading == bi("vision") and items:
            out += [f"> **{md_escape(items[0]['text'])}**", ""]
        if not items:
            out += [bi("none_yet") if plan.get("plan_id") else bi("no_plan"), ""]
            continue
        rows = []
        for number, item in enumerate(items, start=1):
            row = plan_row(report, number, item)
            text, *notes = row[1]
            row[1] = "<br>".join([md_escape(text), *(f"*{md_escape(n)}*" for n in notes)])
            row[4], row[5] = md_escape(row[4]), md_escape(row[5])  # consensus, support
            rows.append(row)
        out += [_table(headers, rows, {0, 2, 3}), ""]
    return out


def _results(report: dict) -> list[str]:
    out = [f"## {bi('results')}", ""]
    escaped = Memo(md_escape)
    for activity in report.get("activities") or []:
        kind = activity["kind"]
        out += [f"### {md_escape(activity_title(activity))} ({kind_label(kind)})", ""]
        if ballots_line(activity):  # where the ballots came from (workshop/channels/)
            out += [md_escape(ballots_line(activity)), ""]
        items = activity.get("items") or []
        if not items:
            out += [bi("none_yet"), "", *_opinions(report, activity)]
            continue
        base = [bi("rank"), bi("id"), bi("statement"), bi("author_group")]
        if kind == "brainstorm":
            headers, numeric = base[1:], {0}
        elif kind == "agree":
            headers = [
                *base,
                bi("agree"),
                bi("disagree"),
                bi("pass"),
                bi("consensus"),
                bi("support"),
            ]
            numeric = {0, 1, 4, 5, 6}
        elif kind == "rating":
            headers = [*base, bi("mean"), bi("median"), bi("spread"), bi("count"), bi("support")]
            numeric = {0, 1, 4, 5, 6, 7}
        elif kind in priority_export.COLUMNS:
            own = priority_export.header_keys(kind)
            headers = [*base, *(bi(k) for k in own), bi("support")]
            numeric = {0, 1, *(4 + i for i, k in enumerate(own) if k not in ("quadrant", "funded"))}
        else:
            headers, numeric = [*base, bi("score"), bi("support")], {0, 1, 4}
        rows = []
        for item in items:
            start = [
                str(item["statement_id"]),
                escaped[item.get("text")],
                escaped[group_label(report, item.get("group"))],
            ]
            support = md_escape(support_text(report, item.get("by_group")))
            if kind == "brainstorm":
                rows.append(start)
                continue
            row = [_number(item.get("rank")), *start]
            if kind == "agree":
                row += [_number(item.get(k)) for k in ("agree", "disagree", "pass")]
                row += [md_escape(consensus_text(item)), support]
            elif kind == "rating":
                row += [_number(item.get(k)) for k in ("mean", "median", "spread", "count")]
                row.append(support)
            elif kind in priority_export.COLUMNS:
                own = priority_export.cells(kind, item, bi)
                row += [_number(v) if not isinstance(v, str) else md_escape(v) for v in own]
                row.append(support)
            else:
                row += [_number(item.get("score")), support]
            rows.append(row)
        out += [_table(headers, rows, numeric), "", *_opinions(report, activity)]
    return out


def _opinions(report: dict, activity: dict) -> list[str]:
    """An agree activity's opinion groups (workshop/exports/opinion_sections.py)."""
    if activity["kind"] != "agree" or "opinions" not in activity:
        return []
    found = opinion_section(report, activity)
    out = [f"#### {bi('opinion_groups')}", "", md_escape(found.line), ""]
    for heading, table in found.tables:
        out += [f"##### {heading}", ""]
        if not table.rows:
            out += [table.empty, ""]
            continue
        rows = [[md_escape(cell) for cell in row] for row in text_rows(table)]
        out += [_table(table.headers, rows, table.numeric), ""]
    return out


def render_markdown(report: dict) -> bytes:
    lines = [*_header(report), *_plan(report), *_results(report)]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
