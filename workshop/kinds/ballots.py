"""The vote path of the word cloud, Q&A and map kinds (called by services/ballots.py).

:func:`new_entries` checks a ballot (pure rules, nothing written) and gives its entries;
:func:`after_store` then writes what the entries cannot hold, in the same transaction:
a word cloud's new words, a map's pins with their notes. Both fill the outcome's
``detail`` (the words or pins), which the acknowledgement shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import g
from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..models import CloudWord, MapPin, utcnow
from ..voting import BallotError
from ..voting.pins import Pin, pin_entries, unpack, validate_pins
from ..voting.qa import validate_upvote
from ..voting.wordcloud import validate_words
from .settings import kind_settings


def new_entries(
    activity, payload: Mapping, previous: dict[int, int], eligible: set[int]
) -> dict[int, int]:
    kind = activity.kind
    if kind == "qa":
        for name in ("statement_id", "value"):
            if name not in payload:
                raise BallotError("invalid_ballot", f"{name} is required to upvote a question")
        return validate_upvote(payload["statement_id"], payload["value"], eligible, previous)
    settings = kind_settings(activity.id)
    if kind == "wordcloud":
        texts = validate_words(_field(payload, "words"), settings.max_words)
        _checked()[id(payload)] = texts
        return dict.fromkeys(texts, 1)
    if kind == "map":
        pins = validate_pins(_field(payload, "pins"), settings.max_pins, settings.categories)
        _checked()[id(payload)] = pins
        return pin_entries(pins, settings.categories)
    raise BallotError("wrong_kind", f"a {kind} takes no votes")


def _checked() -> dict:
    """This batch's checked words and pins, by payload: after_store needs no second check."""
    return g.setdefault("_room_kind_checked", {})


def _field(payload: Mapping, name: str) -> object:
    if name not in payload:
        raise BallotError("invalid_ballot", f"{name} is required for this kind of vote")
    return payload[name]


def after_store(writes: Sequence[tuple[object, Mapping, int, bool]]) -> None:
    """``writes``: (outcome, payload, participant id, accepted) of every ballot of these
    kinds in the batch, accepted or a resend. Writes the accepted ones' new words and pins
    (a few statements for the whole batch) and fills every ``outcome.detail``."""
    words: dict[int, dict[int, str]] = {}  # activity -> key -> text
    pins: dict[tuple[int, int], list[Pin]] = {}  # (activity, participant) -> last pins
    for outcome, payload, participant_id, accepted in writes:
        if outcome.kind == "wordcloud":
            if accepted:
                texts = _checked().pop(id(payload), None) or validate_words(payload["words"], 10**6)
                words.setdefault(outcome.activity_id, {}).update(texts)
                outcome.detail = {"words": sorted(set(texts.values()))}
            else:
                outcome.detail = {"words": word_texts(outcome.activity_id, outcome.current)}
        elif outcome.kind == "map":
            if accepted:  # a note may change while the pins stay
                placed = _checked().pop(id(payload), None)
                if placed is None:
                    categories = kind_settings(outcome.activity_id).categories
                    placed = validate_pins(payload["pins"], 10**6, categories)
                pins[(outcome.activity_id, participant_id)] = placed
                outcome.detail = {"pins": [_pin_dict(p) for p in placed]}
            else:
                outcome.detail = {"pins": pins_of(outcome.activity_id, participant_id)}
    for activity_id, texts in words.items():
        store_words(activity_id, texts)
    if pins:
        store_pins(pins)


def _pin_dict(pin: Pin) -> dict:
    return {"x": pin.x, "y": pin.y, "category": pin.category, "note": pin.note}


def store_words(activity_id: int, texts: Mapping[int, str]) -> None:
    """Add the words not known yet (a word sent at the same moment elsewhere is kept once)."""
    if not texts:
        return
    connection = db.session.connection()
    now = utcnow()
    rows = [
        {"activity_id": activity_id, "key": k, "text": t, "hidden": False, "created_at": now}
        for k, t in texts.items()
    ]
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(CloudWord).values(rows).on_conflict_do_nothing(index_elements=["activity_id", "key"])
    )
    db.session.execute(statement)


def word_texts(activity_id: int, entries: Mapping[int, int]) -> list[str]:
    if not entries:
        return []
    rows = db.session.execute(
        select(CloudWord.key, CloudWord.text).where(
            CloudWord.activity_id == activity_id, CloudWord.key.in_(list(entries))
        )
    )
    texts = dict(rows.all())
    return sorted(texts[k] for k in entries if k in texts)


def store_pins(ballots: Mapping[tuple[int, int], Sequence[Pin]]) -> None:
    """Each (activity, participant)'s pins now, for a whole batch in a few statements:
    unchanged pins keep their row (and a facilitator's hiding), a moved or edited pin is
    shown again, removed pins go."""
    table = MapPin.__table__
    activity_ids = sorted({a for a, _ in ballots})
    participant_ids = sorted({p for _, p in ballots})
    old: dict[tuple[int, int, int], tuple] = {}
    for row in db.session.execute(
        select(
            table.c.id,
            table.c.activity_id,
            table.c.participant_id,
            table.c.slot,
            table.c.x,
            table.c.y,
            table.c.category,
            table.c.note,
        ).where(table.c.activity_id.in_(activity_ids), table.c.participant_id.in_(participant_ids))
    ):
        if (row.activity_id, row.participant_id) in ballots:
            old[(row.activity_id, row.participant_id, row.slot)] = row
    now = utcnow()
    inserts, updates = [], []
    for (activity_id, participant_id), placed in ballots.items():
        for slot, pin in enumerate(placed):
            row = old.pop((activity_id, participant_id, slot), None)
            values = {"x": pin.x, "y": pin.y, "category": pin.category, "note": pin.note}
            if row is None:
                inserts.append(
                    {
                        "activity_id": activity_id,
                        "participant_id": participant_id,
                        "slot": slot,
                        "hidden": False,
                        "updated_at": now,
                        **values,
                    }  # fmt: skip
                )
            elif (row.x, row.y, row.category, row.note) != tuple(values.values()):
                updates.append({"pin_id": row.id, "hidden": False, "updated_at": now, **values})
    if old:
        db.session.execute(delete(table).where(table.c.id.in_([r.id for r in old.values()])))
    if inserts:
        db.session.execute(table.insert(), inserts)
    if updates:
        db.session.execute(
            table.update()
            .where(table.c.id == bindparam("pin_id"))
            .values(
                x=bindparam("x"),
                y=bindparam("y"),
                category=bindparam("category"),
                note=bindparam("note"),
                hidden=bindparam("hidden"),
                updated_at=bindparam("updated_at"),
            ),  # fmt: skip
            updates,
        )


def pins_of(activity_id: int, participant_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(MapPin)
        .where(MapPin.activity_id == activity_id, MapPin.participant_id == participant_id)
        .order_by(MapPin.slot)
    )
    return [{"x": r.x, "y": r.y, "category": r.category, "note": r.note} for r in rows]


def ballot_fields(
    kind: str,
    activity_id: int,
    participant_id: int | None,
    entries: dict[int, int],
    detail: dict | None,
) -> dict:
    """A ballot of these kinds as the phone sends it (``words``, ``upvotes``, ``pins``)."""
    if kind == "qa":
        return {"upvotes": sorted(entries)}
    if detail is not None:
        return dict(detail)
    if kind == "wordcloud":
        return {"words": word_texts(activity_id, entries)}
    if participant_id is not None:
        return {"pins": pins_of(activity_id, participant_id)}
    settings = kind_settings(activity_id)
    return {
        "pins": [
            dict(zip(("x", "y", "category"), unpack(v, settings.categories), strict=True))
            for _, v in sorted(entries.items())
        ]
    }
