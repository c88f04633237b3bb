"""Agenda template fields of the priority kinds (checked as ``add_activity`` checks them).

In a template (``sessions/*.toml``)::

    [[activities]]
    kind = "matrix"        # x_label, y_label, x_label_en, y_label_en (defaults ผลกระทบ / ...)
    [[activities]]
    kind = "points"        # points = 100
    [[activities]]
    kind = "budget"        # budget = 5_000_000 (baht), and either source = "..." or
    items = [{ text = "ลานกีฬา", cost = 1_200_000 }, ...]   # its own statements with costs
"""

from __future__ import annotations

from collections.abc import Callable

from ..services.errors import Invalid
from . import fields

TEMPLATE_KEYS = (*fields.LABEL_FIELDS, "points", "budget", "items")
TEMPLATE_KIND_FIELDS = {
    "matrix": ("source", *fields.LABEL_FIELDS),
    "points": ("source", "points"),
    "budget": ("source", "budget", "items"),
}


def parse(kind: str, raw: dict, error: Callable[[str, str], Exception]) -> dict:
    """The ``ActivitySpec`` fields of one template activity; raises ``error(field, message)``."""
    spec: dict = {}
    for name in fields.LABEL_FIELDS:
        if name in raw:
            spec[name] = _checked(name, error, fields.clean_label, raw[name], name)
    if "points" in raw:
        spec["points"] = _checked("points", error, fields.check_points, raw["points"])
    if kind == "budget":
        if "budget" not in raw:
            raise error("budget", "a budget needs budget = the amount to share, in baht")
        spec["budget"] = _checked("budget", error, fields.check_money, raw["budget"], "budget", 1)
        if "items" in raw:
            if "source" in raw:
                raise error("items", "give items or source, not both")
            spec["items"] = _items(raw["items"], error)
    return spec


def needs_source(kind: str, raw: dict) -> bool:
    """Whether the activity votes on a brainstorm's statements (a budget may bring its own)."""
    return not (kind == "budget" and "items" in raw)


def _checked(name: str, error, check, *args):
    try:
        return check(*args)
    except Invalid as invalid:
        raise error(name, invalid.message) from None


def _items(value: object, error) -> list[dict]:
    if not isinstance(value, list) or not 1 <= len(value) <= fields.MAX_ITEMS:
        raise error("items", f"must be a list of 1 to {fields.MAX_ITEMS} {{ text, cost }} tables")
    items = []
    for number, item in enumerate(value, start=1):
        where = f"items[{number}]"
        if not isinstance(item, dict) or not set(item) <= {"text", "cost"}:
            raise error(where, 'must be a table { text = "...", cost = baht }')
        text = item.get("text")
        if not isinstance(text, str) or not 1 <= len(" ".join(text.split())) <= 280:
            raise error(f"{where}.text", "must be a string of 1 to 280 characters")
        cleaned = {"text": " ".join(text.split())}
        if "cost" in item:
            cleaned["cost"] = _checked(
                f"{where}.cost", error, fields.check_money, item["cost"], "cost", 0
            )
        items.append(cleaned)
    return items
