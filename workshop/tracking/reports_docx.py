"""The monitoring report as DOCX: TH Sarabun New for every script, Thai as the bidi language.

See ``reports`` for the data it takes and the labels.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from ..dates import format_date, thai_years
from ..exports.text import xml_safe
from .reports import (
    FONT,
    STATUSES,
    THAI_LANG,
    by_horizon,
    city_names,
    horizon_label,
    label,
    newest_first,
    number_text,
    status_label,
    thai_date,
    type_label,
)


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


def phase_text(phase: str) -> str:
    """``2 (2562) / 2 (2019)``: the pilot phase with its year in both eras."""
    thai = thai_years(phase, "th")
    return f"{thai} / {phase}" if thai != phase else phase


def _labelled(document, name: str, value: object) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{name}: ").bold = True
    paragraph.add_run(xml_safe(value))


def render_city_docx(city_summary: dict, projects: list[dict], today: date | None = None) -> bytes:
    today = today or date.today()
    document = Document()
    _setup_docx(document)
    document.add_heading(xml_safe(label("report")), level=0)
    document.add_paragraph(xml_safe(city_names(city_summary)), style="Heading 1")
    _labelled(document, label("type"), type_label(city_summary.get("type")))
    if city_summary.get("phase"):
        _labelled(document, label("phase"), phase_text(city_summary["phase"]))
    _labelled(
        document, label("generated"), f"{format_date(today, 'th')} ({format_date(today, 'en')})"
    )
    for vision in city_summary.get("visions") or []:
        _labelled(document, label("vision"), vision)

    document.add_heading(label("summary"), level=1)
    by_status = city_summary.get("by_status") or {}
    rows: list[list[object]] = [
        [label("projects_count"), number_text(city_summary.get("projects"))]
    ]
    rows += [[status_label(s), number_text(by_status.get(s, 0))] for s in STATUSES]
    rows += [
        [label("mean_progress"), number_text(city_summary.get("mean_progress"))],
        [label("overdue"), number_text(city_summary.get("overdue"))],
        [label("last_update"), thai_date(city_summary.get("last_update"))],
    ]
    _table(document, ["", ""], rows)

    document.add_heading(label("projects"), level=1)
    ordered = by_horizon(projects)
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
                    number_text(p.get("progress")),
                    thai_date(p.get("due_date")),
                    thai_date(p.get("last_update")),
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
    _labelled(document, label("progress"), number_text(project.get("progress")))
    _labelled(document, label("horizon"), horizon_label(project.get("horizon")))
    for key in ("goal", "owner_agency"):
        if project.get(key):
            _labelled(document, label(key), project[key])
    if project.get("budget") is not None:
        _labelled(document, label("budget"), number_text(project["budget"]))
    for key in ("start_date", "due_date"):
        if project.get(key):
            _labelled(document, label(key), thai_date(project[key]))
    updates = newest_first(project.get("updates") or [])
    if updates:
        document.add_paragraph(label("updates"), style="Heading 3")
        _table(
            document,
            [label("date"), label("status"), label("progress"), label("note")],
            [
                [
                    thai_date(u.get("date")),
                    status_label(u.get("status")),
                    number_text(u.get("progress")),
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
                [m.get("title"), thai_date(m.get("due_date")), thai_date(m.get("done_on"))]
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
                    number_text(i.get("baseline")),
                    number_text(i.get("target")),
                    f"{number_text(latest['value'])} ({thai_date(latest.get('date'))})"
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
