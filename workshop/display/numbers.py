"""Numbers for people: whole counts, means with one decimal, percentages."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent


def whole(value: object) -> str:
    """A count or a score: ``12``, ``1,250``; '' for nothing."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return decimal(value)
    try:
        return format_decimal(int(value), format="#,##0")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


def decimal(value: object, places: int = 1) -> str:
    """A mean: ``4.3`` (one decimal by default); '' for nothing."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return format_decimal(number, format="#,##0." + "0" * places)


def percent(part: object, whole_: object) -> str:
    """``part`` of ``whole_`` as a rounded percentage (``75%``); '' when the whole is 0."""
    try:
        numerator, denominator = float(part), float(whole_)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if denominator <= 0:
        return ""
    return format_percent(numerator / denominator, format="#,##0%")


def share(value: object) -> str:
    """A share already between 0 and 1 (``0.6`` → ``60%``); '' for nothing."""
    if value is None:
        return ""
    return percent(value, 1)
