"""The report as an Excel workbook (the sheet machinery: workshop/exports/xlsx_book.py).

Sheets: "Participation", "Plan", one per activity (its results, a column per
stakeholder group), "Opinion groups" and "Opinion statements" (the agree activities'
opinion maps, workshop/exports/opinion_sections.py), "Statements" (every statement with
its moderation flags) and "Audit". Header rows are bold and frozen; numbers are stored as
numbers. Every string is a string cell, never a formula (see xlsx_book.py).
"""

from __future__ import annotations

from datetime import date

from openpyxl.cell import WriteOnlyCell

from ..channels.text import ballots_line
from ..priorities import export as priority_export
from . import opinion_sections
from .text import (
    HORIZONS,
    action_text,
    activity_title,
    author_text,
    bi,
    city_name,
    details_text,
    en,
    generated_line,
    group_label,
    groups,
    held_on,
    horizon_label,
    kind_label,
    level_label,
    local_time_cell,
    source_text,
    statement_status,
    target_text,
    th,
    time_header,
    time_zone,
    xml_safe,
)
from .xlsx_book import MAX_SHEET_NAME  # noqa: F401 (the tests check names against it)
from .xlsx_book import TEXT_WIDTH as _TEXT_WIDTH
from .xlsx_book import Book as _Book
from .xlsx_book import Sheet as _Sheet
from .xlsx_book import unique_sheet_name as _unique_sheet_name

_FIXED_SHEETS = (
    "Participation",
    "Plan",
    "Opinion groups",
    "Opinion statements",
    "Statements",
    "Audit",
)


def _participation(book: _Book, report: dict) -> None:
    sheet = _Sheet(
        book, "Participation", [bi("group"), "key", bi("attendees")], {1: 40, 2: 22, 3: 16}
    )
    participation = report["participation"]
    by_group = participation["participants"]["by_group"]
    for group in [*groups(report), *(g for g in by_group if g not in groups(report))]:
        sheet.row([group_label(report, group), group, by_group.get(group, 0)])
    sheet.row([bi("total"), "", participation["participants"]["total"]])
    sheet.row([])
    sheet.row([bi("statements"), "", participation["statements"]])
    sheet.row([bi("ballots"), "", participation["ballots"]])
    sheet.row([])
    workshop = report["workshop"]
    held: date | None = held_on(report)
    sheet.row([bi("code"), "", workshop.get("code")])
    sheet.row(["Title", "", workshop.get("title")])
    sheet.row([bi("city"), workshop.get("city") or "", city_name(report)])
    if held is not None:
        cell = WriteOnlyCell(sheet.ws, held)
        cell.number_format = "yyyy-mm-dd"
        sheet.row([bi("date"), "Gregorian", cell])
        sheet.row([bi("date"), "Buddhist Era", workshop.get("date_buddhist_era")])
    sheet.row([bi("generated"), time_zone(report), generated_line(report)])


def _group_value(value: object) -> object:
    """Support of one group as a number: points, or the mean of a rating."""
    if isinstance(value, dict):
        return value.get("mean")
    return value


def _plan(book: _Book, report: dict) -> None:
    keys = groups(report)
    headers = [
        bi("section"),
        bi("horizon"),
        bi("number"),
        bi("item"),
        bi("source"),
        bi("owner_agency"),
        bi("indicator"),
        bi("statement_id"),
        bi("vote"),
        bi("ballots"),
        bi("score"),
        bi("rank"),
        bi("consensus"),
        bi("min_group_agreement"),
        bi("agree"),
        bi("disagree"),
        bi("pass"),
        bi("merged_from"),
        *(group_label(report, g) for g in keys),
    ]
    sheet = _Sheet(
        book,
        "Plan",
        headers,
        {1: 20, 2: 24, 4: _TEXT_WIDTH, 5: 20, 6: 24, 7: 24, 13: 20, 18: 40},
        wrap=(3,),
        percent=(13,),
    )
    plan = report.get("plan") or {}
    projects = plan.get("projects") or []
    sections = [("vision", None, [plan["vision"]] if plan.get("vision") else [])]
    sections += [(s, None, plan.get(s) or []) for s in ("alternatives", "goals", "strategies")]
    sections += [("projects", h, [p for p in projects if p["horizon"] == h]) for h in HORIZONS]
    sections.append(("projects", None, [p for p in projects if p.get("horizon") not in HORIZONS]))
    for section, horizon, items in sections:
        for item in items:
            evidence = item.get("evidence") or {}
            consensus = evidence.get("consensus") or {}
            voted = bool(evidence.get("activity_id"))
            by_group = evidence.get("by_group") or {}
            merged = evidence.get("merged_from") or []
            sheet.add(
                [
                    bi(section),
                    horizon_label(report, horizon) if section == "projects" else None,
                    item.get("position"),
                    item["text"],
                    source_text(item),
                    item.get("owner_agency"),
                    item.get("indicator"),
                    item.get("statement_id"),
                    kind_label(evidence["vote_kind"]) if evidence.get("vote_kind") else None,
                    evidence.get("ballots") if voted else None,
                    evidence.get("score") if voted else None,
                    evidence.get("rank") if voted else None,
                    level_label(consensus.get("level")) if consensus else None,
                    consensus.get("min_group_agreement"),
                    consensus.get("agree"),
                    consensus.get("disagree"),
                    consensus.get("pass"),
                    "; ".join(m.get("text") or "" for m in merged) if merged else None,
                    *(_group_value(by_group.get(g)) if voted else None for g in keys),
                ]
            )


def _activity(book: _Book, report: dict, activity: dict, name: str) -> None:
    keys = groups(report)
    labels = [group_label(report, g) for g in keys]
    kind = activity["kind"]
    caption = f"{activity_title(activity)} ({kind_label(kind)})"
    if ballots_line(activity):  # where the ballots came from (workshop/channels/)
        caption = f"{caption} · {ballots_line(activity)}"
    base = [bi("rank"), "statement_id", bi("statement"), bi("author_group")]
    wrap, percent = (2,), ()
    if kind == "brainstorm":
        headers = ["statement_id", bi("statement"), bi("author_group")]
        widths = {2: _TEXT_WIDTH, 3: 24}
        wrap = (1,)
    elif kind == "agree":
        headers = [
            *base,
            bi("score"),
            bi("agree"),
            bi("disagree"),
            bi("pass"),
            bi("consensus"),
            bi("min_group_agreement"),
        ]
        for label in labels:
            headers += [f"{label}: {bi(k)}" for k in ("agree", "disagree", "pass")]
        widths = {3: _TEXT_WIDTH, 4: 24, 9: 24, 10: 20}
        percent = (9,)
    elif kind == "rating":
        headers = [
            *base,
            bi("mean"),
            bi("median"),
            bi("spread"),
            bi("count"),
            *(f"{th('rated')} {v} / {en('rated')} {v}" for v in range(1, 6)),
        ]
        for label in labels:
            headers += [f"{label}: {bi(k)}" for k in ("mean", "count")]
        widths = {3: _TEXT_WIDTH, 4: 24}
    elif kind in priority_export.COLUMNS:
        headers = [*base, *(bi(k) for k in priority_export.header_keys(kind))]
        for label in labels:
            headers += priority_export.sheet_group_headers(kind, label, bi)
        widths = {3: _TEXT_WIDTH, 4: 24, 5: 24}
    else:
        headers = [*base, bi("score"), *labels]
        widths = {3: _TEXT_WIDTH, 4: 24}
    sheet = _Sheet(book, name, headers, widths, caption=caption, wrap=wrap, percent=percent)
    label = {g: group_label(report, g) for g in keys}
    for item in activity.get("items") or []:
        text = item.get("text")
        group = item.get("group")
        author = label.get(group) or group_label(report, group)
        by_group = item.get("by_group") or {}
        if kind == "brainstorm":
            sheet.add([item["statement_id"], text, author])
            continue
        row = [item.get("rank"), item["statement_id"], text, author]
        if kind == "agree":
            consensus = item.get("consensus") or {}
            row += [
                item.get("score"),
                item.get("agree"),
                item.get("disagree"),
                item.get("pass"),
                level_label(consensus.get("level")),
                consensus.get("min_group_agreement"),
            ]
            for g in keys:
                counts = by_group.get(g) or {}
                row += [counts.get("agree", 0), counts.get("disagree", 0), counts.get("pass", 0)]
        elif kind == "rating":
            distribution = item.get("distribution") or {}
            row += [
                item.get("mean"),
                item.get("median"),
                item.get("spread"),
                item.get("count"),
                *(distribution.get(str(v), 0) for v in range(1, 6)),
            ]
            for g in keys:
                stats = by_group.get(g) or {}
                row += [stats.get("mean"), stats.get("count", 0)]
        elif kind in priority_export.COLUMNS:
            row += priority_export.cells(kind, item, bi)
            for g in keys:
                row += priority_export.sheet_group_cells(kind, item, g)
        else:
            row += [item.get("score"), *(by_group.get(g, 0) for g in keys)]
        sheet.add(row)


def _statements(book: _Book, report: dict) -> None:
    sheet = _Sheet(
        book,
        "Statements",
        [
            bi("statement_id"),
            bi("activity_id"),
            bi("author_group"),
            bi("statement"),
            bi("status"),
            bi("hidden_flag"),
            bi("pending_flag"),
            bi("merged_into_id"),
            bi("original_text"),
            f"{bi('created')} ({time_zone(report)})",
        ],
        {3: 24, 4: _TEXT_WIDTH, 5: 30, 9: 40, 10: 20},
        wrap=(3,),
    )
    for s in report.get("statements") or []:
        sheet.add(
            [
                s["id"],
                s["activity_id"],
                author_text(report, s),
                s["text"],
                statement_status(s),
                bool(s.get("hidden")),
                bool(s.get("pending")),
                s.get("merged_into"),
                s["original_text"] if s.get("original_text") != s["text"] else None,
                local_time_cell(report, s.get("created_at")),
            ]
        )


def _audit(book: _Book, report: dict) -> None:
    sheet = _Sheet(
        book,
        "Audit",
        [
            time_header(report),
            bi("actor"),
            bi("action"),
            bi("target"),
            bi("details"),
        ],
        {1: 22, 2: 28, 3: 36, 4: 24, 5: 80},
    )
    for entry in report.get("audit") or []:
        target = entry.get("target") or {}
        sheet.add(
            [
                local_time_cell(report, entry.get("at")),
                entry.get("actor"),
                action_text(entry.get("action")),
                target_text(target),
                details_text(entry.get("details")),
            ]
        )


def _opinions(book: _Book, report: dict) -> None:
    """The agree activities' opinion groups and their statements (opinion_sections.py)."""
    headers, rows = opinion_sections.group_sheet(report)
    if not rows:
        return
    sheet = _Sheet(book, "Opinion groups", headers, {2: 40, 4: 24, 7: 60, 8: 50}, percent=(5,))
    for row in rows:
        sheet.add(row)
    headers, rows, most = opinion_sections.statement_sheet(report)
    shares = (7, 8, 10, 11, *range(12, 12 + most))
    widths = {2: 40, 3: 30, 4: 24, 6: _TEXT_WIDTH, 7: 20}
    sheet = _Sheet(book, "Opinion statements", headers, widths, wrap=(5,), percent=shares)
    for row in rows:
        sheet.add(row)


def render_xlsx(report: dict) -> bytes:
    book = _Book()
    taken = {name.lower() for name in _FIXED_SHEETS}
    _participation(book, report)
    _plan(book, report)
    for activity in report.get("activities") or []:
        name = _unique_sheet_name(f"{activity.get('position', 0) + 1} {activity['prompt']}", taken)
        _activity(book, report, activity, name)
    _opinions(book, report)
    _statements(book, report)
    _audit(book, report)
    book.workbook.properties.title = xml_safe(report["workshop"].get("title"))[:255]
    return book.save()
