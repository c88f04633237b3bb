"""The workbook machinery of the XLSX export: openpyxl builds it, data rows are written raw.

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
from io import BytesIO
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .text import is_formula_like, xml_safe

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0%"
TEXT_WIDTH = 60
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


class Sheet:
    """A sheet with a bold, frozen header and string-safe cells.

    :meth:`row` appends through openpyxl (small sheets, dates); :meth:`add` queues a
    raw data row, spliced in by :func:`_splice` (all ``add`` rows come last).
    """

    def __init__(
        self,
        book: Book,
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


class Book:
    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheets: list[Sheet] = []
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


def unique_sheet_name(base: str, taken: set[str]) -> str:
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
