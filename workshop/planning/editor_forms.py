"""The tree editor's forms as the bodies ``tree.add_item`` / ``tree.update_item`` take.

A form sends text; the tree's rules want numbers, lists and None. Numbers are read the
way people type them ("1,500,000", " 2570 "); anything else is refused with the field's
name, before the tree is touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..services.errors import Invalid

MAX_INDICATOR_ROWS = 5
_TEXT_FIELDS = ("owner_agency", "funding_source", "indicator")
_YEAR_FIELDS = ("start_year", "end_year")
_INDICATOR_NUMBERS = ("baseline_value", "target_value")
_INDICATOR_YEARS = ("baseline_year", "target_year")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value: object, field: str) -> int | None:
    """A whole number typed in a form ('' is None)."""
    if _blank(value):
        return None
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise Invalid(f"{field} must be a whole number", "invalid_field")
    return int(text)


def number(value: object, field: str) -> float | int | None:
    """A number typed in a form, with thousands separators ('' is None)."""
    if _blank(value):
        return None
    text = str(value).strip().replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", text):
        raise Invalid(f"{field} must be a number", "invalid_field")
    return float(text) if "." in text else int(text)


def _indicators(form: Mapping) -> list[dict]:
    rows = []
    for n in range(MAX_INDICATOR_ROWS):
        name = form.get(f"indicator-{n}-name", "")
        if _blank(name):
            continue
        row: dict = {"name": name, "unit": form.get(f"indicator-{n}-unit") or None}
        for field in _INDICATOR_NUMBERS:
            row[field] = number(form.get(f"indicator-{n}-{field}"), field)
        for field in _INDICATOR_YEARS:
            row[field] = whole_number(form.get(f"indicator-{n}-{field}"), field)
        rows.append(row)
    return rows


def item_body(form: Mapping, creating: bool) -> dict:
    """The body of an add (``creating``) or an update from the editor's form.

    Only the fields the form shows for the item's level are sent (``fields`` lists them),
    so a goal's form never sends project fields the tree would refuse.
    """
    body: dict = {"base_revision": whole_number(form.get("base_revision"), "base_revision")}
    shown = set((form.get("fields") or "").split())
    if "text" in form:
        body["text"] = form.get("text", "")
    if creating or "section" in form:
        body["section"] = form.get("section", "")
    if "parent_id" in form:
        body["parent_id"] = whole_number(form.get("parent_id"), "parent_id")
    if not creating and not _blank(form.get("position")):
        body["position"] = whole_number(form.get("position"), "position")
    for field in _TEXT_FIELDS:
        if field in shown:
            body[field] = form.get(field) or None
    if "horizon" in shown:
        body["horizon"] = form.get("horizon") or None
    if "budget" in shown:
        body["budget"] = number(form.get("budget"), "budget")
    if "partner_agencies" in shown:
        text = form.get("partner_agencies", "")
        body["partner_agencies"] = [p for p in re.split(r"[,\n;]", text) if p.strip()]
    for field in _YEAR_FIELDS:
        if field in shown:
            body[field] = whole_number(form.get(field), field)
    if "indicators" in shown:
        body["indicators"] = _indicators(form)
    return body
