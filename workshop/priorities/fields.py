"""The activity fields of the priority kinds: checked, stored, shown."""

from __future__ import annotations

from ..models import Activity
from ..services.errors import Invalid
from ..voting import allocation, budget

DEFAULT_X_LABEL = "ผลกระทบ"
DEFAULT_Y_LABEL = "ความเป็นไปได้"
DEFAULT_X_LABEL_EN = "Impact"
DEFAULT_Y_LABEL_EN = "Feasibility"
LABEL_FIELDS = ("x_label", "y_label", "x_label_en", "y_label_en")
MAX_LABEL = 60
# Which spec fields each kind takes (the others must stay unset).
KIND_FIELDS = {
    "matrix": {"source_activity_id", *LABEL_FIELDS},
    "points": {"source_activity_id", "points"},
    "budget": {"source_activity_id", "budget", "items"},
}
FIELD_NAMES = (*LABEL_FIELDS, "points", "budget", "items")
MAX_ITEMS = 50


def clean_label(value: object, name: str) -> str:
    if not isinstance(value, str) or not " ".join(value.split()):
        raise Invalid(f"{name} must be a non-empty text", "invalid_label")
    text = " ".join(value.split())
    if len(text) > MAX_LABEL:
        raise Invalid(f"{name} is at most {MAX_LABEL} characters", "invalid_label")
    return text


def check_points(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("points must be a whole number", "invalid_points")
    if not 1 <= value <= allocation.MAX_POINTS:
        raise Invalid(f"points must be between 1 and {allocation.MAX_POINTS}", "invalid_points")
    return value


def check_money(value: object, name: str, low: int) -> int:
    """A budget (low 1) or a cost (low 0), in whole baht."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{name} must be a whole number of baht", f"invalid_{name}")
    if not low <= value <= budget.MAX_BUDGET:
        raise Invalid(
            f"{name} must be between {low} and {budget.MAX_BUDGET:,} baht", f"invalid_{name}"
        )
    return value


def check_items(items: object) -> list[tuple[str, int | None]]:
    """A budget's own statements: ``[{"text", "cost"?}]``."""
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise Invalid(f"items must be a list of 1 to {MAX_ITEMS} statements", "invalid_items")
    cleaned: list[tuple[str, int | None]] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not set(item) <= {"text", "cost"}:
            raise Invalid(f'items[{number}] must be {{"text", "cost"}}', "invalid_items")
        text = " ".join(str(item.get("text") or "").split())
        if not text or len(text) > 280:
            raise Invalid(f"items[{number}] needs a text of 1–280 characters", "invalid_items")
        cost = item.get("cost")
        cleaned.append((text, None if cost is None else check_money(cost, "cost", 0)))
    return cleaned


def apply(activity: Activity, spec) -> None:
    """Set the kind's fields of a new activity from ``spec`` (defaults where unset)."""
    kind = activity.kind
    for name in FIELD_NAMES:
        if getattr(spec, name, None) is not None and name not in KIND_FIELDS.get(kind, ()):
            raise Invalid(f"a {kind} activity takes no {name}", "invalid_activity")
    if kind == "matrix":
        defaults = (DEFAULT_X_LABEL, DEFAULT_Y_LABEL, DEFAULT_X_LABEL_EN, DEFAULT_Y_LABEL_EN)
        for name, default in zip(LABEL_FIELDS, defaults, strict=True):
            value = getattr(spec, name, None)
            setattr(activity, name, default if value is None else clean_label(value, name))
    elif kind == "points":
        value = getattr(spec, "points", None)
        activity.points = allocation.DEFAULT_POINTS if value is None else check_points(value)
    elif kind == "budget":
        if spec.items is not None and spec.source_activity_id is not None:
            raise Invalid("give items or source_activity_id, not both", "invalid_source")
        value = getattr(spec, "budget", None)
        if value is None:
            raise Invalid("a budget activity needs budget (baht)", "invalid_budget")
        activity.budget = check_money(value, "budget", 1)


def activity_fields(activity: Activity) -> dict:
    """What ``activity_dict`` adds for a priority kind."""
    if activity.kind == "matrix":
        return {name: getattr(activity, name) for name in LABEL_FIELDS}
    if activity.kind == "points":
        return {"points": activity.points}
    if activity.kind == "budget":
        return {"budget": activity.budget}
    return {}
