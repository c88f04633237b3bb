"""Server-rendered SVG charts: they work without JavaScript and under the app's CSP.

No ``style`` attribute and no script: colours and fonts are SVG presentation
attributes, which the Content-Security-Policy (``style-src 'self'``) allows. Every
chart is an accessible image (``role="img"``, a ``<title>`` and an ``aria-label``
that carries the numbers) and says what it shows in text labels, not by colour
alone. The colours are from the Okabe–Ito palette, safe for colour-blind readers,
and baseline and target lines differ by dash pattern as well as by colour.

Every piece of text (project and indicator names, units) is escaped
(:func:`xml.sax.saxutils.escape`) and stripped of the characters XML cannot carry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask_babel import gettext as _

# Okabe–Ito: blue, bluish green, vermilion, and neutral greys for frames and text.
ACTUAL = "#0072B2"
TARGET = "#009E73"
BASELINE = "#D55E00"
TRACK = "#E4E4E0"
INK = "#161616"
GRID = "#8A8A8A"
FONT = "Sarabun, 'Noto Sans Thai', Tahoma, sans-serif"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR = {'"': "&quot;", "'": "&apos;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _text(value: object) -> str:
    """Element text: escaped, XML-safe."""
    return escape(_NOT_XML.sub("", "" if value is None else str(value)))


def _attr(value: object) -> str:
    """An attribute value (without the quotes): escaped, quotes and line breaks too."""
    return escape(_NOT_XML.sub("", "" if value is None else str(value)), _ATTR)


def _finite(value: object) -> float | None:
    """``value`` as a finite float; None for None, NaN, infinities and non-numbers."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: float | int | None) -> str:
    """``1,250`` or ``12.5`` (at most two decimals); '' for None."""
    number = _finite(value)
    if number is None:
        return ""
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _with_unit(value: float | None, unit: str | None) -> str:
    text = format_number(value)
    return f"{text} {unit}" if unit and text else text


def _svg_open(width: int, height: int, label: str, cls: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{_attr(label)}" font-family="{_attr(FONT)}">'
    )


def progress_bar_svg(progress: int | None, label: str | None = None, width: int = 200) -> str:
    """A horizontal bar filled to ``progress`` percent (clamped to 0–100), with the number.

    ``label`` (e.g. the project title) goes in front of the number in the accessible name.
    """
    value = _finite(progress)
    percent = 0 if value is None else round(min(100.0, max(0.0, value)))
    height, bar = 24, width - 48
    done = _("%(percent)s%% done", percent=percent)
    name = f"{label}: {done}" if label else done
    fill = round(bar * percent / 100, 1)
    return "".join(
        [
            _svg_open(width, height, name, "progress-svg"),
            f"<title>{_text(name)}</title>",
            f'<rect x="0" y="4" width="{bar}" height="16" rx="3" fill="{TRACK}" '
            f'stroke="{GRID}" stroke-width="1"/>',
            f'<rect x="0" y="4" width="{fill}" height="16" rx="3" fill="{ACTUAL}"/>'
            if fill
            else "",
            f'<text x="{width}" y="17" text-anchor="end" font-size="14" font-weight="700" '
            f'fill="{INK}">{percent}%</text>',
            "</svg>",
        ]
    )


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _points(values: Iterable) -> list[tuple[date, float]]:
    """The (date, value) pairs that can be drawn, oldest first; the rest are skipped."""
    points = []
    for pair in values or []:
        if isinstance(pair, dict):
            when, number = _as_date(pair.get("date")), _finite(pair.get("value"))
        else:
            try:
                raw_date, raw_value = pair
            except (TypeError, ValueError):
                continue
            when, number = _as_date(raw_date), _finite(raw_value)
        if when is not None and number is not None:
            points.append((when, number))
    return sorted(points, key=lambda p: p[0])


def indicator_chart_svg(
    name: str,
    unit: str | None,
    baseline: float | None,
    target: float | None,
    values: list[tuple[date, float]],
    width: int = 480,
    height: int = 200,
    format_date: Callable[[date], str] | None = None,
) -> str:
    """A line chart of an indicator's actual values over time, with baseline and target lines.

    ``values`` are (date, value) pairs (dates or ISO strings; dicts with ``date`` and
    ``value`` work too), in any order. ``format_date`` writes the dates of the labels
    (ISO by default). Empty values, one value, negative numbers and a baseline equal
    to the target all draw.
    """
    show_date = format_date or (lambda d: d.isoformat())
    width, height = max(int(width), 200), max(int(height), 120)
    base, goal = _finite(baseline), _finite(target)
    points = _points(values)

    # Accessible name: every number of the chart.
    parts = [_("Baseline %(value)s", value=_with_unit(base, unit))] if base is not None else []
    if goal is not None:
        parts.append(_("target %(value)s", value=_with_unit(goal, unit)))
    if points:
        parts.append(
            _(
                "actual values: %(values)s",
                values=", ".join(f"{show_date(d)} {_with_unit(v, unit)}" for d, v in points),
            )
        )
    else:
        parts.append(_("no actual values yet"))
    heading = f"{name} ({unit})" if unit else str(name or "")
    label = f"{heading}: " + "; ".join(parts)

    # Scales: plot area inside margins; padded value range that is never empty.
    left, right, top, bottom = 56, 16, 32, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [v for _d, v in points] + [n for n in (base, goal) if n is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    else:  # room above and below for the labels of the lines
        pad = (high - low) * 0.15
        low, high = low - pad, high + pad
    span = high - low

    def y_of(value: float) -> float:
        return round(top + plot_h * (high - value) / span, 1)

    first_day = points[0][0] if points else None
    days = (points[-1][0] - points[0][0]).days if points else 0

    def x_of(day: date) -> float:
        if not days or first_day is None:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * (day - first_day).days / days, 1)

    out = [_svg_open(width, height, label, "indicator-svg"), f"<title>{_text(label)}</title>"]
    out.append(
        f'<text x="{left}" y="18" font-size="14" font-weight="700" fill="{INK}">'
        f"{_text(heading)}</text>"
    )
    # Frame: the value axis with its top and bottom numbers, and the time axis.
    out.append(
        f'<path d="M{left} {top} V{top + plot_h} H{left + plot_w}" fill="none" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    for value in (high, low) if numbers else ():
        out.append(
            f'<text x="{left - 6}" y="{y_of(value) + 4}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{_text(format_number(value))}</text>'
        )
    # Baseline and target: dashed and dotted lines, labelled at the left and right ends
    # (so that the two labels never overlap, even when the values are equal), each on the
    # side of its line away from the nearest point of the actual values.
    first_value = points[0][1] if points else None
    last_value = points[-1][1] if points else None
    for value, colour, dash, word, x, anchor, near in (
        (base, BASELINE, "6 4", _("Baseline"), left + 4, "start", first_value),
        (goal, TARGET, "2 3", _("Target"), left + plot_w, "end", last_value),
    ):
        if value is None:
            continue
        y = y_of(value)
        label_y = y + 13 if near is not None and near >= value else y - 4
        out.append(
            f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{x}" y="{label_y}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{_text(word)} {_text(_with_unit(value, unit))}</text>'
        )
    if points:
        coords = [(x_of(d), y_of(v)) for d, v in points]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{ACTUAL}" stroke-width="2.5"/>'
            )
        for x, y in coords:
            out.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{ACTUAL}"/>')
        # The latest value, written next to its point.
        x, y = coords[-1]
        anchor = "end" if x > left + plot_w / 2 else "start"
        dx = -6 if anchor == "end" else 6
        out.append(
            f'<text x="{x + dx}" y="{y - 8}" text-anchor="{anchor}" font-size="12" '
            f'font-weight="700" fill="{ACTUAL}">{_text(_with_unit(points[-1][1], unit))}</text>'
        )
        # Time axis: first and last dates.
        axis_y = top + plot_h + 16
        first, last = points[0][0], points[-1][0]
        if first == last:
            out.append(
                f'<text x="{x_of(first)}" y="{axis_y}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{_text(show_date(first))}</text>'
            )
        else:
            out.append(
                f'<text x="{left}" y="{axis_y}" text-anchor="start" font-size="11" '
                f'fill="{INK}">{_text(show_date(first))}</text>'
            )
            out.append(
                f'<text x="{left + plot_w}" y="{axis_y}" text-anchor="end" font-size="11" '
                f'fill="{INK}">{_text(show_date(last))}</text>'
            )
    else:
        empty = _("No values yet")  # outside the f-string, where pybabel finds it
        out.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="13" fill="{INK}">{_text(empty)}</text>'
        )
    # Legend in words at the bottom, for the lines drawn.
    legend = [(ACTUAL, "●", _("Actual"))] if points else []
    if base is not None:
        legend.append((BASELINE, "- -", _("Baseline")))
    if goal is not None:
        legend.append((TARGET, "···", _("Target")))
    if legend:
        keys = "  ".join(
            f'<tspan fill="{colour}">{mark}</tspan> {_text(word)}' for colour, mark, word in legend
        )
        out.append(f'<text x="{left}" y="{height - 6}" font-size="11" fill="{INK}">{keys}</text>')
    out.append("</svg>")
    return "".join(out)
