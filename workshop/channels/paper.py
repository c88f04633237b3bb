"""Paper ballots: printed codes with a check, keyed once each, counted like a phone's.

A printed ballot carries a short code ``NNNN-CC``: a serial number and two check digits
(an HMAC of the activity and the serial under the app's secret). A code mistyped at the
entry desk fails its check and is refused (422) instead of counting a ballot nobody cast;
a code keyed twice is refused (409: the unique ``(activity_id, paper_code)`` of ``ballot``).

Each keyed ballot is a participant of kind ``paper`` (one sheet, one person, one vote) whose
ballot has channel ``paper``. Paper participants are never counted among those present.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..live.tallies import live_tallies
from ..models import Activity, Ballot, Participant, VoteWrite, Workshop, hash_token, new_token
from ..services.ballots import VOTE_KINDS, VoteRequest, cast_ballots
from ..services.errors import Conflict, Invalid, NotFound, ServiceError

MAX_SERIAL = 9999
_CODE = re.compile(r"^\s*(\d{1,4})\s*-?\s*(\d{2})\s*$")


def _check(activity_id: int, serial: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"paper:{activity_id}:{serial}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 100:02d}"


def ballot_code(activity_id: int, serial: int) -> str:
    """The code printed on ballot number ``serial`` (1..9999) of an activity."""
    return f"{serial:04d}-{_check(activity_id, serial)}"


def parse_code(activity: Activity, text: object) -> str:
    """The normalised code, if ``text`` is one printed for this activity; else 422."""
    match = _CODE.match(text) if isinstance(text, str) else None
    if match is None:
        raise Invalid(
            "a ballot code is 4 digits, a dash and 2 digits, e.g. 0007-42", "invalid_code"
        )
    serial = int(match.group(1))
    if not 1 <= serial <= MAX_SERIAL or not hmac.compare_digest(
        match.group(2), _check(activity.id, serial)
    ):
        raise Invalid("this is not a code printed for this vote: check it", "invalid_code")
    return ballot_code(activity.id, serial)


@dataclass
class Keyed:
    activity_id: int
    code: str
    group: str
    entries: dict[int, int]


def vote_activity(workshop: Workshop, activity_id: object) -> Activity:
    try:
        ident = int(activity_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such activity in this workshop", "activity_not_found") from None
    activity = db.session.get(Activity, ident)
    if activity is None or activity.workshop_id != workshop.id:
        raise NotFound("no such activity in this workshop", "activity_not_found")
    if activity.kind not in VOTE_KINDS:
        raise Invalid(f"a {activity.kind} takes no ballots", "wrong_kind")
    return activity


def check_group(workshop: Workshop, group: object) -> str:
    if not isinstance(group, str) or group not in workshop.groups:
        raise Invalid("choose one of this workshop's stakeholder groups", "invalid_group")
    return group


def key_ballot(workshop: Workshop, body: dict) -> Keyed:
    """Store one paper ballot and commit it (the tally follows under its lock).

    ``body``: ``activity_id``, ``ballot_code``, ``group`` and the kind's field, as a
    phone's vote. Invalid: 422, nothing stored; a code keyed before: 409.
    """
    activity = vote_activity(workshop, body.get("activity_id"))
    code = parse_code(activity, body.get("ballot_code"))
    group = check_group(workshop, body.get("group"))
    if _keyed(activity.id, code) is not None:
        raise Conflict(f"ballot {code} was keyed already", "ballot_code_used")
    tallies = live_tallies()
    with tallies.writing():
        try:
            entries = _store(workshop, activity, code, group, body)
            db.session.commit()
        except IntegrityError:
            # The same code keyed at the same moment at another desk: that one won.
            db.session.rollback()
            raise Conflict(f"ballot {code} was keyed already", "ballot_code_used") from None
        tallies.apply(activity.id, group, {}, entries, "paper")
    return Keyed(activity.id, code, group, entries)


def _store(workshop: Workshop, activity: Activity, code: str, group: str, body: dict) -> dict:
    """The paper participant and its ballot, flushed; returns the ballot's entries."""
    participant = Participant(
        workshop=workshop, group=group, kind="paper", token_hash=hash_token(new_token())
    )
    db.session.add(participant)
    db.session.flush()
    payload = {**body, "activity_id": activity.id, "client_id": f"paper:{code}"}
    request = VoteRequest(participant.id, workshop.id, group, payload, "paper", code)
    (outcome,) = cast_ballots([request])
    if isinstance(outcome, ServiceError):
        raise outcome
    if not outcome.current:
        raise Invalid("this ballot names nothing: key its marks", "empty_ballot")
    return outcome.current


def _keyed(activity_id: int, code: str) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(Ballot.activity_id == activity_id, Ballot.paper_code == code)
    )


def undo_ballot(workshop: Workshop, activity_id: object, text: object) -> Keyed:
    """Take a keyed paper ballot back out (the entry page's undo); commits."""
    activity = vote_activity(workshop, activity_id)
    code = parse_code(activity, text)
    ballot = _keyed(activity.id, code)
    if ballot is None:
        raise NotFound(f"ballot {code} was not keyed", "ballot_not_found")
    participant_id, entries = ballot.participant_id, ballot.as_entries()
    group = ballot.participant.group
    tallies = live_tallies()
    with tallies.writing():
        db.session.delete(ballot)
        db.session.execute(delete(VoteWrite).where(VoteWrite.participant_id == participant_id))
        db.session.execute(delete(Participant).where(Participant.id == participant_id))
        db.session.commit()
        tallies.apply(activity.id, group, entries, {}, "paper")
    return Keyed(activity.id, code, group, entries)


def keyed_ballots(activity: Activity) -> list[dict]:
    """The paper ballots keyed for an activity, newest first (the entry page's count)."""
    rows = db.session.execute(
        select(Ballot.paper_code, Participant.group, Ballot.created_at)
        .join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.activity_id == activity.id, Ballot.paper_code.is_not(None))
        .order_by(Ballot.id.desc())
    ).all()
    return [{"ballot_code": c, "group": g, "keyed_at": t.isoformat()} for c, g, t in rows]
