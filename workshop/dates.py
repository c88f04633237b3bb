"""Dates as each reader expects them: Buddhist Era for Thai (2569), Gregorian for English."""

from __future__ import annotations

from datetime import date, datetime

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BUDDHIST_ERA_OFFSET = 543


def buddhist_year(value: date) -> int:
    return value.year + BUDDHIST_ERA_OFFSET


def format_date(value: date | datetime | None, locale: str = "th") -> str:
    """``26 พฤศจิกายน 2569`` in Thai, ``26 November 2026`` otherwise; '' for None."""
    if value is None:
        return ""
    if locale.startswith("th"):
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {buddhist_year(value)}"
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"
