"""Helpers shared by the export renderers: labels, dates, evidence, plain-text safety.

Every renderer writes participant text as *plain text*. What that takes differs per
format, and lives here so that every format applies the same rules:

- :func:`xml_safe` drops the characters XML 1.0 cannot carry (DOCX, XLSX, HTML);
- :func:`neutralise_cell` is the OWASP CSV-injection rule (a leading ``'`` before
  ``= + - @``, tab, CR, LF), for CSV;
- :func:`md_escape` backslash-escapes Markdown and HTML syntax.

Labels are bilingual, Thai first ("วิสัยทัศน์ / Vision"): the documents go to Thai
municipalities and to the programme's English-speaking partners alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from ..dates import DEFAULT_TIME_ZONE, format_date, format_datetime, numeric_datetime
from ..display import audit as audit_labels
from ..kinds.plan_notes import LABELS as ROOM_LABELS
from ..kinds.plan_notes import room_notes
from ..priorities.export import LABELS as PRIORITY_LABELS
from ..priorities.export import plan_notes, support_part
from .labels import LABELS

THAI = re.compile("[\u0e00-\u0e7f]")
# Characters XML 1.0 cannot carry: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Spreadsheets read a cell starting with one of these as a formula (OWASP CSV injection);
# the full-width forms too, which some Excel locales accept.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Every ASCII punctuation character that starts Markdown/GFM syntax somewhere: emphasis,
# code, links and images, raw HTML and entities, headings, lists, block quotes, tables,
# strikethrough, the extended autolinks (www. / http: / a@b) and the highlight (==) and
# math ($) extensions of some renderers.
_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~&:@=$^"
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in _MD_SPECIAL})

LABELS.update(PRIORITY_LABELS)  # matrix, points, budget (workshop/priorities/export.py)
LABELS.update(ROOM_LABELS)  # word cloud, Q&A, map (workshop/kinds/plan_notes.py)

HORIZONS = ("short", "medium", "long")


def th(key: str) -> str:
    return LABELS[key][0]


def en(key: str) -> str:
    return LABELS[key][1]


def bi(key: str) -> str:
    """Thai and English label, e.g. ``วิสัยทัศน์ / Vision``."""
    thai, english = LABELS[key]
    return f"{thai} / {english}" if thai != english else thai


def has_thai(text: str | None) -> bool:
    return bool(text) and THAI.search(text) is not None


def xml_safe(text: object) -> str:
    """``text`` as a string XML 1.0 can carry (control characters dropped)."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text))


class Memo(dict):
    """``function(key)``, computed once per key: within one export the same statement
    texts, group labels and numbers come back in every activity's results."""

    def __init__(self, function: Callable[[Any], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> str:
        self[key] = value = self.function(key)
        return value


def one_line(text: object) -> str:
    """Whitespace runs (tabs, line breaks) as one space: for table cells."""
    return " ".join(xml_safe(text).split())


def neutralise_cell(value: object) -> object:
    """OWASP CSV injection: a string a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_START)


def md_escape(text: object) -> str:
    """Participant text as Markdown that renders as exactly that text, on one line.

    Every Markdown/GFM punctuation character gets a backslash (CommonMark lets any
    ASCII punctuation be escaped), which also stops raw HTML, entities, links,
    autolinks and list/heading/table syntax.
    """
    return one_line(text).translate(_MD_ESCAPES)


# ---------------------------------------------------------------- workshop facts


def group_label(report: dict, group: str | None) -> str:
    """The label of a stakeholder group key ('' for none: facilitators' statements)."""
    if not group:
        return ""
    return report["workshop"].get("group_labels", {}).get(group, group)


def groups(report: dict) -> list[str]:
    return list(report["workshop"].get("groups") or [])


def city_name(report: dict) -> str:
    workshop = report["workshop"]
    names = [workshop.get("city_name_th"), workshop.get("city_name_en")]
    names = [n for n in names if n]
    return " / ".join(names) if names else (workshop.get("city") or "")


def held_on(report: dict) -> date | None:
    value = report["workshop"].get("date")
    return date.fromisoformat(value) if value else None


def date_line(report: dict) -> str:
    """``26 พฤศจิกายน 2569 (26 November 2026)``: Buddhist Era and Gregorian."""
    value = held_on(report)
    if value is None:
        return ""
    return f"{format_date(value, 'th')} ({format_date(value, 'en')})"


def time_zone(report: dict) -> str:
    return report["workshop"].get("time_zone") or DEFAULT_TIME_ZONE


def generated_line(report: dict) -> str:
    """``3 ธันวาคม 2569 19:00 (3 December 2026 19:00, Asia/Bangkok)``: the workshop's zone."""
    value, zone_name = report.get("generated_at"), time_zone(report)
    if not value:
        return ""
    thai = format_datetime(value, "th", zone_name)
    english = format_datetime(value, "en", zone_name)
    return f"{thai} ({english}, {zone_name})"


def local_time_cell(report: dict, value: str | None) -> str:
    """A stored time as a table cell: ``3/12/2569 19:00:12`` (Buddhist Era, workshop zone)."""
    return numeric_datetime(value, "th", time_zone(report)) if value else ""


def time_header(report: dict) -> str:
    """The heading of a time column, naming the zone: ``เวลา / Time (Asia/Bangkok)``."""
    return f"{bi('at')} ({time_zone(report)})"


def horizon_span(report: dict, horizon: str) -> tuple[int, int] | None:
    years = (report["workshop"].get("horizon_years") or {}).get(horizon)
    if not years:
        years = (report.get("plan") or {}).get("horizon_years", {}).get(horizon)
    return (int(years[0]), int(years[-1])) if years else None


def horizon_label(report: dict, horizon: str | None) -> str:
    """``ระยะสั้น (1–2 ปี) / Short term (1–2 years)``."""
    if horizon not in HORIZONS:
        return bi("no_horizon")
    span = horizon_span(report, horizon)
    if span is None:
        return bi(horizon)
    first, last = span
    years = f"{first}–{last}" if first != last else f"{first}"
    unit = "year" if (first, last) == (1, 1) else "years"
    return f"{th(horizon)} ({years} {th('years')}) / {en(horizon)} ({years} {en(unit)})"


def kind_label(kind: str) -> str:
    key = f"kind_{kind}"
    return bi(key) if key in LABELS else kind


def level_label(level: str | None) -> str:
    if not level:
        return ""
    key = f"level_{level}"
    return bi(key) if key in LABELS else level


def activity_title(activity: dict) -> str:
    """``3. Vote vision`` (position from 1)."""
    return f"{activity.get('position', 0) + 1}. {one_line(activity.get('prompt'))}"


# ---------------------------------------------------------------- plan and evidence


def plan_sections(report: dict) -> Iterator[tuple[int, str, list[dict] | None]]:
    """The plan in reading order: (heading level, heading, items).

    Level 1 for vision, goals, strategies, projects; level 2 for the alternatives
    to the vision and each project horizon. The projects heading has no items of its
    own (``None``): they come under their horizons.
    """
    plan = report.get("plan") or {}
    vision = plan.get("vision")
    yield 1, bi("vision"), [vision] if vision else []
    yield 2, bi("alternatives"), list(plan.get("alternatives") or [])
    yield 1, bi("goals"), list(plan.get("goals") or [])
    yield 1, bi("strategies"), list(plan.get("strategies") or [])
    yield 1, bi("projects"), None
    projects = list(plan.get("projects") or [])
    for horizon in HORIZONS:
        yield 2, horizon_label(report, horizon), [p for p in projects if p["horizon"] == horizon]
    others = [p for p in projects if p.get("horizon") not in HORIZONS]
    if others:
        yield 2, horizon_label(report, None), others


def _number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _share(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def support_text(report: dict, by_group: dict | None) -> str:
    """Support per stakeholder group in one line, groups with nothing left out.

    Points for dot votes, rankings and polls (``ประชาชน 3; ภาคเอกชน 1``), mean and
    count for ratings (``ประชาชน 4.5 (n=2)``), agree/disagree/pass for agree activities.
    """
    parts = []
    labels = report["workshop"].get("group_labels", {})
    for group, value in (by_group or {}).items():
        label = labels.get(group, group) if group else ""
        matrix_part = support_part(label, value) if isinstance(value, dict) else None
        if matrix_part is not None:
            if matrix_part:
                parts.append(matrix_part)
        elif isinstance(value, dict) and "mean" in value:
            if value.get("count"):
                parts.append(f"{label} {_number(value['mean'])} (n={value['count']})")
        elif isinstance(value, dict):
            if any(value.get(k) for k in ("agree", "disagree", "pass")):
                parts.append(
                    f"{label} +{value.get('agree', 0)}/−{value.get('disagree', 0)}"
                    f"/={value.get('pass', 0)}"
                )
        elif value:
            parts.append(f"{label} {_number(value)}")
    return "; ".join(parts)


def consensus_text(evidence: dict) -> str:
    consensus = evidence.get("consensus")
    if not consensus:
        return ""
    text = level_label(consensus.get("level"))
    share = consensus.get("min_group_agreement")
    if share is not None:
        text += f" ({_share(share)})"
    return text


def score_text(evidence: dict) -> str:
    return _number(evidence.get("score")) if evidence.get("activity_id") else ""


def rank_text(evidence: dict) -> str:
    return _number(evidence.get("rank")) if evidence.get("activity_id") else ""


def source_text(item: dict) -> str:
    return bi("added_by_planner") if item.get("added_by_planner") else bi("from_room")


def item_notes(item: dict) -> list[str]:
    """Lines under an item's text: owner agency, indicator, merged duplicates."""
    notes = []
    if item.get("owner_agency"):
        notes.append(f"{bi('owner_agency')}: {one_line(item['owner_agency'])}")
    if item.get("indicator"):
        notes.append(f"{bi('indicator')}: {one_line(item['indicator'])}")
    merged = (item.get("evidence") or {}).get("merged_from") or []
    if merged:
        texts = "; ".join(one_line(m.get("text")) for m in merged)
        notes.append(f"{bi('merged_from')}: {texts}")
    notes += plan_notes(item.get("evidence") or {}, bi)  # matrix priority, cost, funded
    notes += room_notes(item.get("evidence") or {}, bi)  # word cloud, Q&A, map
    return notes


def evidence_row(report: dict, item: dict) -> dict[str, str]:
    """The evidence of one plan item as display strings."""
    evidence = item.get("evidence") or {}
    return {
        "score": score_text(evidence),
        "rank": rank_text(evidence),
        "consensus": consensus_text(evidence),
        "support": support_text(report, evidence.get("by_group")),
        "source": source_text(item),
    }


PLAN_HEADERS = ("number", "item", "score", "rank", "consensus", "support", "source")


def plan_row(report: dict, number: int, item: dict) -> list:
    """One row of a plan table, in ``PLAN_HEADERS`` order; the item cell is a list of lines
    (the text, then its notes: owner, indicator, merged duplicates, planner's additions)."""
    evidence = evidence_row(report, item)
    return [
        str(number),
        [item["text"], *item_notes(item)],
        evidence["score"],
        evidence["rank"],
        evidence["consensus"],
        evidence["support"],
        evidence["source"],
    ]


def statements_by_activity(
    report: dict, by_activity: dict[int, list[dict]]
) -> list[tuple[int, list[dict]]]:
    """The appendix's activities in agenda order (position), whatever order the
    statements were written in; activities the report does not list come last."""
    order = {a["id"]: (a.get("position", 0), a["id"]) for a in report.get("activities") or []}
    last = (float("inf"), 0)
    return sorted(by_activity.items(), key=lambda pair: (order.get(pair[0], last), pair[0]))


def statement_status(statement: dict) -> str:
    """``visible``, ``hidden``, ``merged into #12``, plus the original text when edited."""
    parts = []
    if statement.get("hidden"):
        parts.append(bi("hidden"))
    if statement.get("pending"):
        parts.append(bi("pending"))
    if statement.get("merged_into"):
        parts.append(f"{bi('merged_into')} #{statement['merged_into']}")
    if not parts:
        parts.append(bi("visible"))
    original = statement.get("original_text")
    if original is not None and original != statement.get("text"):
        parts.append(f"{bi('edited')}: {one_line(original)}")
    return "; ".join(parts)


def author_text(report: dict, statement: dict) -> str:
    if statement.get("author") == "facilitator":
        return bi("facilitator")
    return group_label(report, statement.get("group"))


def details_text(details: object) -> str:
    """Audit details in both languages (``ประเภท / kind: ...``); participant text quoted
    as plain text."""
    return audit_labels.details_text(details if isinstance(details, dict) else None, "both")


def target_text(target: dict | None) -> str:
    """``ข้อเสนอ / statement #16``."""
    return audit_labels.target_text(target, "both")


def action_text(action: str | None) -> str:
    """``ซ่อนข้อเสนอ / Hid a statement``, never the key ``hide``."""
    return audit_labels.action_text(action, "both")
