"""Geometry of the matrix scatter (the projector's SVG, drawn the same by
static/js/projector/matrix.js) and the budget's funded line, for the templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..voting.matrix import HIGH, LOW, MIDPOINT

WIDTH, HEIGHT = 1000, 640
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 60
QUADRANT_NAMES = {
    "quick_wins": _l("Quick wins"),
    "major_projects": _l("Major projects"),
    "fill_ins": _l("Fill-ins"),
    "thankless": _l("Thankless tasks"),
}


def sx(value: float) -> float:
    """Screen x of a scale value (1–5)."""
    return round(LEFT + (value - LOW) / (HIGH - LOW) * (WIDTH - LEFT - RIGHT), 1)


def sy(value: float) -> float:
    """Screen y of a scale value (5 at the top)."""
    return round(TOP + (HIGH - value) / (HIGH - LOW) * (HEIGHT - TOP - BOTTOM), 1)


def scatter(items: list[dict]) -> dict:
    """What the SVG template draws: the quadrants, and each placed statement's point and
    spread (numbered in the results' order)."""
    mid_x, mid_y = sx(MIDPOINT), sy(MIDPOINT)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    quadrants = [
        ("fill_ins", LEFT, TOP, mid_x - LEFT, mid_y - TOP),
        ("quick_wins", mid_x, TOP, right - mid_x, mid_y - TOP),
        ("thankless", LEFT, mid_y, mid_x - LEFT, bottom - mid_y),
        ("major_projects", mid_x, mid_y, right - mid_x, bottom - mid_y),
    ]
    points = []
    for number, item in enumerate(items, start=1):
        if item.get("x_mean") is None:
            continue
        x, y = item["x_mean"], item["y_mean"]
        dx, dy = item.get("x_spread") or 0, item.get("y_spread") or 0
        points.append(
            {
                "n": number,
                "item": item,
                "cx": sx(x),
                "cy": sy(y),
                "x1": sx(max(LOW, x - dx)),
                "x2": sx(min(HIGH, x + dx)),
                "y1": sy(max(LOW, y - dy)),
                "y2": sy(min(HIGH, y + dy)),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "right": right,
        "bottom": bottom,
        "ticks": [(v, sx(v), sy(v)) for v in range(LOW, HIGH + 1)],
        "quadrants": [
            {"key": k, "name": QUADRANT_NAMES[k], "x": x, "y": y, "w": w, "h": h}
            for k, x, y, w, h in quadrants
        ],
        "points": points,
    }


def funded_line(items: list[dict]) -> int:
    """How many rows (in vote order) come before the funded line: after the last funded."""
    last = 0
    for position, item in enumerate(items, start=1):
        if item.get("funded"):
            last = position
    return last
