"""Export columns of the priority kinds, shared by the CSV, XLSX, HTML and Markdown
exports (JSON carries the results as they are; DOCX carries the plan's evidence).

No Flask here: labels are bilingual (``text.LABELS``), values plain.
"""

from __future__ import annotations

from collections.abc import Callable

LABELS: dict[str, tuple[str, str]] = {
    "kind_matrix": ("ผลกระทบ × ความเป็นไปได้", "Impact × feasibility"),
    "kind_points": ("แบ่งคะแนน", "Points allocation"),
    "kind_budget": ("จัดสรรงบประมาณ", "Budget allocation"),
    "quadrant": ("กลุ่มความสำคัญ", "Quadrant"),
    "quadrant_quick_wins": ("ทำได้เร็ว ได้ผลมาก", "Quick wins"),
    "quadrant_major_projects": ("โครงการใหญ่ ต้องวางแผน", "Major projects"),
    "quadrant_fill_ins": ("ทำเสริมเมื่อพร้อม", "Fill-ins"),
    "quadrant_thankless": ("ไม่คุ้มค่า ควรทบทวน", "Thankless tasks"),
    "x_mean": ("ค่าเฉลี่ยแกนที่หนึ่ง", "First axis mean"),
    "y_mean": ("ค่าเฉลี่ยแกนที่สอง", "Second axis mean"),
    "x_spread": ("การกระจายแกนที่หนึ่ง", "First axis spread"),
    "y_spread": ("การกระจายแกนที่สอง", "Second axis spread"),
    "points": ("คะแนนรวม", "Points"),
    "mean_points": ("คะแนนเฉลี่ย", "Mean points"),
    "votes": ("จำนวนเสียง", "Votes"),
    "cost": ("ค่าใช้จ่าย (บาท)", "Cost (baht)"),
    "funded": ("ได้รับงบประมาณ", "Funded"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่ใช่", "no"),
}

# The CSV's extra columns (after the existing ones; empty for other kinds).
CSV_TAIL = [
    "x_mean",
    "y_mean",
    "x_spread",
    "y_spread",
    "quadrant",
    "points",
    "mean_points",
    "votes",
    "cost",
    "funded",
]
COLUMNS = {
    "matrix": ("quadrant", "x_mean", "x_spread", "y_mean", "y_spread", "count"),
    "points": ("points", "mean_points"),
    "budget": ("votes", "cost", "funded"),
}


def quadrant_key(quadrant: str | None) -> str | None:
    return f"quadrant_{quadrant}" if quadrant else None


def header_keys(kind: str) -> tuple[str, ...]:
    """Label keys of the kind's own columns (``count`` is an existing label)."""
    return COLUMNS[kind]


def cells(kind: str, item: dict, label: Callable[[str], str]) -> list[object]:
    """The kind's own column values of one result item; ``label`` renders a label key."""
    out: list[object] = []
    for name in COLUMNS[kind]:
        value = item.get(name)
        if name == "quadrant":
            key = quadrant_key(value)
            value = label(key) if key else ""
        elif name == "funded":
            value = label("yes") if value else label("no")
        out.append(value)
    return out


def csv_tail(kind: str, item: dict) -> list[object]:
    return [item.get(name) if kind in COLUMNS else None for name in CSV_TAIL]


def group_value(kind: str, value: object) -> object:
    """One group's value in a single cell: matrix ``x/y``; points and budget numbers."""
    if kind == "matrix":
        stats = value or {}
        if not stats.get("count"):
            return None
        return f"{stats['x_mean']:g}/{stats['y_mean']:g}"
    return value if value is not None else 0


def support_part(label: str, value: dict) -> str | None:
    """A matrix group's part of the one-line support text, or None for other shapes."""
    if "x_mean" not in value:
        return None
    if not value.get("count"):
        return ""
    return f"{label} {value['x_mean']:g}/{value['y_mean']:g} (n={value['count']})"


def sheet_group_headers(kind: str, group: str, label: Callable[[str], str]) -> list[str]:
    """Spreadsheet columns of one stakeholder group (numbers, one value a cell)."""
    if kind == "matrix":
        return [f"{group}: {label(k)}" for k in ("x_mean", "y_mean", "count")]
    if kind == "points":
        return [f"{group}: {label(k)}" for k in ("points", "mean_points")]
    return [f"{group}: {label('votes')}"]


def sheet_group_cells(kind: str, item: dict, group: str) -> list[object]:
    value = (item.get("by_group") or {}).get(group)
    if kind == "matrix":
        stats = value or {}
        return [stats.get("x_mean"), stats.get("y_mean"), stats.get("count", 0)]
    if kind == "points":
        return [value or 0, (item.get("mean_by_group") or {}).get(group, 0)]
    return [value or 0]


def plan_notes(evidence: dict, label: Callable[[str], str]) -> list[str]:
    """Lines under a plan item: its matrix priority, its cost and whether it is funded."""
    notes = []
    priority = evidence.get("priority") or {}
    if priority.get("quadrant"):
        x_name = priority.get("x_label") or label("x_mean")
        y_name = priority.get("y_label") or label("y_mean")
        notes.append(
            f"{label('quadrant')}: {label(quadrant_key(priority['quadrant']))}"
            f" ({x_name} {priority['x_mean']:g}, {y_name} {priority['y_mean']:g},"
            f" n={priority.get('count', 0)})"
        )
    if evidence.get("cost") is not None:
        funded = f" · {label('funded')}" if evidence.get("funded") else ""
        notes.append(f"{label('cost')}: {evidence['cost']:,}{funded}")
    if evidence.get("mean_points") is not None:
        notes.append(f"{label('mean_points')}: {evidence['mean_points']:g}")
    return notes
