"""The report as a printable HTML page (A4, print it or "Save as PDF" from the browser).

The app serves pages with ``Content-Security-Policy: style-src 'self'``, so the page
carries no ``<style>`` element nor ``style`` attribute: it links the app's own
stylesheets (``static/css/fonts.css`` for Sarabun, ``static/css/print-report.css``
for the layout and the ``@page`` rules). No script either.

Every text is escaped with :func:`html.escape`; text containing Thai is marked
``lang="th"`` (the page's language) and other participant text ``lang="en"``, so
that browsers pick the right font and line breaking.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from ..channels.text import ballots_line
from ..priorities import export as priority_export
from .opinion_sections import section as opinion_section
from .opinion_sections import text_rows
from .text import (
    PLAN_HEADERS,
    Memo,
    action_text,
    activity_title,
    author_text,
    bi,
    city_name,
    consensus_text,
    date_line,
    details_text,
    generated_line,
    group_label,
    groups,
    has_thai,
    kind_label,
    local_time_cell,
    plan_row,
    plan_sections,
    statement_status,
    statements_by_activity,
    support_text,
    target_text,
    time_header,
    xml_safe,
)

STYLESHEETS = ("/static/css/fonts.css", "/static/css/print-report.css")


def _e(text: object) -> str:
    return html.escape(xml_safe(text), quote=True)


def _lang(text: object) -> str:
    """A ``lang`` attribute for participant text: Thai, or English for the rest."""
    if text is None or text == "":
        return ""
    return ' lang="th"' if has_thai(str(text)) else ' lang="en"'


def _number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _cell(key: tuple[object, bool]) -> str:
    """A ``<td>`` of text, or of lines (a list) after the first shown as notes."""
    cell, numeric = key
    lines = cell if isinstance(cell, list) else [cell]
    attrs = ' class="num"' if numeric else _lang(lines[0] if lines else "")
    body = "".join(
        f'<span class="note"{_lang(line)}>{_e(line)}</span>' if n else _e(line)
        for n, line in enumerate(lines)
    )
    return f"<td{attrs}>{body}</td>"


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.cells = Memo(_cell)  # (text, numeric) -> <td>: texts repeat across activities

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def table(self, headers: list[str], rows, numeric: Collection[int] = (), css: str = "") -> None:
        """``rows`` of cells; a cell is text, or (text, participant) to mark its language."""
        self.add(f'<table class="{css}"><thead><tr>' if css else "<table><thead><tr>")
        self.add(*(f'<th scope="col">{_e(h)}</th>' for h in headers))
        self.add("</tr></thead><tbody>")
        cells = self.cells
        for row in rows:
            tds = [
                cells[cell, i in numeric] if isinstance(cell, str) else _cell((cell, i in numeric))
                for i, cell in enumerate(row)
            ]
            self.add("<tr>" + "".join(tds) + "</tr>")
        self.add("</tbody></table>")


def _title_page(out: _Out, report: dict) -> None:
    workshop = report["workshop"]
    title = workshop.get("title") or workshop.get("code")
    out.add('<header class="title-page">')
    out.add(f"<h1{_lang(title)}>{_e(title)}</h1>", f'<p class="subtitle">{_e(bi("report"))}</p>')
    out.add('<dl class="facts">')
    facts = []
    if city_name(report):
        facts.append((bi("city"), city_name(report)))
    if date_line(report):
        facts.append((bi("date"), date_line(report)))
    facts.append((bi("code"), workshop.get("code")))
    facts.append((bi("generated"), generated_line(report)))
    for label, value in facts:
        out.add(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.add("</dl>")

    participation = report["participation"]
    by_group = participation["participants"]["by_group"]
    out.add('<section class="participation">', f"<h2>{_e(bi('participation'))}</h2>")
    rows = [
        [group_label(report, g), str(by_group.get(g, 0))]
        for g in [*groups(report), *(g for g in by_group if g not in groups(report))]
    ]
    rows.append([bi("total"), str(participation["participants"]["total"])])
    out.table([bi("group"), bi("attendees")], rows, {1}, css="participation")
    out.add(
        '<dl class="facts">',
        f"<dt>{_e(bi('statements'))}</dt><dd>{participation['statements']}</dd>",
        f"<dt>{_e(bi('ballots'))}</dt><dd>{participation['ballots']}</dd>",
        "</dl></section></header>",
    )


def _plan(out: _Out, report: dict) -> None:
    plan = report.get("plan") or {}
    out.add('<section class="plan">')
    headers = [bi(h) for h in PLAN_HEADERS]
    for level, heading, items in plan_sections(report):
        tag = f"h{level + 1}"
        out.add(f"<{tag}>{_e(heading)}</{tag}>")
        if items is None:
            continue
        if heading == bi("vision") and items:
            text = items[0]["text"]
            out.add(f'<blockquote class="vision"{_lang(text)}>{_e(text)}</blockquote>')
        if not items:
            empty = bi("none_yet") if plan.get("plan_id") else bi("no_plan")
            out.add(f'<p class="empty">{_e(empty)}</p>')
            continue
        rows = []
        for number, item in enumerate(items, start=1):
            rows.append(plan_row(report, number, item))
        out.table(headers, rows, {0, 2, 3}, css="plan-items")
    out.add("</section>")


def _results(out: _Out, report: dict) -> None:
    out.add('<section class="results">', f"<h2>{_e(bi('results'))}</h2>")
    for activity in report.get("activities") or []:
        kind = activity["kind"]
        title = f"{activity_title(activity)} ({kind_label(kind)})"
        out.add(f"<h3{_lang(activity.get('prompt'))}>{_e(title)}</h3>")
        if ballots_line(activity):  # where the ballots came from (workshop/channels/)
            out.add(f'<p class="channels">{_e(ballots_line(activity))}</p>')
        items = activity.get("items") or []
        if not items:
            out.add(f'<p class="empty">{_e(bi("none_yet"))}</p>')
            _opinions(out, report, activity)
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
                item.get("text"),
                group_label(report, item.get("group")),
            ]
            support = support_text(report, item.get("by_group"))
            if kind == "brainstorm":
                rows.append(start)
                continue
            row = [_number(item.get("rank")), *start]
            if kind == "agree":
                row += [_number(item.get(k)) for k in ("agree", "disagree", "pass")]
                row += [consensus_text(item), support]
            elif kind == "rating":
                row += [_number(item.get(k)) for k in ("mean", "median", "spread", "count")]
                row.append(support)
            elif kind in priority_export.COLUMNS:
                own = priority_export.cells(kind, item, bi)
                row += [_number(v) if not isinstance(v, str) else v for v in own]
                row.append(support)
            else:
                row += [_number(item.get("score")), support]
            rows.append(row)
        out.table(headers, rows, numeric, css="results")
        _opinions(out, report, activity)
    out.add("</section>")


def _opinions(out: _Out, report: dict, activity: dict) -> None:
    """An agree activity's opinion groups (workshop/exports/opinion_sections.py)."""
    if activity["kind"] != "agree" or "opinions" not in activity:
        return
    found = opinion_section(report, activity)
    out.add('<section class="opinion-groups">', f"<h4>{_e(bi('opinion_groups'))}</h4>")
    out.add(f'<p class="opinion-line">{_e(found.line)}</p>')
    for heading, table in found.tables:
        out.add(f"<h5>{_e(heading)}</h5>")
        if table.rows:
            out.table(table.headers, text_rows(table), table.numeric, css="opinions")
        else:
            out.add(f'<p class="empty">{_e(table.empty)}</p>')
    out.add("</section>")


def _appendix(out: _Out, report: dict) -> None:
    out.add('<section class="appendix">', f"<h2>{_e(bi('appendix_statements'))}</h2>")
    by_activity: dict[int, list[dict]] = {}
    for statement in report.get("statements") or []:
        by_activity.setdefault(statement["activity_id"], []).append(statement)
    activities = {a["id"]: a for a in report.get("activities") or []}
    for activity_id, statements in statements_by_activity(report, by_activity):
        activity = activities.get(activity_id)
        title = (
            f"{activity_title(activity)} ({kind_label(activity['kind'])})"
            if activity
            else f"{bi('activity')} #{activity_id}"
        )
        out.add(f"<h3>{_e(title)}</h3>")
        out.table(
            [bi("id"), bi("author_group"), bi("statement"), bi("status")],
            [
                [str(s["id"]), author_text(report, s), s["text"], statement_status(s)]
                for s in statements
            ],
            {0},
            css="statements",
        )
    if not by_activity:
        out.add(f'<p class="empty">{_e(bi("no_entries"))}</p>')
    out.add(f"<h2>{_e(bi('appendix_audit'))}</h2>")
    entries = report.get("audit") or []
    if entries:
        out.table(
            [time_header(report), bi("actor"), bi("action"), bi("target"), bi("details")],
            [
                [
                    local_time_cell(report, e.get("at")),
                    e.get("actor") or "",
                    action_text(e.get("action")),
                    target_text(e.get("target")),
                    details_text(e.get("details")),
                ]
                for e in entries
            ],
            css="audit",
        )
    else:
        out.add(f'<p class="empty">{_e(bi("no_entries"))}</p>')
    out.add("</section>")


def render_html(report: dict) -> bytes:
    workshop = report["workshop"]
    out = _Out()
    out.add(
        "<!DOCTYPE html>",
        '<html lang="th">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(workshop.get('title') or workshop.get('code'))} · {_e(bi('report'))}</title>",
        *(f'<link rel="stylesheet" href="{href}">' for href in STYLESHEETS),
        "</head>",
        '<body class="report">',
    )
    _title_page(out, report)
    out.add("<main>")
    _plan(out, report)
    _results(out, report)
    _appendix(out, report)
    out.add("</main>", "</body>", "</html>")
    return ("\n".join(out.parts) + "\n").encode("utf-8")
