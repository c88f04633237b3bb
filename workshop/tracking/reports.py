"""A city's monitoring report: its adopted projects and their progress, as DOCX and XLSX.

This module holds what both formats share (labels, dates, numbers, ordering); the
renderers are ``reports_docx.render_city_docx`` and ``reports_xlsx.render_city_xlsx``.

Both renderers take plain data: ``city_summary`` as made by
``serialize.city_summary`` (optionally with ``visions``, a list of texts) and
``projects`` as made by ``serialize.project_dict(project, detail=True)``.

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

from ..dates import format_date
from ..exports.text import bi

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


def as_day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def thai_date(value: object) -> str:
    day = as_day(value)
    return format_date(day, "th") if day else ""


def number_text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def newest_first(updates: list[dict]) -> list[dict]:
    return sorted(
        updates or [], key=lambda u: (u.get("date") or "", u.get("id") or 0), reverse=True
    )


def by_horizon(projects: list[dict]) -> list[dict]:
    order = {h: n for n, h in enumerate(HORIZONS)}
    return sorted(projects, key=lambda p: (order.get(p.get("horizon"), 9), p.get("id") or 0))


def city_names(summary: dict) -> str:
    names = [summary.get("name_th"), summary.get("name_en")]
    return " / ".join(n for n in names if n)
