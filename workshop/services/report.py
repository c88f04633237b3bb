"""Everything about one workshop as plain data: the source of every export format.

The JSON export is this dict as it is (``REPORT_VERSION``, schema in
docs/export-schema.json); DOCX, XLSX, CSV, Markdown and HTML render it.
Built with a fixed number of queries, whatever the number of statements.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select

from ..dates import DEFAULT_TIME_ZONE
from ..exports import Export, render
from ..extensions import db
from ..groups import group_labels
from ..models import Statement, StatementEdit, Workshop, as_json, utcnow
from ..planning.workshop_plan import get_plan, horizon_years, plan_dict
from . import audit
from .report_data import StatementRow, all_activity_results, statement_rows
from .snapshots import participant_counts, with_opinions

REPORT_VERSION = 1


def buddhist_era(value) -> str | None:
    """A date as Thai readers write it: day month BE-year (Gregorian year + 543)."""
    if value is None:
        return None
    return f"{value.day}/{value.month}/{value.year + 543}"


def _statements(rows: Sequence[StatementRow], workshop: Workshop) -> list[dict]:
    """The statements appendix: every statement, with its flags and its first wording."""
    original: dict[int, str] = {}
    for statement_id, old_text in db.session.execute(
        select(StatementEdit.statement_id, StatementEdit.old_text)
        .join(Statement, Statement.id == StatementEdit.statement_id)
        .where(Statement.workshop_id == workshop.id)
        .order_by(StatementEdit.id)
    ):
        original.setdefault(statement_id, old_text)
    return [
        {
            "id": s.id,
            "activity_id": s.activity_id,
            "text": s.text,
            "original_text": original.get(s.id, s.text),
            "group": s.group,
            "author": "facilitator" if s.participant_id is None else "participant",
            "created_at": as_json(s.created_at),
            "hidden": s.hidden,
            "pending": s.pending,
            "pinned": s.pinned,
            "merged_into": s.merged_into_id,
        }
        for s in rows
    ]


def report_time_zone() -> str:
    """The zone the documents give times in: the app's (Asia/Bangkok by default)."""
    from flask import current_app

    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIME_ZONE


def build_report(workshop: Workshop, now: datetime | None = None) -> dict:
    counts = participant_counts(workshop)
    rows = statement_rows(workshop.id)
    statements = _statements(rows, workshop)
    # Ballots are counted per activity of the workshop (indexed), not through every participant.
    by_activity, ballots = all_activity_results(workshop, rows)
    activities = []
    for activity in workshop.activities:
        results = with_opinions(activity, by_activity[activity.id])
        results.update(
            position=activity.position,
            prompt_translations=dict(activity.prompt_translations or {}),
            plan_section=activity.plan_section,
            horizon=activity.horizon,
            source_activity_id=activity.source_activity_id,
        )
        activities.append(results)
    return {
        "version": REPORT_VERSION,
        "generated_at": as_json(now or utcnow()),
        "workshop": {
            "code": workshop.code,
            "title": workshop.title,
            "city": workshop.city_record.slug if workshop.city_record else None,
            "city_name_th": workshop.city_record.name_th if workshop.city_record else None,
            "city_name_en": workshop.city_record.name_en if workshop.city_record else None,
            "date": as_json(workshop.held_on),
            "date_buddhist_era": buddhist_era(workshop.held_on),
            "groups": list(workshop.groups),
            "group_labels": group_labels(list(workshop.groups)),
            "horizon_years": horizon_years(workshop),
            "time_zone": report_time_zone(),
            "consensus": {
                "threshold": workshop.consensus_threshold,
                "min_group_members": workshop.consensus_min_group,
            },
        },
        "participation": {
            "participants": counts,
            "statements": sum(1 for s in statements if s["author"] == "participant"),
            "ballots": ballots,
        },
        "plan": plan_dict(workshop, get_plan(workshop), {s.id: s.text for s in rows}),
        "activities": activities,
        "statements": statements,
        "audit": audit.entries(workshop),
    }


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration.

    A big report allocates millions of small dicts, lists and tuples and frees none
    of them before the end: the collector kept rescanning the growing heap for
    cycles it could not find (a quarter to a third of ``build_report``'s time on the
    workshop of bench/exports.py). It runs again as soon as the block ends, unless
    something else had paused it before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export_report(workshop: Workshop, fmt: str, now: datetime | None = None) -> Export:
    """The workshop's report in one export format (``workshop.exports.FORMATS``)."""
    with collector_paused():
        return render(build_report(workshop, now), fmt)
