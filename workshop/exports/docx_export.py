"""The report as a Word document (python-docx): title page, plan, opinion groups, appendix.

Thai in Word and LibreOffice (the styles: workshop/exports/docx_style.py)
-----------------------------------------------------------------------
Word draws Thai characters with the *complex-script* font of a run (``w:rFonts
w:cs``) and LibreOffice with its "CTL" font, which it reads from the same
attribute; both take the language of that text from ``w:lang w:bidi``. OOXML has no
font fallback list, so one font is named everywhere: **TH Sarabun New**, the
standard font of Thai government documents, on every style of the document
(``w:ascii``/``w:hAnsi``/``w:eastAsia``/``w:cs``, theme fonts removed since they
would win over it), at the customary 16 pt for body text. The document language is
``w:bidi="th-TH"`` (document defaults and ``w:themeFontLang``), and every run that
contains Thai carries its own ``<w:lang w:bidi="th-TH"/>``. The font table
describes TH Sarabun New as a Thai-charset (``DE``) font with ``Sarabun`` as its
alternative name, so a computer without it substitutes a Thai font rather than one
without Thai glyphs. Checked with LibreOffice 7.4 (``soffice --headless --convert-to
pdf``, fonts-thai-tlwg installed, no Sarabun): the Thai text of the title page, plan and
appendix tables is shaped correctly in the substituted Thai font.

Participant text only ever goes in as ``w:t`` text (lxml escapes it): no field
code (``w:fldSimple``, ``w:instrText``), hyperlink or markup is built from it.

Tables are written straight as ``w:tbl`` XML with lxml: python-docx's cell API is
far too slow for an appendix of 10,000 statements (see docs/performance.md).
"""

from __future__ import annotations

import re
from io import BytesIO

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm
from lxml import etree

from .docx_style import (
    FONT,  # noqa: F401 (the tests check the font named)
    THAI_LANG,
    W,
    child,
    setup,
    w,
)
from .opinion_sections import sections as opinion_sections
from .opinion_sections import text_rows
from .text import (
    PLAN_HEADERS,
    action_text,
    activity_title,
    author_text,
    bi,
    city_name,
    date_line,
    details_text,
    generated_line,
    group_label,
    groups,
    has_thai,
    kind_label,
    local_time_cell,
    one_line,
    plan_row,
    plan_sections,
    statement_status,
    statements_by_activity,
    target_text,
    time_header,
    xml_safe,
)

TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins

_SPLIT = re.compile(r"(\t|\n)")
_THAI_RUN_LANG = f'<w:lang w:bidi="{THAI_LANG}"/>'
_CELL_PARAGRAPH = '<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>'


def _text_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _runs_xml(text: object, bold: bool = False) -> str:
    """Plain text as one ``w:r`` (XML text, ``w`` prefix): tabs and line breaks kept.

    Participant text only ever becomes escaped ``w:t`` content here.
    """
    text = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if has_thai(text):
        props += _THAI_RUN_LANG
    out = [f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"]
    for part in _SPLIT.split(text) if ("\t" in text or "\n" in text) else (text,):
        if part == "\t":
            out.append("<w:tab/>")
        elif part == "\n":
            out.append("<w:br/>")
        elif part:
            space = ' xml:space="preserve"' if part[0] == " " or part[-1] == " " else ""
            out.append(f"<w:t{space}>{_text_xml(part)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def _parse(children_xml: str):
    """The elements of a string of ``w:`` XML (lxml parses in C)."""
    return etree.fromstring(f'<w:root xmlns:w="{W}">{children_xml}</w:root>')


def _runs(paragraph, text: object, bold: bool = False) -> None:
    """Plain text as runs of ``paragraph`` (an lxml ``w:p``)."""
    paragraph.extend(_parse(_runs_xml(text, bold)))


def _para(document, text: object = "", style: str | None = None, bold: bool = False):
    paragraph = document.add_paragraph(style=style)
    if text:
        _runs(paragraph._p, text, bold)
    return paragraph


def _labelled(document, label: str, value: object) -> None:
    paragraph = document.add_paragraph()
    _runs(paragraph._p, f"{label}: ", bold=True)
    _runs(paragraph._p, value)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


class _Table:
    """A ``Table Grid`` table whose rows are written as XML text (fast for thousands).

    Use as a context manager: the rows are parsed into the table when the block ends.
    """

    def __init__(self, document, headers: list[str], widths_cm: list[float]) -> None:
        table = document.add_table(rows=0, cols=len(headers))
        table.style = document.styles["Table Grid"]
        self.tbl = table._tbl
        scale = TEXT_WIDTH_CM / sum(widths_cm)
        self.widths = [str(int(Cm(w * scale).twips)) for w in widths_cm]
        for col, width in zip(self.tbl.tblGrid.findall(w("gridCol")), self.widths, strict=True):
            col.set(w("w"), width)
        tbl_pr = self.tbl.tblPr
        tbl_w = child(
            tbl_pr,
            "tblW",
            [
                "tblStyle",
                "tblpPr",
                "tblOverlap",
                "bidiVisual",
                "tblStyleRowBandSize",
                "tblStyleColBandSize",
                "tblW",
            ],
        )
        tbl_w.set(w("w"), str(int(Cm(TEXT_WIDTH_CM).twips)))
        tbl_w.set(w("type"), "dxa")
        self._rows: list[str] = []
        self.row(headers, header=True)

    def __enter__(self) -> _Table:
        return self

    def __exit__(self, *exc) -> None:
        if self._rows:
            self.tbl.extend(_parse("".join(self._rows)))
            self._rows = []

    def row(self, values: list[object], header: bool = False, bold: bool = False) -> None:
        out = ["<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>"]  # repeated
        for value, width in zip(values, self.widths, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
            for line in (value if isinstance(value, list) else [value]) or [""]:
                out.append(_CELL_PARAGRAPH)
                if line not in (None, ""):
                    out.append(_runs_xml(line, bold=header or bold))
                out.append("</w:p>")
            out.append("</w:tc>")
        out.append("</w:tr>")
        self._rows.append("".join(out))


def _title_page(document, report: dict) -> None:
    workshop = report["workshop"]
    _para(document, workshop.get("title") or workshop.get("code"), "Title")
    _para(document, bi("report"), "Subtitle")
    if city_name(report):
        _labelled(document, bi("city"), city_name(report))
    if date_line(report):
        _labelled(document, bi("date"), date_line(report))
    _labelled(document, bi("code"), workshop.get("code"))
    _labelled(document, bi("generated"), generated_line(report))

    participation = report["participation"]
    _para(document, bi("participation"), "Heading 1")
    by_group = participation["participants"]["by_group"]
    with _Table(document, [bi("group"), bi("attendees")], [12, 5]) as table:
        for group in [*groups(report), *(g for g in by_group if g not in groups(report))]:
            table.row([group_label(report, group), str(by_group.get(group, 0))])
        table.row([bi("total"), str(participation["participants"]["total"])], bold=True)
    _para(document)
    _labelled(document, bi("statements"), participation["statements"])
    _labelled(document, bi("ballots"), participation["ballots"])


PLAN_WIDTHS = [1.0, 6.0, 1.4, 1.3, 2.3, 3.2, 1.8]


def _plan(document, report: dict) -> None:
    plan = report.get("plan") or {}
    for level, heading, items in plan_sections(report):
        _para(document, heading, f"Heading {level}")
        if items is None:  # projects: the items come under each horizon
            continue
        if heading == bi("vision") and items:
            _para(document, items[0]["text"], "Intense Quote")
        if not items:
            _para(document, bi("none_yet") if plan.get("plan_id") else bi("no_plan"))
            continue
        with _Table(document, [bi(h) for h in PLAN_HEADERS], PLAN_WIDTHS) as table:
            for number, item in enumerate(items, start=1):
                table.row(plan_row(report, number, item))


def _opinions(document, report: dict) -> None:
    """Opinion groups of the agree activities (workshop/exports/opinion_sections.py)."""
    found = list(opinion_sections(report))
    if not found:
        return
    _para(document, bi("opinion_groups"), "Heading 1")
    for section in found:
        _para(document, section.title, "Heading 2")
        _para(document, section.line)
        for heading, table in section.tables:
            _para(document, heading, "Heading 3")
            if not table.rows:
                _para(document, table.empty)
                continue
            widths = [
                7.0 if i in table.texts or h == bi("makeup") else 2.2
                for i, h in enumerate(table.headers)
            ]
            with _Table(document, table.headers, widths) as drawn:
                for row in text_rows(table):
                    drawn.row(row)


def _appendix(document, report: dict) -> None:
    _page_break(document)
    _para(document, bi("appendix_statements"), "Heading 1")
    by_activity: dict[int, list[dict]] = {}
    for statement in report.get("statements") or []:
        by_activity.setdefault(statement["activity_id"], []).append(statement)
    titles = {a["id"]: a for a in report.get("activities") or []}
    for activity_id, statements in statements_by_activity(report, by_activity):
        activity = titles.get(activity_id)
        heading = (
            f"{activity_title(activity)} ({kind_label(activity['kind'])})"
            if activity
            else f"{bi('activity')} #{activity_id}"
        )
        _para(document, heading, "Heading 2")
        headers = [bi("id"), bi("author_group"), bi("statement"), bi("status")]
        with _Table(document, headers, [1.3, 3.0, 8.7, 4.0]) as table:
            for s in statements:
                table.row([str(s["id"]), author_text(report, s), s["text"], statement_status(s)])
    if not by_activity:
        _para(document, bi("no_entries"))

    _para(document, bi("appendix_audit"), "Heading 1")
    entries = report.get("audit") or []
    if not entries:
        _para(document, bi("no_entries"))
        return
    headers = [time_header(report), bi("actor"), bi("action"), bi("target"), bi("details")]
    with _Table(document, headers, [3.0, 3.4, 2.6, 2.2, 5.8]) as table:
        for entry in entries:
            table.row(
                [
                    local_time_cell(report, entry.get("at")),
                    entry.get("actor") or "",
                    action_text(entry.get("action")),
                    target_text(entry.get("target")),
                    details_text(entry.get("details")),
                ]
            )


def render_docx(report: dict) -> bytes:
    document = Document()
    setup(document)
    document.core_properties.title = one_line(report["workshop"].get("title"))[:255]
    document.core_properties.language = THAI_LANG
    _title_page(document, report)
    _page_break(document)
    _plan(document, report)
    _opinions(document, report)
    _appendix(document, report)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
