"""Bulk progress updates from a CSV or XLSX file: every row applied, or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, Plan, TrackedProject
from ..services.errors import Forbidden, Invalid
from .operations import UpdateInput, add_update, check_update, require_updater

MAX_IMPORT_ROWS = 5000


@dataclass
class RowReport:
    row: int
    project_id: object
    ok: bool
    errors: list[str]


def parse_update_rows(data: bytes, kind: str) -> list[dict]:
    """Rows of a CSV (UTF-8, BOM allowed) or XLSX upload as dicts of text."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 - any unreadable file is the same error to the user
            raise Invalid("the file is not a readable XLSX workbook", "invalid_file") from None
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        if not rows:
            raise Invalid("the workbook is empty", "invalid_file")
        header = [str(h).strip().lower() for h in rows[0]]
        return [
            dict(zip(header, [_cell(v) for v in row], strict=False))
            for row in rows[1:]
            if any(str(v).strip() for v in row)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the CSV must be UTF-8", "invalid_file") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise Invalid("the CSV is empty", "invalid_file")
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    return [row for row in reader if any((v or "").strip() for v in row.values())]


def _cell(value: object) -> object:
    """An XLSX cell as the CSV would have it: dates (Excel stores datetimes) as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def import_updates(plan: Plan, rows: list[dict], actor: Facilitator) -> list[RowReport]:
    """Apply every row or none: returns the per-row report; raises Invalid listing bad rows."""
    required = {"project_id", "status", "progress", "note"}
    if rows and not required <= set(rows[0]):
        raise Invalid("columns must be project_id,status,progress,note[,date]", "invalid_columns")
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(f"at most {MAX_IMPORT_ROWS} rows per import", "too_many_rows")
    projects = {
        p.id: p
        for p in db.session.scalars(select(TrackedProject).where(TrackedProject.plan_id == plan.id))
    }
    reports: list[RowReport] = []
    checked = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        raw_id = str(row.get("project_id") or "").strip()
        errors = []
        project = projects.get(int(raw_id)) if raw_id.isdigit() else None
        if project is None:
            errors.append(f"project {raw_id or '(empty)'} is not in this plan")
        else:
            try:
                require_updater(actor, project)
            except Forbidden as error:
                errors.append(error.message)
        raw = UpdateInput(row.get("status"), row.get("progress"), row.get("note"), row.get("date"))
        try:
            check_update(raw)
        except Invalid as error:
            errors.extend(error.message.split("; "))
        reports.append(RowReport(number, raw_id, not errors, errors))
        checked.append((project, raw))
    bad = [r for r in reports if not r.ok]
    if bad:
        raise ImportRejected(reports)
    for project, raw in checked:
        add_update(project, raw, actor, source="import")
    return reports


class ImportRejected(Invalid):
    """Some rows are invalid: nothing was applied."""

    def __init__(self, reports: list[RowReport]) -> None:
        bad = [r for r in reports if not r.ok]
        super().__init__(
            f"{len(bad)} of {len(reports)} rows are invalid; nothing was applied", "invalid_rows"
        )
        self.reports = reports

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["rows"] = [report_dict(r) for r in self.reports if not r.ok]
        return data


def report_dict(report: RowReport) -> dict:
    return {
        "row": report.row,
        "project_id": report.project_id,
        "ok": report.ok,
        "errors": report.errors,
    }
