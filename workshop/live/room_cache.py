"""The room state a phone is sent when it connects, built once per change, not per phone.

When the doors open, 2,000 phones connect within seconds and each is sent the same room
state (the workshop, the current activity, its statements): building it is a handful of
queries, ORM objects for every statement and Babel lookups, 80 % of a connect's CPU
(docs/performance.md, "Doors-open rush"). This module keeps the last one built per
workshop and language, and forgets every one of them whenever a transaction that wrote
to a table that might be in it commits. The tables the state never shows are listed in
``IGNORED`` (ballots, their writes, audit entries), and new participants (a join) do not
change it; every other write (any table, including ones added later) invalidates it, so
a forgotten dependency costs a rebuild, never a stale state.

Invalidation is by a process-wide generation number: a write marks its connection, and
its commit bumps the number twice, when the commit starts and when the connection goes
back to the pool (after the commit is done, so a state built while a commit was in
flight is never kept). A state is stored with the number read before building it and
used only while the number has not moved. Writes of another process are not seen, so
with a message queue (several processes) the cache is off and every connect builds its
state. The time-dependent field (``remaining_seconds``) is computed on every use.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from ..models import utcnow

IGNORED = frozenset({"ballot", "vote_write", "audit_entry"})
INSERT_ONLY_IGNORED = frozenset({"participant"})
_WRITE = re.compile(
    r"\s*(?:(INSERT)(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|(REPLACE)\s+INTO)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
_MARK = "workshop_room_cache_dirty"

_lock = threading.Lock()
_generation = [0]
_installed: list[bool] = []


def generation() -> int:
    return _generation[0]


def bump() -> None:
    """Forget every cached state (also for tests and for writes made outside SQLAlchemy)."""
    with _lock:
        _generation[0] += 1


def touches_state(statement: str) -> bool:
    """Whether this SQL statement writes to a table that a room state may show."""
    match = _WRITE.match(statement)
    if match is None:
        return (
            not statement.lstrip()[:6]
            .upper()
            .startswith(("SELECT", "PRAGMA", "SAVEPO", "RELEAS", "BEGIN", "COMMIT", "ROLLBA"))
        )
    table = match.group(3).lower()
    if table in IGNORED:
        return False
    return not (table in INSERT_ONLY_IGNORED and match.group(1))


def _before_execute(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
    if not conn.info.get(_MARK) and touches_state(statement):
        conn.info[_MARK] = True


def _on_commit(conn) -> None:
    if conn.info.get(_MARK):
        conn.info[_MARK] = "committing"
        bump()


def _on_rollback(conn) -> None:
    conn.info.pop(_MARK, None)


def _on_checkin(dbapi_connection, record) -> None:  # noqa: ARG001
    if record is not None and record.info.pop(_MARK, None) == "committing":
        bump()


def install() -> None:
    """Listen to every engine's writes and commits (once per process)."""
    with _lock:
        if _installed:
            return
        _installed.append(True)
    event.listen(Engine, "before_cursor_execute", _before_execute)
    event.listen(Engine, "commit", _on_commit)
    event.listen(Engine, "rollback", _on_rollback)
    event.listen(Pool, "checkin", _on_checkin)


def enabled() -> bool:
    return not current_app.config.get("MESSAGE_QUEUE") and not current_app.config.get(
        "ROOM_CACHE_OFF"
    )


def room_state(workshop) -> tuple[dict, dict]:
    """(the room state, facts of its current activity) for this workshop, from the cache
    while nothing changed. The dict is shared: copy before changing it."""
    from ..services import snapshots

    if not enabled():
        return snapshots.room_state(workshop), _facts(workshop.current_activity)
    store = _store()
    seen = generation()
    entry = store.get(_key(workshop.id))
    if entry is None or entry[0] != seen or _expired(entry):
        state = snapshots.room_state(workshop)
        entry = (seen, state, _facts(workshop.current_activity), _flips_at(workshop))
        if len(store) > 512:
            store.clear()
        store[_key(workshop.id)] = entry
        store[("code", workshop.code)] = (seen, workshop.id, workshop.code)
    return _fresh(entry[1], entry[2])


def lookup(code: str) -> tuple[int, str, dict, dict] | None:
    """(workshop id, its code, room state, facts) for this short code when all are cached
    and unchanged; None: load the workshop (and build the state) as usual."""
    from ..services.workshops import normalise_code

    if not enabled() or len(code) > 32:
        return None
    store = _store()
    seen = generation()
    ids = store.get(("code", normalise_code(code)))
    if ids is None or ids[0] != seen:
        return None
    entry = store.get(_key(ids[1]))
    if entry is None or entry[0] != seen or _expired(entry):
        return None
    state, facts = _fresh(entry[1], entry[2])
    return ids[1], ids[2], state, facts


def _flips_at(workshop) -> datetime | None:
    """When the state changes by itself: the first online window to end (phones are shown
    a vote open online until then; workshop/channels/)."""
    now = utcnow()
    ends = [
        a.online_until
        for a in workshop.activities
        if getattr(a, "online_until", None) is not None and a.online_until > now
    ]
    return min(ends) if ends else None


def _expired(entry: tuple) -> bool:
    return entry[3] is not None and utcnow() >= entry[3]


def _store() -> dict:
    return current_app.extensions.setdefault("workshop_room_cache", {})


def _key(workshop_id: int) -> tuple:
    from flask_babel import get_locale

    from ..netinfo import public_base_url

    return (workshop_id, str(get_locale() or ""), public_base_url())


def _fresh(state: dict, facts: dict) -> tuple[dict, dict]:
    """The cached state with its countdown computed now."""
    ends_at: datetime | None = facts["ends_at"]
    if ends_at is not None and state["current_activity"] is not None:
        state = dict(state)
        state["current_activity"] = dict(
            state["current_activity"],
            remaining_seconds=max(0, int((ends_at - utcnow()).total_seconds())),
        )
    return state, facts


def _facts(activity) -> dict:
    if activity is None:
        return {"id": None, "kind": None, "is_vote": False, "ends_at": None}
    return {
        "id": activity.id,
        "kind": activity.kind,
        "is_vote": activity.is_vote,
        "ends_at": activity.ends_at,
        "results_revealed": activity.results_revealed,
        "projector_results": activity.projector_results,
    }


def may_see_tally(facts: dict, role: str) -> bool:
    """``broadcast.may_see_tally`` from the cached facts (no activity loaded)."""
    if not facts["is_vote"]:
        return False
    if role == "facilitator":
        return True
    if role == "presenter":
        return bool(facts["projector_results"])
    return bool(facts["results_revealed"])


def attendee_for_token(
    workshop_id: int, token: str | None
) -> tuple[int, str, str | None, str]:
    """(participant id, group, name, kind) of this workshop's participant with this token, in
    one plain query; the refusals of ``participation.participant_for_token``. ``kind`` is
    ``phone``, or ``assisted`` for an attendee a helper registered (workshop/channels/)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Participant
    from ..models.base import hash_token
    from ..services.errors import Unauthorized

    if not token:
        raise Unauthorized("join the workshop first", "not_joined")
    row = db.session.execute(
        select(
            Participant.id,
            Participant.workshop_id,
            Participant.group,
            Participant.name,
            Participant.kind,
        ).where(Participant.token_hash == hash_token(token))
    ).first()
    if row is None or row.workshop_id != workshop_id:
        raise Unauthorized("not a participant of this workshop", "not_joined")
    return row.id, row.group, row.name, row.kind or "phone"


def personal_state(
    state: dict, facts: dict, participant_id: int, group: str | None, name: str | None
) -> dict:
    """The room state with this participant's own part (``me``, ``my_ballot``, as
    ``snapshots.participant_state`` makes them): one query for the ballot."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Ballot
    from ..services.snapshots import ballot_dict

    personal = dict(state)
    personal["me"] = {"participant_id": participant_id, "group": group, "name": name}
    if facts["is_vote"]:
        ballot = db.session.scalars(
            select(Ballot).where(
                Ballot.activity_id == facts["id"], Ballot.participant_id == participant_id
            )
        ).first()
        personal["my_ballot"] = ballot_dict(ballot, facts["kind"]) if ballot else None
    return personal
