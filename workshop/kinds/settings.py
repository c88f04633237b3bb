"""Activity fields of the word cloud and map kinds: checked when an activity is added (API,
control panel, agenda templates), read once per vote batch."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from flask import g
from sqlalchemy import select

from ..extensions import db
from ..models import Activity
from ..services.errors import Invalid
from ..voting.pins import DEFAULT_MAX_PINS, MAX_CATEGORIES, MAX_PINS_LIMIT
from ..voting.wordcloud import DEFAULT_MAX_WORDS, MAX_WORDS_LIMIT

DEFAULT_CATEGORIES = ("ปัญหา", "โอกาส", "โครงการ")
FIELDS = {"wordcloud": {"max_words"}, "qa": set(), "map": {"max_pins", "categories", "georef"}}
ALL_FIELDS = ("max_words", "max_pins", "categories", "georef")


@dataclass(frozen=True)
class KindSettings:
    max_words: int
    max_pins: int
    categories: tuple[str, ...]


def configure(activity: Activity, values: Mapping[str, object]) -> None:
    """Set a new activity's fields of its kind (defaults for those not given); 422 if bad."""
    kind = activity.kind
    for name in ALL_FIELDS:
        if values.get(name) is not None and name not in FIELDS.get(kind, set()):
            raise Invalid(f"a {kind} activity takes no {name}", "invalid_activity")
    if kind == "wordcloud":
        activity.max_words = _whole(
            values.get("max_words"), DEFAULT_MAX_WORDS, MAX_WORDS_LIMIT, "max_words"
        )
    elif kind == "map":
        activity.max_pins = _whole(
            values.get("max_pins"), DEFAULT_MAX_PINS, MAX_PINS_LIMIT, "max_pins"
        )
        activity.categories = clean_categories(values.get("categories"))
        activity.georef = clean_georef(values.get("georef"))


def _whole(value: object, default: int, limit: int, name: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise Invalid(f"{name} must be a whole number from 1 to {limit}", f"invalid_{name}")
    return value


def clean_categories(raw: object) -> list[str]:
    if raw is None:
        return list(DEFAULT_CATEGORIES)
    if not isinstance(raw, list):
        raise Invalid("categories must be a list of names", "invalid_categories")
    names: list[str] = []
    for item in raw:
        text = " ".join(str(item).split()) if isinstance(item, str) else ""
        if not text or len(text) > 40:
            raise Invalid("each category needs 1–40 characters", "invalid_categories")
        if text in names:
            raise Invalid(f"category '{text}' is listed twice", "invalid_categories")
        names.append(text)
    if not 1 <= len(names) <= MAX_CATEGORIES:
        raise Invalid(f"a map needs 1 to {MAX_CATEGORIES} categories", "invalid_categories")
    return names


def clean_georef(raw: object) -> dict | None:
    """``{"top_left": {"lat", "lon"}, "bottom_right": {"lat", "lon"}}`` or None."""
    if raw is None:
        return None
    corners = {}
    for corner in ("top_left", "bottom_right"):
        point = raw.get(corner) if isinstance(raw, Mapping) else None
        if not isinstance(point, Mapping):
            raise Invalid("georef needs top_left and bottom_right {lat, lon}", "invalid_georef")
        lat, lon = point.get("lat"), point.get("lon")
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in (lat, lon)
        ) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Invalid("georef corners need lat -90..90 and lon -180..180", "invalid_georef")
        corners[corner] = {"lat": float(lat), "lon": float(lon)}
    if corners["top_left"]["lat"] <= corners["bottom_right"]["lat"] or (
        corners["top_left"]["lon"] >= corners["bottom_right"]["lon"]
    ):
        raise Invalid("georef: top_left must be north-west of bottom_right", "invalid_georef")
    return corners


def set_georef(activity: Activity, raw: object, actor: object) -> None:
    """Set (or with None remove) a map's georeference after it was added; audit-logged."""
    from ..services import audit

    if activity.kind != "map":
        raise Invalid(f"a {activity.kind} activity takes no georef", "invalid_activity")
    georef = clean_georef(raw)
    if georef == activity.georef:
        return
    activity.georef = georef
    audit.record(
        activity.workshop, actor, "edit_activity", "activity", activity.id, fields=["georef"]
    )
    db.session.flush()


def kind_settings(activity_id: int) -> KindSettings:
    """What a vote of this activity is checked against (read once per app context)."""
    cache = g.setdefault("_room_kind_settings", {})
    found = cache.get(activity_id)
    if found is None:
        row = db.session.execute(
            select(Activity.max_words, Activity.max_pins, Activity.categories).where(
                Activity.id == activity_id
            )
        ).one()
        found = cache[activity_id] = KindSettings(
            row.max_words or DEFAULT_MAX_WORDS,
            row.max_pins or DEFAULT_MAX_PINS,
            tuple(row.categories or DEFAULT_CATEGORIES),
        )
    return found
