"""The report as an Excel workbook: openpyxl builds it, data rows are written raw.

Sheets: "Participation", "Plan", one per activity (its results, a column per
stakeholder group), "Statements" (every statement with its moderation flags) and
"Audit". Header rows are bold and frozen; numbers are stored as numbers.

openpyxl (write-only mode) makes the workbook: sheets, column widths, frozen
panes, styles and the header rows. Its per-cell path costs about 5 µs a cell, 9 s
for the 1.8 million cells of the benchmark workshop (docs/performance.md), so the
data rows are serialised here as ``<row>`` XML and spliced into each sheet's
``<sheetData>`` after openpyxl has saved the package.

Every string is an inline-string cell (``t="inlineStr"``): never a formula nor an
error value, whatever it starts with (``=...``, ``#N/A``). Text that Excel would
read as a formula once someone edits the cell (``= + - @``, tab, CR) also gets the
``quotePrefix`` style, Excel's own marker for "this is text".
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from io import BytesIO
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..channels.text import ballots_line
from ..priorities import export as priority_export
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
    is_formula_like,
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

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FIXED_SHEETS = ("Participation", "Plan", "Statements", "Audit")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0%"
_TEXT_WIDTH = 60
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _is_risky(text: str) -> bool:
    return bool(text) and (is_formula_like(text) or text in ERROR_CODES)


def _escape(text: str) -> str:
    """Element text for XML: CR as a reference, or XML parsers would read it as LF."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


class _Styles:
    """Cell style ids registered in the workbook, for the raw rows."""

    def __init__(self, ws) -> None:
        def style_id(**attrs) -> int:
            cell = WriteOnlyCell(ws)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell.style_id

        self.wrap = style_id(alignment=_WRAP)
        self.quote = style_id(quotePrefix=True)
        self.quote_wrap = style_id(quotePrefix=True, alignment=_WRAP)
        self.percent = style_id(number_format=_PERCENT)


class _Sheet:
    """A sheet with a bold, frozen header and string-safe cells.

    :meth:`row` appends through openpyxl (small sheets, dates); :meth:`add` queues a
    raw data row, spliced in by :func:`_splice` (all ``add`` rows come last).
    """

    def __init__(
        self,
        book: _Book,
        title: str,
        headers: list[str],
        widths: dict[int, float] | None = None,
        caption: str | None = None,
        wrap: tuple[int, ...] = (),
        percent: tuple[int, ...] = (),
    ) -> None:
        self.ws = book.workbook.create_sheet(title)
        self.styles = book.styles(self.ws)
        book.sheets.append(self)
        for column, width in (widths or {}).items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
        # Set before the first row: write-only sheets write their view with it.
        self.ws.freeze_panes = "A3" if caption else "A2"
        self.next_row = 1
        if caption:  # a title line above the header (the activity prompt)
            self.ws.append([self.text(caption, bold=True)])
            self.next_row += 1
        self.ws.append([self.text(h, bold=True) for h in headers])
        self.next_row += 1
        self.raw: list[str] = []
        self.wrap = set(wrap)
        self.percent = set(percent)
        self.columns = [get_column_letter(i) for i in range(1, len(headers) + 1)]
        # The fixed parts of a data cell, per column: '<c r="B' + row + '" s="3"><v>'.
        self._refs = [f'<c r="{column}' for column in self.columns]
        self._numbers = [
            f'" s="{self.styles.percent}"><v>' if i in self.percent else '"><v>'
            for i in range(len(self.columns))
        ]

    def text(self, value: object, bold: bool = False) -> WriteOnlyCell:
        """An openpyxl cell that is a string and nothing else, whatever it starts with."""
        value = xml_safe(value)
        cell = WriteOnlyCell(self.ws, value)
        cell.data_type = "s"  # never "f" (formula) nor "e" (error), even for "=..." or "#N/A"
        if _is_risky(value):
            cell.quotePrefix = True
        if bold:
            cell.font = _BOLD
        return cell

    def row(self, values: list[object]) -> None:
        """Append a row through openpyxl: strings become string cells, numbers stay numbers."""
        assert not self.raw, "openpyxl rows must come before the raw rows"
        self.ws.append([self.text(v) if isinstance(v, str) else v for v in values])
        self.next_row += 1

    def add(self, values: list[object]) -> None:
        """Queue a data row: str, int, float, bool or None (an empty cell)."""
        number = str(self.next_row)
        self.next_row += 1
        cells = []
        styles = self.styles
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is int or kind is float:  # most cells: counts and scores
                cells.append(f"{self._refs[index]}{number}{self._numbers[index]}{value!r}</v></c>")
            elif isinstance(value, str):
                text = xml_safe(value)
                wrap = index in self.wrap
                if _is_risky(text):
                    style = styles.quote_wrap if wrap else styles.quote
                else:
                    style = styles.wrap if wrap else 0
                s = f' s="{style}"' if style else ""
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                cells.append(
                    f'{self._refs[index]}{number}" t="inlineStr"{s}>'
                    f"<is><t{space}>{_escape(text)}</t></is></c>"
                )
            elif isinstance(value, bool):
                cells.append(f'{self._refs[index]}{number}" t="b"><v>{int(value)}</v></c>')
            else:  # other numbers
                cells.append(f"{self._refs[index]}{number}{self._numbers[index]}{value!r}</v></c>")
        self.raw.append(f'<row r="{number}">{"".join(cells)}</row>')


class _Book:
    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheets: list[_Sheet] = []
        self._styles: _Styles | None = None

    def styles(self, ws) -> _Styles:
        if self._styles is None:
            self._styles = _Styles(ws)
        return self._styles

    def save(self) -> bytes:
        buffer = BytesIO()
        self.workbook.save(buffer)
        rows = {s.ws.title: "".join(s.raw).encode() for s in self.sheets if s.raw}
        return _splice(buffer.getvalue(), rows)


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> part name inside the package, from workbook.xml and its rels."""
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets[sheet.get(f"{{{_REL_NS}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _splice(package_bytes: bytes, rows: dict[str, bytes]) -> bytes:
    """Insert the raw rows at the end of each sheet's ``<sheetData>``."""
    output = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(package_bytes)) as source,
        # Level 3: less than half the default level's time, about 15 % more bytes.
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as target,
    ):
        parts = {part: rows[title] for title, part in _sheet_parts(source).items() if title in rows}
        for info in source.infolist():
            data = source.read(info.filename)
            extra = parts.get(info.filename)
            if extra:
                if b"</sheetData>" in data:
                    head, _, tail = data.rpartition(b"</sheetData>")
                    data = b"".join((head, extra, b"</sheetData>", tail))
                else:
                    data = data.replace(b"<sheetData/>", b"<sheetData>" + extra + b"</sheetData>")
            target.writestr(info.filename, data)
    return output.getvalue()


def _unique_sheet_name(base: str, taken: set[str]) -> str:
    name = _BAD_SHEET_CHARS.sub(" ", xml_safe(base))
    name = " ".join(name.split()).strip("'") or "Sheet"
    name = name[:MAX_SHEET_NAME].rstrip().strip("'") or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in taken or candidate.lower() == "history":
        suffix = f" ({n})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


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


def render_xlsx(report: dict) -> bytes:
    book = _Book()
    taken = {name.lower() for name in _FIXED_SHEETS}
    _participation(book, report)
    _plan(book, report)
    for activity in report.get("activities") or []:
        name = _unique_sheet_name(f"{activity.get('position', 0) + 1} {activity['prompt']}", taken)
        _activity(book, report, activity, name)
    _statements(book, report)
    _audit(book, report)
    book.workbook.properties.title = xml_safe(report["workshop"].get("title"))[:255]
    return book.save()
