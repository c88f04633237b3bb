"""The plain HTML forms (no JavaScript) of the word cloud, Q&A and map kinds, turned into
the ballot fields the vote API takes."""

from __future__ import annotations

from ..models import Activity, Participant
from .ballots import pins_of

NO_JS_MAP_WIDTH = 320  # the map image button's width on the plain page (px)


def form_fields(kind: str, form, participant: Participant, activity: Activity | None) -> dict:
    """wordcloud: ``word-<n>`` texts; qa: the pressed ``upvote`` button (``<id>:1|0``);
    map: the pins so far plus the tapped one (``at.x``, ``at.y``, ``category``, ``note``),
    or without the one whose ``remove`` button was pressed."""
    if kind == "wordcloud":
        names = sorted(
            (k for k in form if k.startswith("word-") and k[5:].isdigit()), key=lambda k: int(k[5:])
        )
        return {"words": [form[k].strip() for k in names if form[k].strip()]}
    if kind == "qa":
        ident, _, value = (form.get("upvote") or "").partition(":")
        return {
            "statement_id": int(ident) if ident.isdigit() else ident,
            "value": int(value) if value.isdigit() else value,
        }
    if kind == "map" and activity is not None:
        pins = pins_of(activity.id, participant.id)
        for pin in pins:
            if pin["note"] is None:
                del pin["note"]
        remove = form.get("remove", "")
        if remove.isdigit():
            index = int(remove)
            return {"pins": [p for i, p in enumerate(pins) if i != index]}
        image = activity.map_image or {}
        try:
            x = float(form.get("at.x", "")) / NO_JS_MAP_WIDTH
            height = NO_JS_MAP_WIDTH * image["height"] / image["width"]
            y = float(form.get("at.y", "")) / height
        except (KeyError, ValueError, ZeroDivisionError):
            return {"pins": pins}
        new = {"x": round(min(max(x, 0), 1), 4), "y": round(min(max(y, 0), 1), 4)}
        new["category"] = form.get("category", "")
        if form.get("note", "").strip():
            new["note"] = form["note"]
        return {"pins": [*pins, new]}
    return {}
