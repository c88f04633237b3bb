"""Server-rendered SVG charts: well-formed, accessible, escaped, and robust to odd data."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from workshop.charts import format_number, indicator_chart_svg, progress_bar_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert "style" not in svg  # the CSP forbids inline styles: presentation attributes only
    assert "<script" not in svg
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def title(root: ET.Element) -> str:
    element = root.find(f"{SVG}title")
    assert element is not None
    return element.text or ""


def ys(root: ET.Element) -> list[float]:
    """Vertical positions of the points and of the baseline/target lines."""
    values = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    values += [float(line.get("y1")) for line in root.iter(f"{SVG}line")]
    return values


@pytest.mark.parametrize(
    ("progress", "shown"), [(0, 0), (40, 40), (100, 100), (-5, 0), (150, 100), (None, 0)]
)
def test_progress_bar(progress, shown):
    root = parse(progress_bar_svg(progress))
    assert f"{shown}%" in root.get("aria-label")
    assert f"{shown}%" in title(root)
    assert f"{shown}%" in texts(root)
    track, *fill = list(root.iter(f"{SVG}rect"))
    if shown:
        assert float(fill[0].get("width")) == pytest.approx(
            float(track.get("width")) * shown / 100, abs=0.1
        )
    else:
        assert fill == []  # nothing drawn for 0 %


def test_progress_bar_label_is_escaped():
    svg = progress_bar_svg(60, '<script>alert(1)</script> & "quotes"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == '<script>alert(1)</script> & "quotes": 60% done'
    assert title(root).startswith("<script>alert(1)</script>")


def test_indicator_chart_with_values():
    values = [(date(2027, 6, 1), 30.0), (date(2027, 1, 1), 12), ("2027-03-01", 20.5)]
    root = parse(indicator_chart_svg("Shade trees planted", "trees", 10, 50, values))
    label = root.get("aria-label")
    for number in ("Baseline 10 trees", "target 50 trees", "12 trees", "20.5 trees", "30 trees"):
        assert number in label
    # Oldest first, whatever the order given.
    assert label.index("2027-01-01") < label.index("2027-03-01") < label.index("2027-06-01")
    assert title(root) == label
    words = texts(root)
    assert "Shade trees planted (trees)" in words
    assert "Baseline 10 trees" in words and "Target 50 trees" in words
    assert "30 trees" in words  # the latest value is written next to its point
    assert "2027-01-01" in words and "2027-06-01" in words
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 3
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)
    polyline = root.find(f"{SVG}polyline")
    assert polyline is not None and len(polyline.get("points").split()) == 3
    # Baseline and target differ by dash pattern, not by colour alone.
    dashes = {line.get("stroke-dasharray") for line in root.iter(f"{SVG}line")}
    assert len(dashes) == 2
    # Higher values are drawn higher up: the target line is above the baseline line.
    base_line, target_line = list(root.iter(f"{SVG}line"))
    assert float(target_line.get("y1")) < float(base_line.get("y1"))


def test_indicator_chart_without_values():
    root = parse(indicator_chart_svg("Air quality", "µg/m³", 40, 25, []))
    assert "no actual values yet" in root.get("aria-label")
    assert "No values yet" in texts(root)
    assert list(root.iter(f"{SVG}circle")) == []
    assert root.find(f"{SVG}polyline") is None
    assert len(list(root.iter(f"{SVG}line"))) == 2


def test_indicator_chart_with_nothing_at_all():
    root = parse(indicator_chart_svg("Empty", None, None, None, []))
    assert root.get("aria-label") == "Empty: no actual values yet"
    assert "No values yet" in texts(root)
    assert list(root.iter(f"{SVG}line")) == []


def test_indicator_chart_single_value():
    root = parse(indicator_chart_svg("Bus lines", None, None, None, [(date(2027, 1, 1), 3)]))
    (circle,) = root.iter(f"{SVG}circle")
    assert float(circle.get("cx")) == pytest.approx((56 + 464) / 2)  # centred
    assert root.find(f"{SVG}polyline") is None
    assert "3" in texts(root) and "2027-01-01" in texts(root)


def test_indicator_chart_negative_numbers_stay_inside():
    values = [(date(2027, 1, 1), -40), (date(2027, 2, 1), -5), (date(2027, 3, 1), 12)]
    root = parse(indicator_chart_svg("Net change", "%", -20, 0, values, width=300, height=150))
    assert root.get("viewBox") == "0 0 300 150"
    assert "-40 %" in root.get("aria-label")
    positions = ys(root)
    assert positions and all(32 <= y <= 150 - 40 for y in positions)
    assert "-20 %" in " ".join(texts(root))


def test_indicator_chart_equal_baseline_target_and_values():
    values = [(date(2027, 1, 1), 5), (date(2027, 1, 1), 5)]  # same day, same value
    root = parse(indicator_chart_svg("Flat", "km", 5, 5, values))
    positions = ys(root)
    assert len(set(positions)) == 1  # all on one line, inside the plot
    assert all(math.isfinite(y) for y in positions)
    words = texts(root)
    assert "Baseline 5 km" in words and "Target 5 km" in words
    # Both labels are there, at opposite ends, so they do not overlap.
    anchors = {t.get("text-anchor") for t in root.iter(f"{SVG}text") if "5 km" in (t.text or "")}
    assert {"start", "end"} <= anchors


def test_indicator_chart_zero_everywhere():
    root = parse(indicator_chart_svg("Zero", None, 0, 0, [(date(2027, 1, 1), 0)]))
    assert all(math.isfinite(y) for y in ys(root))


def test_indicator_chart_skips_values_it_cannot_draw():
    values = [
        (date(2027, 1, 1), float("nan")),
        (date(2027, 2, 1), float("inf")),
        ("not a date", 3),
        (date(2027, 3, 1), None),
        ("2027-04-01", "7"),
        {"date": "2027-05-01", "value": 9},
        "garbage",
    ]
    root = parse(indicator_chart_svg("Odd", None, float("nan"), None, values))
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert "Baseline" not in root.get("aria-label")


def test_indicator_chart_escapes_every_text():
    name = '<script>alert(1)</script> & "co"'
    unit = "<b>m²</b>"
    svg = indicator_chart_svg(name, unit, 1, 2, [(date(2027, 1, 1), 1.5)])
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert title(root).startswith(f"{name} ({unit}):")
    assert root.get("aria-label").startswith(f"{name} ({unit}):")
    assert f"{name} ({unit})" in texts(root)


def test_indicator_chart_drops_characters_xml_cannot_carry():
    root = parse(indicator_chart_svg("bad\x00\x1bname\ufffe", "u\x07", 1, 2, []))
    assert title(root).startswith("badname (u)")


def test_indicator_chart_formats_dates_on_request():
    root = parse(
        indicator_chart_svg(
            "x", None, None, None, [(date(2027, 1, 1), 1)], format_date=lambda d: f"day {d.day}"
        )
    )
    assert "day 1" in texts(root) and "day 1 1" in root.get("aria-label")


def test_format_number():
    assert format_number(1250) == "1,250"
    assert format_number(12.5) == "12.5"
    assert format_number(1 / 3) == "0.33"
    assert format_number(-4.0) == "-4"
    assert format_number(None) == "" and format_number(float("nan")) == ""
