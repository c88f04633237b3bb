"""A city's monitoring report: its adopted projects and their progress, as DOCX and XLSX.

Both renderers take plain data: ``city_summary`` as made by
``tracking.operations.city_summary`` (optionally with ``visions``, a list of texts) and
``projects`` as made by ``tracking.operations.project_dict(project, detail=True)``.

Labels are bilingual, Thai first, like the workshop report (see ``exports/text.py``):
the report goes to the municipality and to the programme's partners alike.

Thai: every style the document uses names **TH Sarabun New** for all scripts, the
complex-script one (``w:rFonts w:cs``) included, which is the one Word and LibreOffice
draw Thai with; the complex-script language is Thai (``w:lang w:bidi="th-TH"``).

Planner and participant text is only ever plain text: in DOCX it goes in as run text;
in XLSX every string is a string cell (``t="s"``) and one that starts like a formula
(``= + - @``, tab, CR, LF) also gets Excel's quote prefix, so no text becomes a formula.
Numbers stay numbers and dates are date cells.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..dates import format_date
from ..exports.text import FORMULA_START, bi, xml_safe

FONT = "TH Sarabun New"
THAI_LANG = "th-TH"
HORIZONS = ("short", "medium", "long")

LABELS: dict[str, tuple[str, str]] = {
    "report": ("รายงานการติดตามความก้าวหน้าโครงการ", "Project monitoring report"),
    "generated": ("จัดทำเมื่อ", "Generated"),
    "type": ("ประเภทเทศบาล", "Municipality type"),
    "phase": ("รุ่นเมืองนำร่อง", "Pilot phase"),
    "summary": ("สรุปภาพรวม", "Summary"),
    "projects_count": ("จำนวนโครงการ", "Projects"),
    "mean_progress": ("ความคืบหน้าเฉลี่ย (%)", "Mean progress (%)"),
    "overdue": ("เกินกำหนด", "Overdue"),
    "last_update": ("รายงานล่าสุด", "Last update"),
    "vision": ("วิสัยทัศน์", "Vision"),
    "projects": ("แผนงานและโครงการ", "Projects"),
    "number": ("ลำดับ", "No."),
    "title": ("โครงการ", "Project"),
    "horizon": ("ระยะเวลา", "Horizon"),
    "goal": ("เป้าหมาย", "Goal"),
    "owner_agency": ("หน่วยงานรับผิดชอบ", "Owner agency"),
    "budget": ("งบประมาณ (บาท)", "Budget (THB)"),
    "start_date": ("วันเริ่มต้น", "Start date"),
    "due_date": ("วันครบกำหนด", "Due date"),
    "status": ("สถานะ", "Status"),
    "progress": ("ความคืบหน้า (%)", "Progress (%)"),
    "updates": ("บันทึกความคืบหน้า", "Progress updates"),
    "date": ("วันที่", "Date"),
    "note": ("หมายเหตุ", "Note"),
    "milestones": ("หมุดหมายสำคัญ", "Milestones"),
    "milestone": ("หมุดหมาย", "Milestone"),
    "done_on": ("แล้วเสร็จเมื่อ", "Done on"),
    "indicators": ("ตัวชี้วัด", "Indicators"),
    "indicator": ("ตัวชี้วัด", "Indicator"),
    "unit": ("หน่วย", "Unit"),
    "baseline": ("ค่าฐาน", "Baseline"),
    "target": ("ค่าเป้าหมาย", "Target"),
    "value": ("ค่าที่วัดได้", "Actual value"),
    "latest": ("ค่าล่าสุด", "Latest value"),
    "none": ("ไม่มีรายการ", "None"),
    "no_projects": ("ยังไม่มีโครงการที่รับรองแล้ว", "No adopted projects yet"),
    "yes": ("ใช่", "yes"),
    "project_id": ("รหัสโครงการ", "Project ID"),
    "city": ("เมือง", "City"),
    "type_city": ("เทศบาลนคร", "City municipality"),
    "type_town": ("เทศบาลเมือง", "Town municipality"),
    "not_started": ("ยังไม่เริ่ม", "Not started"),
    "in_progress": ("กำลังดำเนินการ", "In progress"),
    "delayed": ("ล่าช้า", "Delayed"),
    "done": ("แล้วเสร็จ", "Done"),
    "cancelled": ("ยกเลิก", "Cancelled"),
    "no_horizon": ("ไม่ระบุระยะเวลา", "No horizon"),
}
STATUSES = ("not_started", "in_progress", "delayed", "done", "cancelled")


def label(key: str) -> str:
    """``ไทย / English`` for the monitoring labels, then the workshop report's."""
    if key in LABELS:
        thai, english = LABELS[key]
        return f"{thai} / {english}"
    return bi(key)


def status_label(status: str | None) -> str:
    return label(status) if status in STATUSES else (status or "")


def horizon_label(horizon: str | None) -> str:
    return bi(horizon) if horizon in HORIZONS else label("no_horizon")


def type_label(kind: str | None) -> str:
    return label(f"type_{kind}") if kind in ("city", "town") else (kind or "")


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _thai_date(value: object) -> str:
    day = _day(value)
    return format_date(day, "th") if day else ""


def _number(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _newest_first(updates: list[dict]) -> list[dict]:
    return sorted(
        updates or [], key=lambda u: (u.get("date") or "", u.get("id") or 0), reverse=True
    )


def _by_horizon(projects: list[dict]) -> list[dict]:
    order = {h: n for n, h in enumerate(HORIZONS)}
    return sorted(projects, key=lambda p: (order.get(p.get("horizon"), 9), p.get("id") or 0))


def _city_names(summary: dict) -> str:
    names = [summary.get("name_th"), summary.get("name_en")]
    return " / ".join(n for n in names if n)


# ---------------------------------------------------------------- DOCX


def _rpr_fonts(rpr, size_pt: int | None = None) -> None:
    """TH Sarabun New for every script (``w:cs`` too), no theme fonts, Thai bidi language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = rpr.makeelement(qn(tag), {})
                rpr.append(element)
            element.set(qn("w:val"), str(size_pt * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:bidi"), THAI_LANG)


_STYLE_SIZES = {
    "Normal": 16,
    "Title": 28,
    "Heading 1": 20,
    "Heading 2": 18,
    "Heading 3": 16,
    "Table Grid": None,
}


def _setup_docx(document) -> None:
    styles = document.styles
    for name, size in _STYLE_SIZES.items():
        style = styles[name]
        _rpr_fonts(style.element.get_or_add_rPr(), size)
        if name == "Normal":
            style.font.size = Pt(16)
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _rpr_fonts(rpr)


def _cell_text(cell, text: object, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold or None


def _table(document, headers: list[str], rows: list[list[object]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell_text(cell, value)


def _labelled(document, name: str, value: object) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{name}: ").bold = True
    paragraph.add_run(xml_safe(value))


def render_city_docx(city_summary: dict, projects: list[dict], today: date | None = None) -> bytes:
    today = today or date.today()
    document = Document()
    _setup_docx(document)
    document.add_heading(xml_safe(label("report")), level=0)
    document.add_paragraph(xml_safe(_city_names(city_summary)), style="Heading 1")
    _labelled(document, label("type"), type_label(city_summary.get("type")))
    if city_summary.get("phase"):
        _labelled(document, label("phase"), city_summary["phase"])
    _labelled(
        document, label("generated"), f"{format_date(today, 'th')} ({format_date(today, 'en')})"
    )
    for vision in city_summary.get("visions") or []:
        _labelled(document, label("vision"), vision)

    document.add_heading(label("summary"), level=1)
    by_status = city_summary.get("by_status") or {}
    rows: list[list[object]] = [[label("projects_count"), _number(city_summary.get("projects"))]]
    rows += [[status_label(s), _number(by_status.get(s, 0))] for s in STATUSES]
    rows += [
        [label("mean_progress"), _number(city_summary.get("mean_progress"))],
        [label("overdue"), _number(city_summary.get("overdue"))],
        [label("last_update"), _thai_date(city_summary.get("last_update"))],
    ]
    _table(document, ["", ""], rows)

    document.add_heading(label("projects"), level=1)
    ordered = _by_horizon(projects)
    if not ordered:
        document.add_paragraph(label("no_projects"))
    else:
        _table(
            document,
            [
                label("number"),
                label("title"),
                label("horizon"),
                label("status"),
                label("progress"),
                label("due_date"),
                label("last_update"),
            ],
            [
                [
                    n,
                    p.get("title"),
                    horizon_label(p.get("horizon")),
                    status_label(p.get("status"))
                    + (f" ({label('overdue')})" if p.get("overdue") else ""),
                    _number(p.get("progress")),
                    _thai_date(p.get("due_date")),
                    _thai_date(p.get("last_update")),
                ]
                for n, p in enumerate(ordered, start=1)
            ],
        )
    for n, project in enumerate(ordered, start=1):
        _project_docx(document, n, project)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _project_docx(document, number: int, project: dict) -> None:
    document.add_heading(xml_safe(f"{number}. {project.get('title') or ''}"), level=2)
    status = status_label(project.get("status"))
    if project.get("overdue"):
        status += f" ({label('overdue')})"
    _labelled(document, label("status"), status)
    _labelled(document, label("progress"), _number(project.get("progress")))
    _labelled(document, label("horizon"), horizon_label(project.get("horizon")))
    for key in ("goal", "owner_agency"):
        if project.get(key):
            _labelled(document, label(key), project[key])
    if project.get("budget") is not None:
        _labelled(document, label("budget"), _number(project["budget"]))
    for key in ("start_date", "due_date"):
        if project.get(key):
            _labelled(document, label(key), _thai_date(project[key]))
    updates = _newest_first(project.get("updates") or [])
    if updates:
        document.add_paragraph(label("updates"), style="Heading 3")
        _table(
            document,
            [label("date"), label("status"), label("progress"), label("note")],
            [
                [
                    _thai_date(u.get("date")),
                    status_label(u.get("status")),
                    _number(u.get("progress")),
                    u.get("note") or "",
                ]
                for u in updates
            ],
        )
    milestones = project.get("milestones") or []
    if milestones:
        document.add_paragraph(label("milestones"), style="Heading 3")
        _table(
            document,
            [label("milestone"), label("due_date"), label("done_on")],
            [
                [m.get("title"), _thai_date(m.get("due_date")), _thai_date(m.get("done_on"))]
                for m in milestones
            ],
        )
    indicators = project.get("indicators") or []
    if indicators:
        document.add_paragraph(label("indicators"), style="Heading 3")
        rows = []
        for i in indicators:
            values = sorted(i.get("values") or [], key=lambda v: v.get("date") or "")
            latest = values[-1] if values else None
            rows.append(
                [
                    i.get("name"),
                    i.get("unit") or "",
                    _number(i.get("baseline")),
                    _number(i.get("target")),
                    f"{_number(latest['value'])} ({_thai_date(latest.get('date'))})"
                    if latest
                    else "",
                ]
            )
        _table(
            document,
            [
                label("indicator"),
                label("unit"),
                label("baseline"),
                label("target"),
                label("latest"),
            ],
            rows,
        )


# ---------------------------------------------------------------- XLSX

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
    ordered = _by_horizon(projects)

    summary = _XSheet(book, "Summary", [label("city"), _city_names(city_summary)], {1: 36, 2: 48})
    by_status = city_summary.get("by_status") or {}
    rows: list[list[object]] = [
        ["slug", city_summary.get("slug")],
        [label("type"), type_label(city_summary.get("type"))],
        [label("phase"), city_summary.get("phase")],
        [label("generated"), today],
        [label("projects_count"), city_summary.get("projects")],
        *([status_label(s), by_status.get(s, 0)] for s in STATUSES),
        [label("mean_progress"), city_summary.get("mean_progress")],
        [label("overdue"), city_summary.get("overdue")],
        [label("last_update"), _day(city_summary.get("last_update"))],
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
                _day(p.get("start_date")),
                _day(p.get("due_date")),
                p.get("status"),
                status_label(p.get("status")),
                p.get("progress"),
                bool(p.get("overdue")),
                _day(p.get("last_update")),
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
        for u in _newest_first(p.get("updates") or []):
            updates.add(
                [
                    p.get("id"),
                    p.get("title"),
                    _day(u.get("date")),
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
                    _day(m.get("due_date")),
                    _day(m.get("done_on")),
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
                    [*base, i.get("baseline"), i.get("target"), _day(v.get("date")), v.get("value")]
                )

    book.properties.title = xml_safe(f"{label('report')}: {_city_names(city_summary)}")[:255]
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
