"""Export formats of a workshop report (see workshop/services/report.py).

Every renderer takes the report dict and returns bytes. Participant text is
always written as plain text: no formula, markup or field code is ever live.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

FORMATS = ("docx", "xlsx", "csv", "json", "md", "html")


@dataclass(frozen=True)
class Export:
    body: bytes
    mimetype: str
    filename: str | None  # None: shown inline (the printable HTML page)


def _slug(text: str | None) -> str:
    text = re.sub(r"[^\w\u0E00-\u0E7F-]+", "-", text or "", flags=re.UNICODE).strip("-")
    return text[:60] or "workshop"


def file_stem(report: dict) -> str:
    """City and date, e.g. ``Lampang-2026-11-26``; the code when there is no city."""
    workshop = report["workshop"]
    city = _slug(workshop.get("city") or workshop.get("code"))
    date = workshop.get("date") or report["generated_at"][:10]
    return f"{city}-{date}"


def render(report: dict, fmt: str) -> Export:
    stem = file_stem(report)
    if fmt == "json":
        # Not indented: only the unindented form runs in the json module's C encoder
        # (4x faster on a big workshop; indent=2 also made the file 60% bigger).
        body = json.dumps(report, ensure_ascii=False).encode()
        return Export(body, "application/json", f"{stem}.json")
    if fmt == "docx":
        from .docx_export import render_docx

        return Export(
            render_docx(report),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            f"{stem}.docx",
        )
    if fmt == "xlsx":
        from .xlsx_export import render_xlsx

        return Export(
            render_xlsx(report),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    if fmt == "csv":
        from .csv_export import render_csv

        return Export(render_csv(report), "text/csv; charset=utf-8", f"{stem}.csv")
    if fmt == "md":
        from .markdown_export import render_markdown

        return Export(render_markdown(report), "text/markdown; charset=utf-8", f"{stem}.md")
    if fmt == "html":
        from .html_export import render_html

        return Export(render_html(report), "text/html; charset=utf-8", None)
    raise ValueError(fmt)
