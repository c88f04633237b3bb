"""Opinion groups of the agree activities (docs/opinion-groups.md), for the DOCX, XLSX,
Markdown and HTML exports: one format-neutral model, drawn by each renderer.

Per agree activity with an opinion map: the groups (size, share of the map, make-up by
stakeholder group), each group's representative statements (the agree share within the
group against outside it), the bridging statements (what unites the room) and the
uncertain ones (more than 30 % passed). An activity without a map says why, in one line.
Labels are bilingual, Thai first, like every section (workshop/exports/labels.py).

Privacy, as on the projector: only what the report's ``opinions`` carries is used (groups
and statements, never which participant is in which group, no dots, no names).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import LABELS, activity_title, bi, group_label, kind_label

SHOWN = 5  # bridging and uncertain statements listed in the documents (all in the XLSX)
_LETTERS = "ABCDE"


@dataclass(frozen=True)
class Table:
    """Headers and rows; a cell is a string, an int or a share (a float from 0 to 1)."""

    headers: list[str]
    rows: list[list[object]]
    shares: frozenset[int] = frozenset()  # columns holding shares (shown as percentages)
    numeric: frozenset[int] = frozenset()  # columns holding numbers (shares included)
    texts: frozenset[int] = frozenset()  # columns of participant text (statements)
    empty: str = ""  # the line shown instead of a table without rows


@dataclass(frozen=True)
class Section:
    """The opinion groups of one agree activity."""

    activity_id: int
    title: str
    line: str  # participants in the map and groups, or why there is no map
    tables: list[tuple[str, Table]] = field(default_factory=list)  # (sub-heading, table)


def percent(value: object) -> str:
    return f"{round(float(value) * 100)}%" if isinstance(value, int | float) else ""


def cell_text(value: object, share: bool = False) -> str:
    """A cell as document text: shares as percentages."""
    if value is None:
        return ""
    if share:
        return percent(value)
    return str(value)


def text_rows(table: Table) -> list[list[str]]:
    return [[cell_text(v, i in table.shares) for i, v in enumerate(row)] for row in table.rows]


def group_name(group_id: int | str) -> str:
    """``กลุ่ม A / Group A`` (ids from 0, as on the projector)."""
    index = int(group_id)
    letter = _LETTERS[index] if 0 <= index < len(_LETTERS) else str(index + 1)
    return f"{LABELS['group_letter'][0]} {letter} / {LABELS['group_letter'][1]} {letter}"


def reason_line(opinions: dict) -> str:
    key = f"reason_{opinions.get('reason')}"
    return bi(key if key in LABELS else "reason_none")


def _makeup(report: dict, by_stakeholder: dict, size: int) -> str:
    """``ประชาชน 3 (50%); ภาคเอกชน 3 (50%)``, largest first."""
    parts = []
    for key, n in sorted(by_stakeholder.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        label = group_label(report, key) if key else bi("no_group")
        parts.append(f"{label} {n} ({percent(n / size) if size else ''})")
    return "; ".join(parts)


def _pass_shares(items: list[dict]) -> dict[int, float]:
    shares = {}
    for item in items:
        seen = sum(item.get(k) or 0 for k in ("agree", "disagree", "pass"))
        if seen:
            shares[item["statement_id"]] = (item.get("pass") or 0) / seen
    return shares


def section(report: dict, activity: dict, limit: int | None = SHOWN) -> Section:
    opinions = activity.get("opinions") or {}
    title = f"{activity_title(activity)} ({kind_label(activity['kind'])})"
    groups = opinions.get("groups") or []
    if not groups:
        return Section(activity["id"], title, reason_line(opinions))
    items = activity.get("items") or []
    texts = {item["statement_id"]: item.get("text") or "" for item in items}

    def text(sid: int) -> str:
        return texts.get(sid, f"#{sid}")

    in_map = opinions.get("participants_in_map") or 0
    line = f"{bi('in_map')}: {in_map} · {bi('opinion_groups')}: {len(groups)}"
    overview = Table(
        [bi("opinion_group"), bi("people"), bi("share_of_map"), bi("makeup")],
        [
            [
                group_name(g["id"]),
                g["size"],
                g["size"] / in_map if in_map else None,
                _makeup(report, g.get("by_stakeholder_group") or {}, g["size"]),
            ]
            for g in groups
        ],
        shares=frozenset({2}),
        numeric=frozenset({1, 2}),
    )
    representative_rows = [
        [
            group_name(g["id"]),
            r["statement_id"],
            text(r["statement_id"]),
            bi(r["direction"]),
            r["agree_share"],
            r["rest_agree_share"],
        ]
        for g in groups
        for r in g.get("representative") or []
    ]
    representative = Table(
        [
            bi("opinion_group"),
            bi("id"),
            bi("statement"),
            bi("direction"),
            bi("agree_in_group"),
            bi("agree_outside"),
        ],
        representative_rows,
        shares=frozenset({4, 5}),
        numeric=frozenset({1, 4, 5}),
        texts=frozenset({2}),
        empty=bi("none_stand_out"),
    )
    tables = [(bi("opinion_groups"), overview), (bi("representative"), representative)]
    shown_ids = [str(g["id"]) for g in groups]
    bridging = (opinions.get("bridging") or [])[:limit]
    tables.append(
        (
            bi("bridging"),
            Table(
                [
                    bi("id"),
                    bi("statement"),
                    bi("bridging_consensus"),
                    *(f"{group_name(g)}: {bi('agree')}" for g in shown_ids),
                ],
                [
                    [
                        b["statement_id"],
                        text(b["statement_id"]),
                        b["consensus"],
                        *((b.get("by_opinion_group") or {}).get(g) for g in shown_ids),
                    ]
                    for b in bridging
                ],
                shares=frozenset(range(2, 3 + len(shown_ids))),
                numeric=frozenset({0, *range(2, 3 + len(shown_ids))}),
                texts=frozenset({1}),
            ),
        )
    )
    uncertain = (opinions.get("uncertain") or [])[:limit]
    if uncertain:
        passed = _pass_shares(items)
        tables.append(
            (
                bi("uncertain"),
                Table(
                    [bi("id"), bi("statement"), bi("pass_share")],
                    [[sid, text(sid), passed.get(sid)] for sid in uncertain],
                    shares=frozenset({2}),
                    numeric=frozenset({0, 2}),
                    texts=frozenset({1}),
                ),
            )
        )
    return Section(activity["id"], title, line, tables)


def sections(report: dict, limit: int | None = SHOWN) -> Iterator[Section]:
    """One section per agree activity, in agenda order."""
    for activity in report.get("activities") or []:
        if activity.get("kind") == "agree" and "opinions" in activity:
            yield section(report, activity, limit)


# ---------------------------------------------------------------- the XLSX sheets

GROUP_HEADERS = ("activity_id", "activity", "in_map", "opinion_group", "people", "share_of_map")


def _agree_activities(report: dict) -> Iterator[dict]:
    for activity in report.get("activities") or []:
        if activity.get("kind") == "agree" and "opinions" in activity:
            yield activity


def group_sheet(report: dict) -> tuple[list[str], list[list[object]]]:
    """The "Opinion groups" sheet: a row per opinion group (or why there is none)."""
    headers = [*(bi(k) for k in GROUP_HEADERS), bi("makeup"), bi("details")]
    rows: list[list[object]] = []
    for activity in _agree_activities(report):
        opinions = activity["opinions"]
        start = [activity["id"], activity_title(activity), opinions.get("participants_in_map")]
        in_map = opinions.get("participants_in_map") or 0
        if not opinions.get("groups"):
            rows.append([*start, None, None, None, None, reason_line(opinions)])
        for g in opinions.get("groups") or []:
            makeup = _makeup(report, g.get("by_stakeholder_group") or {}, g["size"])
            share = g["size"] / in_map if in_map else None
            rows.append([*start, group_name(g["id"]), g["size"], share, makeup, None])
    return headers, rows


def statement_sheet(report: dict) -> tuple[list[str], list[list[object]], int]:
    """The "Opinion statements" sheet: representative, bridging and uncertain statements,
    every one (the documents list the first few); and the number of opinion-group columns."""
    most = max(
        (len(a["opinions"].get("groups") or []) for a in _agree_activities(report)), default=0
    )
    headers = [
        bi("activity_id"),
        bi("activity"),
        bi("opinion_part"),
        bi("opinion_group"),
        bi("statement_id"),
        bi("statement"),
        bi("direction"),
        bi("agree_in_group"),
        bi("agree_outside"),
        "z",
        bi("bridging_consensus"),
        bi("pass_share"),
        *(f"{group_name(i)}: {bi('agree')}" for i in range(most)),
    ]
    rows: list[list[object]] = []
    for activity in _agree_activities(report):
        opinions = activity["opinions"]
        texts = {i["statement_id"]: i.get("text") or "" for i in activity.get("items") or []}
        passed = _pass_shares(activity.get("items") or [])
        start = [activity["id"], activity_title(activity)]
        for g in opinions.get("groups") or []:
            for r in g.get("representative") or []:
                sid = r["statement_id"]
                rows.append(
                    [
                        *start,
                        bi("representative"),
                        group_name(g["id"]),
                        sid,
                        texts.get(sid, f"#{sid}"),
                        bi(r["direction"]),
                        r["agree_share"],
                        r["rest_agree_share"],
                        r["z"],
                        None,
                        passed.get(sid),
                    ]
                )
        for b in opinions.get("bridging") or []:
            sid, by_group = b["statement_id"], b.get("by_opinion_group") or {}
            rows.append(
                [
                    *start,
                    bi("bridging"),
                    None,
                    sid,
                    texts.get(sid, f"#{sid}"),
                    None,
                    None,
                    None,
                    None,
                    b["consensus"],
                    passed.get(sid),
                    *(by_group.get(str(i)) for i in range(most)),
                ]
            )
        for sid in opinions.get("uncertain") or []:
            row = [*start, bi("uncertain"), None, sid, texts.get(sid, f"#{sid}")]
            rows.append([*row, None, None, None, None, None, passed.get(sid)])
    return headers, rows, most
