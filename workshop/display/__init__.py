"""Results as people read them: each vote kind with its own labels and numbers.

Pages (results, plan builder) never print a tally's dicts: they ask this package for
display strings. ``kinds.KIND_VIEWS`` says, per vote kind, what its items are called,
which columns it shows and how one stakeholder group's cell reads; a kind missing from
it falls back to a generic view that still prints only numbers and words (never a
Python or JSON representation). ``numbers`` formats for the reader's language.
"""

from __future__ import annotations

from .kinds import KIND_VIEWS, KindView, kind_label, level_label, view_for
from .numbers import decimal, percent, whole

__all__ = [
    "KIND_VIEWS",
    "KindView",
    "decimal",
    "kind_label",
    "level_label",
    "percent",
    "view_for",
    "whole",
]


def init_app(app) -> None:
    """Make the display helpers available to every template."""
    from flask_babel import get_locale

    from ..dates import format_datetime, local_datetime, reader_date_value, thai_years
    from ..kinds.plan_notes import room_lines
    from .audit import audit_line
    from .evidence import evidence_lines
    from .kinds import consensus_lines

    def _locale() -> str:
        return str(get_locale() or "th")

    @app.template_filter("local_time")
    def local_time(value) -> str:
        """A stored UTC time in the workshop's zone (Asia/Bangkok), Buddhist Era for Thai."""
        return format_datetime(value, _locale(), app.config.get("BABEL_DEFAULT_TIMEZONE"))

    @app.template_filter("local_clock")
    def local_clock(value) -> str:
        """``19:59``: a stored UTC time's hour and minute in the workshop's zone."""
        local = local_datetime(value, app.config.get("BABEL_DEFAULT_TIMEZONE"))
        return f"{local:%H:%M}" if local else ""

    @app.template_filter("reader_date")
    def reader_date(value) -> str:
        """A date input's value: ``5/12/2569`` for Thai readers, ISO otherwise."""
        return reader_date_value(value or None, _locale())

    @app.template_filter("reader_years")
    def reader_years(value) -> str:
        """Gregorian years in free text (a city's phase) as the reader counts them."""
        return thai_years(value, _locale())

    @app.context_processor
    def display_helpers() -> dict:
        return {
            "result_view": view_for,
            "kind_label": kind_label,
            "level_label": level_label,
            "evidence_lines": evidence_lines,
            "room_lines": room_lines,
            "consensus_lines": consensus_lines,
            "audit_line": lambda entry: audit_line(entry, _locale()),
        }
