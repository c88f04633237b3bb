"""Dates as each reader expects them: Buddhist Era for Thai (2569), Gregorian for English."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


DEFAULT_TIME_ZONE = "Asia/Bangkok"
_BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")  # no daylight saving time


def zone(name: str | None = None) -> tzinfo:
    """The named time zone (Asia/Bangkok by default); without a tz database, UTC+7."""
    name = name or DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _BANGKOK


def local_datetime(value: datetime | str | None, zone_name: str | None = None) -> datetime | None:
    """A stored time (UTC, naive or aware, or ISO text) in the workshop's time zone."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone(zone_name))


def format_datetime(
    value: datetime | str | None, locale: str = "th", zone_name: str | None = None
) -> str:
    """``26 พฤศจิกายน 2569 16:30`` (Thai, Buddhist Era) or ``26 November 2026 16:30``,
    in the workshop's time zone; '' for None."""
    local = local_datetime(value, zone_name)
    if local is None:
        return ""
    return f"{format_date(local, locale)} {local:%H:%M}"


def numeric_datetime(
    value: datetime | str | None, locale: str = "th", zone_name: str | None = None
) -> str:
    """``26/11/2569 16:30:12`` (Buddhist Era for Thai), for table cells; '' for None."""
    local = local_datetime(value, zone_name)
    if local is None:
        return ""
    year = buddhist_year(local) if locale.startswith("th") else local.year
    return f"{local.day}/{local.month}/{year} {local:%H:%M:%S}"


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def thai_years(text: str | None, locale: str = "th") -> str:
    """Gregorian years inside free text (a city's phase, ``2 (2019)``) in the Buddhist Era
    for Thai readers; other languages unchanged."""
    if not text:
        return ""
    if not locale.startswith("th"):
        return text
    return _YEAR.sub(lambda m: str(int(m.group(1)) + BUDDHIST_ERA_OFFSET), text)


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
BUDDHIST_ERA_FROM = 2400  # a typed year from here on is of the Buddhist Era (2400 BE = 1857)


def parse_reader_date(text: str | None) -> date | None:
    """A date as a person types it: ``5/12/2569`` (day/month/Buddhist Era year, as Thai
    readers write it), ``5/12/2026``, or ISO ``2026-12-05``; None when empty.

    A year of 2400 or more is of the Buddhist Era. ValueError for anything else.
    """
    text = (text or "").strip()
    if not text:
        return None
    day_first, iso = _DAY_FIRST.match(text), _ISO.match(text)
    if day_first:
        day, month, year = (int(g) for g in day_first.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise ValueError(f"not a date: {text!r}")
    if year >= BUDDHIST_ERA_FROM:
        year -= BUDDHIST_ERA_OFFSET
    return date(year, month, day)


def reader_date_value(value: date | str | None, locale: str = "th") -> str:
    """What a date input shows: ``5/12/2569`` for Thai readers, ISO otherwise."""
    if isinstance(value, str):
        try:
            value = parse_reader_date(value)
        except ValueError:
            return value
    if value is None:
        return ""
    if locale.startswith("th"):
        return f"{value.day}/{value.month}/{buddhist_year(value)}"
    return value.isoformat()


def iso_from_reader(text: str | None) -> str | None:
    """A typed date as ISO text for the services; unreadable text is passed on as it is
    (the service then refuses it with its usual error)."""
    try:
        value = parse_reader_date(text)
    except ValueError:
        return text
    return value.isoformat() if value else text
