"""The monitoring report as XLSX: one sheet each for the summary, projects, updates,
milestones and indicators; text is always a string cell, never a formula.

See ``reports`` for the data it takes and the labels.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..exports.text import FORMULA_START, xml_safe
from .reports import (
    STATUSES,
    as_day,
    by_horizon,
    city_names,
    horizon_label,
    label,
    newest_first,
    status_label,
    type_label,
)
from .reports_docx import phase_text

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def _put(ws, row: int, column: int, value: object, bold: bool = False) -> Cell:
    """Write one cell: text stays text, numbers numbers, dates dates, None empty."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    if isinstance(value, bool | int | float):
        cell.value = value
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        text = xml_safe(value)
        cell.value = text
        cell.data_type = "s"  # never "f": a cell starting with "=" is still just text
        if _is_formula_like(text):
            cell.quotePrefix = True
    if bold:
        cell.font = _BOLD
    return cell


class _XSheet:
    def __init__(self, book: Workbook, title: str, headers: list[str], widths: dict[int, int]):
        self.ws = book.create_sheet(title)
        for column, header in enumerate(headers, start=1):
            _put(self.ws, 1, column, header, bold=True)
        for column, width in widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
        self.ws.freeze_panes = "A2"
        self.next = 2

    def add(self, values: list[object], wrap: tuple[int, ...] = ()) -> None:
        for column, value in enumerate(values, start=1):
            cell = _put(self.ws, self.next, column, value)
            if column in wrap:
                cell.alignment = _WRAP
        self.next += 1


def render_city_xlsx(city_summary: dict, projects: list[dict], today: date | None = None) -> bytes:
    today = today or date.today()
    book = Workbook()
    book.remove(book.active)
    ordered = by_horizon(projects)

    summary = _XSheet(book, "Summary", [label("city"), city_names(city_summary)], {1: 36, 2: 48})
    by_status = city_summary.get("by_status") or {}
    rows: list[list[object]] = [
        ["slug", city_summary.get("slug")],
        [label("type"), type_label(city_summary.get("type"))],
        [label("phase"), phase_text(city_summary["phase"]) if city_summary.get("phase") else None],
        [label("generated"), today],
        [label("projects_count"), city_summary.get("projects")],
        *([status_label(s), by_status.get(s, 0)] for s in STATUSES),
        [label("mean_progress"), city_summary.get("mean_progress")],
        [label("overdue"), city_summary.get("overdue")],
        [label("last_update"), as_day(city_summary.get("last_update"))],
        *([label("vision"), v] for v in city_summary.get("visions") or []),
    ]
    for row in rows:
        summary.add(row, wrap=(2,))

    sheet = _XSheet(
        book,
        "Projects",
        [
            label("project_id"),
            label("title"),
            "horizon",
            label("horizon"),
            label("goal"),
            label("owner_agency"),
            label("budget"),
            label("start_date"),
            label("due_date"),
            "status",
            label("status"),
            label("progress"),
            label("overdue"),
            label("last_update"),
        ],
        {2: 50, 4: 28, 5: 36, 6: 28, 7: 16, 8: 14, 9: 14, 10: 14, 11: 28, 14: 14},
    )
    for p in ordered:
        sheet.add(
            [
                p.get("id"),
                p.get("title"),
                p.get("horizon"),
                horizon_label(p.get("horizon")),
                p.get("goal"),
                p.get("owner_agency"),
                p.get("budget"),
                as_day(p.get("start_date")),
                as_day(p.get("due_date")),
                p.get("status"),
                status_label(p.get("status")),
                p.get("progress"),
                bool(p.get("overdue")),
                as_day(p.get("last_update")),
            ],
            wrap=(2, 5),
        )

    updates = _XSheet(
        book,
        "Updates",
        [
            label("project_id"),
            label("title"),
            label("date"),
            "status",
            label("status"),
            label("progress"),
            label("note"),
            "source",
        ],
        {2: 40, 3: 14, 5: 28, 7: 60},
    )
    for p in ordered:
        for u in newest_first(p.get("updates") or []):
            updates.add(
                [
                    p.get("id"),
                    p.get("title"),
                    as_day(u.get("date")),
                    u.get("status"),
                    status_label(u.get("status")) if u.get("status") else None,
                    u.get("progress"),
                    u.get("note"),
                    u.get("source"),
                ],
                wrap=(7,),
            )

    milestones = _XSheet(
        book,
        "Milestones",
        [
            label("project_id"),
            label("title"),
            label("milestone"),
            label("due_date"),
            label("done_on"),
        ],
        {2: 40, 3: 40, 4: 14, 5: 14},
    )
    for p in ordered:
        for m in p.get("milestones") or []:
            milestones.add(
                [
                    p.get("id"),
                    p.get("title"),
                    m.get("title"),
                    as_day(m.get("due_date")),
                    as_day(m.get("done_on")),
                ]
            )

    indicators = _XSheet(
        book,
        "Indicators",
        [
            label("project_id"),
            label("title"),
            label("indicator"),
            label("unit"),
            label("baseline"),
            label("target"),
            label("date"),
            label("value"),
        ],
        {2: 40, 3: 40, 7: 14},
    )
    for p in ordered:
        for i in p.get("indicators") or []:
            base = [p.get("id"), p.get("title"), i.get("name"), i.get("unit")]
            values = sorted(i.get("values") or [], key=lambda v: v.get("date") or "")
            if not values:
                indicators.add([*base, i.get("baseline"), i.get("target"), None, None])
            for v in values:
                indicators.add(
                    [
                        *base,
                        i.get("baseline"),
                        i.get("target"),
                        as_day(v.get("date")),
                        v.get("value"),
                    ]
                )

    book.properties.title = xml_safe(f"{label('report')}: {city_names(city_summary)}")[:255]
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
