"""The draft plan's evidence from the word cloud, Q&A and map kinds.

These kinds have no statements to rank into the plan; what the room said with them is
recorded beside the items instead, as one evidence entry per activity (``source``
``draft``, ``key`` ``room:<activity id>``):

- a ``wordcloud``: its most used words, with counts per stakeholder group, and each
  group's own top words (``by_group``);
- a ``qa``: the questions answered in the room and the most upvoted ones, with their
  votes per group and their queue state;
- a ``map``: pins per category and per group, each category's centre (image x, y and,
  with a georeference, lat/lon) and every visible pin.

The entry goes on the first item of the activity's ``plan_section`` (the vision when it
has none: the room's opening word cloud or questions are read with the vision). A map
category named like a plan item (e.g. a "where should it go?" map whose categories are
the projects) also gives that item a location entry with only its own pins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..models import Activity, PlanItem, Workshop, utcnow

ROOM_KINDS = ("wordcloud", "qa", "map")
TOP_WORDS = 20
TOP_WORDS_PER_GROUP = 5
TOP_QUESTIONS = 10
# Pins copied into an entry (the plan is read whole; every pin is in the GeoJSON export).
MAX_EVIDENCE_PINS = 300


def _entry(workshop: Workshop, activity: Activity, results: dict, **fields: object) -> dict:
    return {
        "workshop": workshop.code,
        "workshop_title": workshop.title,
        "source": "draft",
        "key": f"room:{activity.id}",
        "activity_id": activity.id,
        "kind": activity.kind,
        "prompt": activity.prompt,
        "ballots": results.get("ballots"),
        "statement_id": None,
        "recorded_at": utcnow().isoformat(),
        **fields,
    }


def wordcloud_entry(workshop: Workshop, activity: Activity, results: dict) -> dict | None:
    items = results["items"]
    if not items:
        return None
    groups = list(workshop.groups)
    for item in items:
        groups.extend(g for g in item["by_group"] if g not in groups)
    by_group = {}
    for group in groups:
        used = sorted(
            (i for i in items if i["by_group"].get(group)),
            key=lambda i: (-i["by_group"][group], i["word"]),
        )
        if used:
            by_group[group] = {
                "words": [
                    {"word": i["word"], "count": i["by_group"][group]}
                    for i in used[:TOP_WORDS_PER_GROUP]
                ],
                "count": sum(i["by_group"][group] for i in used),
            }
    words = [
        {
            "word": i["word"],
            "count": i["count"],
            "rank": i["rank"],
            "top_group": i["top_group"],
            "by_group": {g: n for g, n in i["by_group"].items() if n},
        }
        for i in items[:TOP_WORDS]
    ]
    return _entry(workshop, activity, results, by_group=by_group, words=words)


def qa_entry(workshop: Workshop, activity: Activity, results: dict) -> dict | None:
    items = results["items"]
    if not items:
        return None
    answered = [i for i in items if i["qa_state"] in ("answered", "current")]
    voted = sorted(
        (i for i in items if i["qa_state"] == "open" and i["votes"] > 0),
        key=lambda i: (-i["votes"], i["statement_id"]),
    )[:TOP_QUESTIONS]
    questions = [
        {
            "id": i["statement_id"],
            "text": i["text"],
            "group": i["group"],
            "votes": i["votes"],
            "qa_state": i["qa_state"],
            "by_group": {g: n for g, n in i["by_group"].items() if n},
        }
        for i in answered + voted
    ]
    by_group: dict[str, dict] = {}
    for item in items:
        if item["group"]:
            asked = by_group.setdefault(item["group"], {"asked": 0, "votes": 0})
            asked["asked"] += 1
        for group, n in item["by_group"].items():
            if n:
                by_group.setdefault(group, {"asked": 0, "votes": 0})["votes"] += n
    return _entry(
        workshop,
        activity,
        results,
        by_group=by_group,
        questions=questions,
        asked=len(items),
        answered=sum(1 for i in items if i["qa_state"] == "answered"),
    )


def _location(pins: list[dict]) -> dict:
    """The pins' centre and extent (image 0–1, and lat/lon when they have it)."""
    out: dict = {
        "count": len(pins),
        "x": round(sum(p["x"] for p in pins) / len(pins), 4),
        "y": round(sum(p["y"] for p in pins) / len(pins), 4),
        "bounds": {
            "x": [min(p["x"] for p in pins), max(p["x"] for p in pins)],
            "y": [min(p["y"] for p in pins), max(p["y"] for p in pins)],
        },
    }
    if all("lat" in p for p in pins):
        out["lat"] = round(sum(p["lat"] for p in pins) / len(pins), 7)
        out["lon"] = round(sum(p["lon"] for p in pins) / len(pins), 7)
    return out


def _per_group(pins: Iterable[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pin in pins:
        counts[pin["group"]] = counts.get(pin["group"], 0) + 1
    return counts


def map_entry(
    workshop: Workshop, activity: Activity, results: dict, only: str | None = None
) -> dict | None:
    """All categories, or ``only`` one (the location of the plan item named like it)."""
    pins = [
        {k: v for k, v in p.items() if k != "id"}
        for p in results["pins"]
        if only is None or p["category"] == only
    ]
    if not pins:
        return None
    locations = {}
    for category in results["categories"]:
        mine = [p for p in pins if p["category"] == category]
        if mine:
            locations[category] = {**_location(mine), "by_group": _per_group(mine)}
    by_group: dict[str, dict[str, int]] = {}
    for pin in pins:
        counts = by_group.setdefault(pin["group"], {})
        counts[pin["category"]] = counts.get(pin["category"], 0) + 1
    return _entry(
        workshop,
        activity,
        results,
        by_group=by_group,
        by_category={c: len([p for p in pins if p["category"] == c]) for c in locations},
        locations=locations,
        georeferenced=bool(activity.georef),
        pins=pins[:MAX_EVIDENCE_PINS],
        pins_left_out=max(len(pins) - MAX_EVIDENCE_PINS, 0),
        **({"category": only} if only else {}),
    )


BUILDERS: dict[str, Callable[[Workshop, Activity, dict], dict | None]] = {
    "wordcloud": wordcloud_entry,
    "qa": qa_entry,
    "map": map_entry,
}


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def room_evidence(workshop: Workshop, items: list[PlanItem]) -> list[tuple[PlanItem, dict]]:
    """Each (plan item, entry) the workshop's word clouds, Q&As and maps give ``items``
    (a map named by a category gets ``key`` ``room:<activity id>:<category>``)."""
    from .results import room_kind_results

    ordered = sorted(items, key=lambda i: (i.position, i.id or 0))
    out: list[tuple[PlanItem, dict]] = []
    for activity in workshop.activities:
        if activity.kind not in ROOM_KINDS or activity.state == "draft":
            continue
        results = room_kind_results(activity)
        section = activity.plan_section or "vision"
        places = [i for i in ordered if i.section == section]
        if section == "vision":
            places += [i for i in ordered if i.section == "alternatives"]
        entry = BUILDERS[activity.kind](workshop, activity, results)
        if entry is not None and places:
            out.append((places[0], entry))
        if activity.kind == "map":
            for item in ordered:
                category = next((c for c in results["categories"] if _same(c, item.text)), None)
                located = category and map_entry(workshop, activity, results, only=category)
                if located:
                    out.append((item, {**located, "key": f"room:{activity.id}:{category}"}))
    return out
