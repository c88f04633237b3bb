"""Exports of a whole process plan: JSON, XLSX (a sheet per level), DOCX (a plan document).

A single workshop's exports stay in ``workshop/exports``.
"""

from __future__ import annotations

import io
import json

from ..exports.text import neutralise_cell
from ..models import PlanningProcess
from ..services.errors import Invalid
from .summary import process_dict
from .versions import diff, flatten, get_version

SCHEMA_VERSION = 1  # of docs/process-export-schema.json
FORMATS = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SECTION_TITLES = {
    "vision": "วิสัยทัศน์ (Vision)",
    "alternatives": "วิสัยทัศน์ทางเลือก (Alternatives)",
    "goals": "เป้าหมาย (Goals)",
    "strategies": "ยุทธศาสตร์ (Strategies)",
    "projects": "แผนงาน/โครงการ (Projects)",
}


def _diff_of(process: PlanningProcess, spec: str | None) -> dict | None:
    if not spec:
        return None
    first, sep, second = spec.partition("..")
    if not sep or not first or not second:
        raise Invalid("diff is two versions: diff=1..2 (or 1..current)", "invalid_diff")
    return diff(get_version(process.plan, first), get_version(process.plan, second))


def export_process(process: PlanningProcess, fmt: str, diff_spec: str | None = None):
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", "invalid_format")
    compared = _diff_of(process, diff_spec)
    data = process_dict(process)
    if fmt == "json":  # the shape of docs/process-export-schema.json
        if compared:
            body = {"schema_version": SCHEMA_VERSION, "process": data, "diff": compared}
        else:
            body = {"schema_version": SCHEMA_VERSION, **data}
        content = json.dumps(body, ensure_ascii=False, indent=1).encode()
    elif fmt == "xlsx":
        content = _xlsx(data, compared)
    else:
        content = _docx(data, compared)
    name = f"plan-process-{process.id}" + (f"-diff-{diff_spec}" if compared else "")
    return content, FORMATS[fmt], f"{name}.{fmt}"


def _rows(plan: dict) -> list[dict]:
    return sorted(flatten(plan).values(), key=lambda i: (i["section"], i["position"], i["id"]))


def _xlsx(data: dict, compared: dict | None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    plan = data["plan"]
    rows = _rows(plan)
    columns = [
        "id",
        "parent_id",
        "position",
        "text",
        "horizon",
        "owner_agency",
        "budget",
        "funding_source",
        "start_year",
        "end_year",
    ]
    for section, title in SECTION_TITLES.items():
        sheet = book.create_sheet(section.capitalize())
        sheet.append([title])
        sheet.append(columns + ["meetings"])
        for item in rows:
            if item["section"] == section:
                sheet.append(
                    [_cell(item.get(c)) for c in columns]
                    + [", ".join(e.get("workshop", "") for e in item["evidence"])]
                )
    sheet = book.create_sheet("Indicators")
    sheet.append(
        [
            "goal_id",
            "goal",
            "name",
            "unit",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "latest_value",
        ]
    )
    for item in rows:
        for ind in item.get("indicators", []):
            sheet.append(
                [
                    item["id"],
                    item["text"],
                    ind["name"],
                    ind["unit"],
                    ind["baseline_value"],
                    ind["baseline_year"],
                    ind["target_value"],
                    ind["target_year"],
                    ind.get("latest_value"),
                ]
            )
    sheet = book.create_sheet("Evidence")
    sheet.append(
        [
            "item_id",
            "item",
            "workshop",
            "source",
            "activity_id",
            "kind",
            "score",
            "rank",
            "by_group",
        ]
    )
    for item in rows:
        for e in item["evidence"]:
            sheet.append(
                [
                    item["id"],
                    item["text"],
                    e.get("workshop"),
                    e.get("source"),
                    e.get("activity_id"),
                    e.get("kind"),
                    _cell(e.get("score")),
                    e.get("rank"),
                    _groups(e.get("by_group")),
                ]
            )
    if compared:
        sheet = book.create_sheet("Diff")
        sheet.append(["change", "id", "section", "text"])
        for change in ("added", "removed"):
            for item in compared[change]:
                sheet.append([change, item["id"], item["section"], item["text"]])
        for change in ("changed", "moved"):
            for entry in compared[change]:
                sheet.append([change, entry["id"], entry["item"]["section"], entry["item"]["text"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else _groups(value)
    return neutralise_cell(value)


def _groups(by_group) -> str:
    """Per-group support as people read it: ``residents: 3; academia: 1``."""
    if not isinstance(by_group, dict):
        return ""
    parts = []
    for group, value in by_group.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items() if not isinstance(v, dict))
        parts.append(f"{group}: {value}")
    return "; ".join(parts)


THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _docx(data: dict, compared: dict | None) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "TH Sarabun New"
    style.font.size = Pt(16)
    plan = data["plan"]
    years = f"พ.ศ. {data['start_year_be']}–{data['end_year_be']}"
    document.add_heading(data["title"], level=0)
    document.add_paragraph(f"{data.get('city_name') or ''} · {years}")
    document.add_paragraph(f"ฉบับที่ {plan['version']} · สถานะ {plan['status']}")
    document.add_heading("สารบัญ (Contents)", level=1)
    chapters = ["วิสัยทัศน์", "เป้าหมาย ยุทธศาสตร์ และโครงการ", "กระบวนการ", "ภาคผนวก: หลักฐาน"]
    for number, title in enumerate(chapters, start=1):
        document.add_paragraph(f"{str(number).translate(THAI_DIGITS)}. {title}")
    document.add_heading("๑. วิสัยทัศน์ (Vision)", level=1)
    if plan["vision"]:
        document.add_paragraph(plan["vision"]["text"])
    for alt in plan["alternatives"]:
        document.add_paragraph(alt["text"], style="List Bullet")
    document.add_heading("๒. เป้าหมาย ยุทธศาสตร์ และโครงการ", level=1)
    for g, goal in enumerate(plan["goals"], start=1):
        document.add_heading(f"เป้าหมายที่ {g}: {goal['text']}", level=2)
        for ind in goal.get("indicators", []):
            document.add_paragraph(
                f"ตัวชี้วัด: {ind['name']} — ฐาน {ind['baseline_value']} ({ind['baseline_year']})"
                f" → เป้า {ind['target_value']} ({ind['target_year']})",
                style="List Bullet",
            )
        for s, strategy in enumerate(goal["strategies"], start=1):
            document.add_heading(f"ยุทธศาสตร์ {g}.{s}: {strategy['text']}", level=3)
            for project in strategy["projects"]:
                budget = (
                    f" · งบประมาณ {project['budget']:,.0f} บาท" if project.get("budget") else ""
                )
                owner = f" · {project['owner_agency']}" if project.get("owner_agency") else ""
                document.add_paragraph(f"{project['text']}{owner}{budget}", style="List Number")
    document.add_heading("๓. กระบวนการ (Meetings)", level=1)
    for w in data["workshops"]:
        document.add_paragraph(
            f"{w['date'] or ''} {w['title']} — {w['purpose'] or ''} "
            f"({w['participants']['total']} คน)",
            style="List Bullet",
        )
    for version in data["versions"]:
        document.add_paragraph(
            f"ฉบับที่ {version['number']}: {version['status']} {version['note'] or ''}"
        )
    document.add_heading("๔. ภาคผนวก: หลักฐาน (Evidence)", level=1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["ข้อ", "การประชุม", "คะแนน", "กลุ่ม"], strict=True):
        cell.text = text
    for item in _rows(plan):
        for e in item["evidence"]:
            row = table.add_row().cells
            row[0].text = item["text"]
            row[1].text = str(e.get("workshop_title") or e.get("workshop") or "")
            row[2].text = "" if e.get("score") is None else str(e.get("score"))
            row[3].text = _groups(e.get("by_group"))
    if compared:
        document.add_heading("การเปรียบเทียบฉบับ (Version comparison)", level=1)
        for change in ("added", "removed"):
            for item in compared[change]:
                document.add_paragraph(f"{change}: {item['text']}", style="List Bullet")
        for change in ("changed", "moved"):
            for entry in compared[change]:
                document.add_paragraph(f"{change}: {entry['item']['text']}", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

