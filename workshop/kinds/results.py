"""Results of the word cloud, Q&A and map kinds, in the shape of every activity's results
(``id``, ``kind``, ``state``, ``ballots``, ``items`` with ``statement_id``, ``text``,
``score``, ``rank``, ``by_group``) plus each kind's own fields.

With ``tally`` (the live running tally: the projector's and phones' ``tally`` event) the
map lists equal pins together, at most :data:`LIVE_PIN_LIMIT`, without notes; without it
(results API, exports) every visible pin is listed with its note, group and lat/lon.
"""

from __future__ import annotations

from flask import has_request_context, url_for
from sqlalchemy import func, select

from ..extensions import db
from ..live.tallies import load_tally, scoring_rules
from ..models import Activity, Ballot, CloudWord, MapPin, Participant
from ..voting import Tally, ranked_results
from ..voting.pins import georeference, map_results, pack
from ..voting.wordcloud import cloud_items
from .settings import DEFAULT_CATEGORIES

LIVE_PIN_LIMIT = 400  # the projector draws a density view past 300
DENSITY_COLUMNS, DENSITY_ROWS = 24, 16


def activity_fields(activity: Activity) -> dict:
    """The kind's fields in ``activity_dict`` (state, workshop detail)."""
    if activity.kind == "wordcloud":
        return {"max_words": activity.max_words}
    if activity.kind == "map":
        image = activity.map_image or None
        return {
            "max_pins": activity.max_pins,
            "categories": list(activity.categories or DEFAULT_CATEGORIES),
            "georef": activity.georef,
            "image": None
            if image is None
            else {
                "url": image_url(activity),
                "width": image["width"],
                "height": image["height"],
            },
        }
    return {}


def image_url(activity: Activity) -> str:
    """The image's address (also from a background tally, outside any request)."""
    name = activity.map_image["file"]
    if has_request_context():
        return url_for("room_kinds.map_image", activity_id=activity.id, name=name)
    return f"/media/maps/{activity.id}/{name}"


def _ballots(activity: Activity) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.activity_id == activity.id)
        )
        or 0
    )


def room_kind_results(activity: Activity, tally: Tally | None = None) -> dict:
    live = tally is not None
    if tally is None:
        tally = load_tally(activity.id)
    groups = list(activity.workshop.groups)
    result = {
        "id": activity.id,
        "activity_id": activity.id,
        "kind": activity.kind,
        "prompt": activity.prompt,
        "state": activity.state,
        "ballots": _ballots(activity),
    }
    if activity.kind == "wordcloud":
        result["items"] = _cloud(activity, tally, groups)
        from .cloud_svg import cloud_svg, legend

        result["svg"] = cloud_svg(result["items"], groups)
        result["legend"] = legend(groups)
    elif activity.kind == "qa":
        result["items"] = _questions(activity, tally)
    else:
        result.update(_map(activity, tally, groups, live))
    return result


def _cloud(activity: Activity, tally: Tally, groups: list[str]) -> list[dict]:
    words = db.session.execute(
        select(CloudWord.key, CloudWord.text, CloudWord.hidden).where(
            CloudWord.activity_id == activity.id
        )
    ).all()
    texts = {key: text for key, text, _ in words}
    hidden = [key for key, _, is_hidden in words if is_hidden]
    items = cloud_items(tally, texts, groups, hidden)
    for item in items:
        item.update(statement_id=item["word_key"], text=item["word"], score=item["count"])
        item["group"] = None
    return items


def _questions(activity: Activity, tally: Tally) -> list[dict]:
    from ..services.participation import visible_statements

    questions = visible_statements(activity)
    ranked = ranked_results(tally, [q.id for q in questions], scoring_rules(activity))
    by_id = {q.id: q for q in questions}
    for item in ranked:
        question = by_id[item["statement_id"]]
        item.update(
            text=question.text,
            group=question.group,
            votes=item["score"],
            qa_state=question.qa_state or "open",
        )
    # Answered questions go to the end of the queue; the current one stays where its votes are.
    ranked.sort(key=lambda i: (i["qa_state"] == "answered", i["rank"], i["statement_id"]))
    return ranked


def _hidden_pins(activity: Activity, categories: list[str]) -> list[tuple[int, str, int]]:
    rows = db.session.execute(
        select(MapPin.slot, MapPin.x, MapPin.y, MapPin.category, Participant.group)
        .join(Participant, Participant.id == MapPin.participant_id)
        .where(MapPin.activity_id == activity.id, MapPin.hidden.is_(True))
    ).all()
    from ..voting.pins import Pin

    return [
        (slot, group, pack(Pin(x, y, category), categories))
        for slot, x, y, category, group in rows
        if category in categories
    ]


def _map(activity: Activity, tally: Tally, groups: list[str], live: bool) -> dict:
    categories = list(activity.categories or DEFAULT_CATEGORIES)
    counted = map_results(
        tally,
        categories,
        groups,
        _hidden_pins(activity, categories),
        (DENSITY_COLUMNS, DENSITY_ROWS),
    )
    items = [
        {
            "statement_id": index + 1,
            "text": category,
            "group": None,
            "score": counted["by_category"][category],
            "by_group": {g: c.get(category, 0) for g, c in counted["by_group"].items()},
        }
        for index, category in enumerate(categories)
    ]
    ranked = sorted(items, key=lambda i: (-i["score"], i["statement_id"]))
    for position, item in enumerate(ranked, start=1):
        item["rank"] = position
    out = {
        "items": ranked,
        "categories": categories,
        "by_category": counted["by_category"],
        "by_group": counted["by_group"],
        "density": counted["density"],
        "image": activity_fields(activity)["image"],
    }
    if live:
        pins = counted["pins"]
        out["pins"] = pins[:LIVE_PIN_LIMIT]
        out["pins_left_out"] = max(len(pins) - LIVE_PIN_LIMIT, 0)
    else:
        out["pins"] = stored_pins(activity)
    return out


def stored_pins(activity: Activity, include_hidden: bool = False) -> list[dict]:
    """Every pin with its note and group (and lat/lon when the map is georeferenced)."""
    query = (
        select(MapPin, Participant.group)
        .join(Participant, Participant.id == MapPin.participant_id)
        .where(MapPin.activity_id == activity.id)
        .order_by(MapPin.id)
    )
    if not include_hidden:
        query = query.where(MapPin.hidden.is_(False))
    pins = []
    for pin, group in db.session.execute(query).all():
        row = {
            "id": pin.id,
            "x": pin.x,
            "y": pin.y,
            "category": pin.category,
            "note": pin.note,
            "group": group,
        }
        if include_hidden:
            row["hidden"] = pin.hidden
        where = georeference(pin.x, pin.y, activity.georef)
        if where:
            row["lat"], row["lon"] = where
        pins.append(row)
    return pins
