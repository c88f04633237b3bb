"""Opinion maps of agree activities: the ballots loaded, the pure core run, the result kept.

One :class:`OpinionMaps` per process keeps, per activity, the last map and the k-stability
state (:class:`~workshop.voting.opinions.KStability`), so the projector's groups do not
flicker. A map is recomputed only when the ballots or the statements changed since the
last one; the facilitator's GET and the live broadcast share it. With several processes
(a message queue) each keeps its own, all computed from the same database.

The arithmetic runs in a native thread when serving with gevent, so the event loop (and
the ballots it carries) keeps running while numpy works.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from ..extensions import db, socketio
from ..models import Activity, Ballot, Participant, as_json, decode_entries, utcnow
from ..voting.opinions import KStability, OpinionMap, opinion_map, vote_matrix
from .errors import Forbidden, Invalid
from .moderation import merge_groups
from .participation import all_statements, ballot_statements

OPINION_KINDS = ("agree",)  # kinds whose values are -1 / 0 / +1


@dataclass
class _Kept:
    fingerprint: str = ""
    payload: dict | None = None
    result: OpinionMap | None = None
    stability: KStability = field(default_factory=KStability)
    checked: float = float("-inf")  # time.monotonic() of the last fingerprint check
    # Two recomputations of one activity never interleave (the stability state is shared).
    lock: threading.Lock = field(default_factory=threading.Lock)


class OpinionMaps:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[int, _Kept] = {}

    def kept(self, activity_id: int) -> _Kept:
        with self._lock:
            return self._kept.setdefault(activity_id, _Kept())


def init_app(app) -> None:
    app.extensions["workshop_opinions"] = OpinionMaps()


def _maps() -> OpinionMaps:
    return current_app.extensions["workshop_opinions"]


def _inputs(activity: Activity) -> tuple[list[int], list[tuple[int, str, dict[int, int]]]]:
    """The statements voted on (duplicates counted with the statement they were merged
    into) and every ballot as (participant, declared group, entries)."""
    statements = [s.id for s in ballot_statements(activity)]
    root_of = {sid: sid for sid in statements}
    if activity.source_activity is not None:
        for root, members in merge_groups(all_statements(activity.source_activity)).items():
            for member in members:
                root_of[member] = root
    rows = db.session.execute(
        select(Ballot.participant_id, Participant.group, Ballot.entries_json)
        .join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.activity_id == activity.id)
        .order_by(Ballot.participant_id)
    ).all()
    ballots = []
    for participant_id, group, text in rows:
        entries: dict[int, int] = {}
        for sid, value in sorted(decode_entries(text).items()):
            root = root_of.get(sid)
            if root is not None and (root == sid or root not in entries):
                entries[root] = value  # a statement's own answer wins over a duplicate's
        ballots.append((participant_id, group, entries))
    return statements, ballots


def _fingerprint(statements: list[int], ballots: list, min_group: int) -> str:
    digest = hashlib.blake2b(repr((statements, min_group)).encode(), digest_size=16)
    for participant_id, group, entries in ballots:
        digest.update(repr((participant_id, group, sorted(entries.items()))).encode())
    return digest.hexdigest()


def _in_native_thread(job, *args):
    """Run CPU-bound numpy work off the gevent loop (a real thread); elsewhere, directly."""
    if socketio.async_mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(job, args)
    return job(*args)


def current_map(activity: Activity) -> tuple[dict, OpinionMap | None]:
    """The activity's opinion map payload (the API's and the ``opinions`` event's shape) and
    the full result (with membership: never to be sent); recomputed only on new data."""
    min_group = current_app.config["OPINION_MIN_GROUP"]
    if activity.kind not in OPINION_KINDS:
        return _not_applicable(activity), None
    statements, ballots = _inputs(activity)
    fingerprint = _fingerprint(statements, ballots, min_group)
    kept = _maps().kept(activity.id)
    kept.checked = time.monotonic()
    with kept.lock:
        if kept.payload is not None and kept.fingerprint == fingerprint:
            return kept.payload, kept.result
        matrix = vote_matrix(((p, e) for p, _, e in ballots), statements)
        declared = {p: g for p, g, _ in ballots}
        result = _in_native_thread(opinion_map, matrix, declared, min_group, kept.stability)
        payload = {
            "activity_id": activity.id,
            "computed_at": as_json(utcnow()),
            **result.as_dict(),
        }
        kept.fingerprint, kept.payload, kept.result = fingerprint, payload, result
        return payload, result


def _not_applicable(activity: Activity) -> dict:
    return {
        "activity_id": activity.id,
        "computed_at": as_json(utcnow()),
        "participants_in_map": 0,
        "k": 0,
        "groups": [],
        "bridging": [],
        "uncertain": [],
        "points": [],
        "reason": "not_an_agree_activity",
    }


def opinions_payload(activity: Activity) -> dict:
    return current_map(activity)[0]


def opinions_summary(activity: Activity) -> dict:
    """What the results and the exports carry: groups and statements, no dots (the map's
    picture is for the room, live; a report never needs it)."""
    payload = dict(opinions_payload(activity))
    payload.pop("points", None)
    payload.pop("activity_id", None)
    return payload


def opinion_evidence(activity: Activity) -> dict[int, dict]:
    """Per statement of an agree activity: its bridging consensus across opinion groups, for
    the draft plan's evidence. Empty when the room has no opinion groups (yet)."""
    payload = opinions_payload(activity)
    uncertain = set(payload["uncertain"])
    evidence = {
        row["statement_id"]: {
            "bridging_consensus": row["consensus"],
            "by_opinion_group": row["by_opinion_group"],
            "uncertain": row["statement_id"] in uncertain,
            "activity_id": activity.id,
        }
        for row in payload["bridging"]
    }
    return evidence


def allow_own_dot(activity: Activity, allowed: object, actor) -> Activity:
    """Let each phone see its own place on the map (or stop it). Agree activities only."""
    from . import audit

    if activity.kind not in OPINION_KINDS:
        raise Invalid("only an agree activity has an opinion map", "not_an_agree_activity")
    if not isinstance(allowed, bool):
        raise Invalid("allowed is true or false", "invalid_field")
    activity.opinion_own_dot = allowed
    audit.record(
        activity.workshop, actor, "opinion_own_dot", "activity", activity.id, allowed=allowed
    )
    db.session.flush()
    return activity


def own_place(activity: Activity, participant: Participant) -> dict:
    """A phone's own dot on the map it may see: its position and opinion group, beside the
    room's anonymous dots. Uses the map last computed (for the projector or another phone)
    when it was checked within the last few seconds, so a hall of phones asking at once
    costs one check, and a recomputation only when the ballots changed."""
    if activity.kind not in OPINION_KINDS:
        raise Invalid("only an agree activity has an opinion map", "not_an_agree_activity")
    if not activity.opinion_own_dot:
        raise Forbidden(
            "the facilitator has not shown the opinion map on phones", "own_dot_not_shown"
        )
    kept = _maps().kept(activity.id)
    payload, result = kept.payload, kept.result
    fresh_for = max(current_app.config["OPINIONS_INTERVAL"], 1.0)
    if payload is None or time.monotonic() - kept.checked > fresh_for:
        payload, result = current_map(activity)  # at most once a second, however many ask
    base = {
        "activity_id": activity.id,
        "computed_at": payload.get("computed_at"),
        "points": payload.get("points", []),
        "groups": [{"id": g["id"], "size": g["size"]} for g in payload.get("groups", [])],
    }
    place = result.positions.get(participant.id) if result is not None else None
    if place is None:
        return {**base, "in_map": False, "reason": payload.get("reason") or "too_few_answers"}
    return {
        **base,
        "in_map": True,
        "x": place[0],
        "y": place[1],
        "group": result.membership.get(participant.id),
    }
