"""Votes committed in batches (group commit): same outcomes as one at a time.

``cast_ballots`` stores a batch of vote writes in one transaction; the Socket.IO
handlers queue their writes for one writer task (``workshop/live/vote_queue.py``).
A batch must answer and store exactly what the same writes sent one by one
would: refused writes change nothing, resends answer from the stored ballot,
a participant's later write in the batch replaces its earlier one.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import events
from workshop.extensions import db
from workshop.live.tallies import live_tallies, load_tally
from workshop.live.vote_queue import commit_votes
from workshop.models import Ballot, Participant, VoteWrite, decode_entries
from workshop.services.ballot_rows import _Sql
from workshop.services.ballots import BallotResult, VoteRequest
from workshop.services.participation import participant_for_token
from workshop.services.workshops import get_workshop


def _ideas(api, room, n=3) -> list[int]:
    author = api.join(room["code"], "academia")
    return [
        api.statement(room["code"], author, room["brainstorm"], f"idea {i}", f"s{i}").json["id"]
        for i in range(n)
    ]


def _voters(app, api, room, groups) -> list[tuple[int, str]]:
    """Join one participant per group; returns (participant id, group)."""
    tokens = [(api.join(room["code"], g), g) for g in groups]
    with app.app_context():
        workshop = get_workshop(room["code"])
        return [(participant_for_token(workshop, t).id, g) for t, g in tokens]


def _open_vote(api, room) -> None:
    api.open(room["code"], room["vote"])


def _request(voter, workshop_id, activity_id, client_id, dots) -> VoteRequest:
    pid, group = voter
    payload = {"activity_id": activity_id, "client_id": client_id, "dots": dots}
    return VoteRequest(pid, workshop_id, group, payload)


def _stored(activity_id: int) -> dict[int, dict[int, int]]:
    rows = db.session.execute(
        select(Ballot.participant_id, Ballot.entries_json).where(Ballot.activity_id == activity_id)
    )
    return {pid: decode_entries(entries) for pid, entries in rows if entries != "{}"}


def test_one_batch_answers_each_write_on_its_own(app, api, room):
    park, bus, market = _ideas(api, room)
    _open_vote(api, room)
    a, b, c = _voters(app, api, room, ["residents", "academia", "residents"])
    with app.app_context():
        wid = get_workshop(room["code"]).id
        other = api.workshop(title="Elsewhere")  # a workshop this activity is not part of
        outsider = (a[0], a[1])
        batch = [
            _request(a, wid, room["vote"], "a1", {str(park): 2}),
            _request(b, wid, room["vote"], "b1", {"999999": 1}),  # not a statement here
            _request(a, wid, room["vote"], "a1", {str(bus): 5}),  # resend of a1
            _request(a, wid, room["vote"], "a2", {str(bus): 1}),  # a changes its ballot
            _request(c, wid, room["vote"], "c1", {str(market): 1}),
            _request(c, wid, "nope", "c2", {str(market): 1}),
            _request(outsider, wid + 1000, room["vote"], "x1", {str(park): 1}),
        ]
        outcomes = commit_votes(batch)
        assert [type(o).__name__ for o in outcomes] == [
            "BallotResult",
            "Invalid",
            "BallotResult",
            "BallotResult",
            "BallotResult",
            "NotFound",
            "NotFound",
        ]
        first, _, resend, change, third = outcomes[:5]
        assert first.changed and first.current == {park: 2} and first.seen.client_id == "a1"
        assert not resend.changed and resend.current == {park: 2}  # what a1 stored
        assert change.changed and change.previous == {park: 2} and change.current == {bus: 1}
        assert third.current == {market: 1}
        assert other["code"] != room["code"]
        # Stored: the last accepted write of each participant; b has no ballot.
        assert _stored(room["vote"]) == {a[0]: {bus: 1}, c[0]: {market: 1}}
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 2
        writes = db.session.scalars(select(VoteWrite.client_id).order_by(VoteWrite.id)).all()
        assert writes == ["a1", "a2", "c1"]
        # The live tally followed the batch exactly.
        live = live_tallies().get(room["vote"])
        assert live.snapshot() == load_tally(room["vote"]).snapshot()


def test_a_later_batch_sees_the_earlier_one(app, api, room):
    park, bus, _ = _ideas(api, room)
    _open_vote(api, room)
    (a,) = _voters(app, api, room, ["residents"])
    with app.app_context():
        wid = get_workshop(room["code"]).id
        commit_votes([_request(a, wid, room["vote"], "a1", {str(park): 1})])
        (again, new) = commit_votes(
            [
                _request(a, wid, room["vote"], "a1", {str(bus): 1}),
                _request(a, wid, room["vote"], "a2", {str(park): 1, str(bus): 1}),
            ]
        )
        assert not again.changed and again.current == {park: 1}
        assert new.previous == {park: 1} and new.current == {park: 1, bus: 1}
        assert _stored(room["vote"]) == {a[0]: {park: 1, bus: 1}}


# Writes: (voter index, client id index, statement index, dots); "-1" names no statement.
WRITES = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 4), st.integers(-1, 2), st.integers(-1, 4)),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES, cuts=st.lists(st.integers(1, 13), max_size=4))
def test_batches_equal_one_by_one(app, api, writes, cuts):
    """Hypothesis: any split of a write sequence into batches stores and answers exactly
    what the same writes one at a time do (two identical workshops compared)."""
    results = []
    for split in (True, False):
        workshop = api.workshop(title="Batch")
        code = workshop["code"]
        brainstorm = api.activity(code, kind="brainstorm", prompt="Ideas")
        vote = api.activity(
            code, kind="dot_vote", prompt="Vote", source_activity_id=brainstorm["id"]
        )
        api.open(code, brainstorm["id"])
        room = {"code": code, "brainstorm": brainstorm["id"], "vote": vote["id"]}
        ideas = _ideas(api, room)
        api.open(code, vote["id"])
        voters = _voters(app, api, room, ["residents", "academia", "residents"])
        with app.app_context():
            wid = get_workshop(code).id
            requests = [
                _request(
                    voters[v],
                    wid,
                    vote["id"],
                    f"c{c}",
                    {str(ideas[s]) if s >= 0 else "0": d} if d >= 0 else {},
                )
                for v, c, s, d in writes
            ]
            bounds = sorted({0, len(requests), *[c for c in cuts if c < len(requests)]})
            batches = (
                [requests[i:j] for i, j in zip(bounds, bounds[1:], strict=False)]
                if split
                else [[r] for r in requests]
            )
            answers = []
            for batch in batches:
                for outcome in commit_votes(batch):
                    if isinstance(outcome, BallotResult):
                        answers.append(
                            (
                                outcome.changed,
                                _by_index(outcome.current, ideas),
                                outcome.seen.client_id,
                            )
                        )
                    else:
                        answers.append(outcome.code)
            index = {pid: i for i, (pid, _) in enumerate(voters)}
            stored = {index[p]: _by_index(e, ideas) for p, e in _stored(vote["id"]).items()}
            live = live_tallies().get(vote["id"]).snapshot()
            recount = load_tally(vote["id"]).snapshot()
            assert live == recount
            results.append((answers, stored, _by_index(recount, ideas)))
    assert results[0] == results[1]


def _by_index(entries: dict, ideas: list[int]) -> dict:
    """Statement ids → their position in ``ideas`` (ids differ between the two workshops)."""
    return {ideas.index(k): v for k, v in entries.items()}


def test_socket_votes_from_many_threads_share_batches(app, api, room, sio_client):
    """Phones voting at once over Socket.IO: every vote acknowledged after its commit,
    all stored, in fewer transactions than votes."""
    park, bus, market = _ideas(api, room)
    _open_vote(api, room)
    queue = app.extensions["workshop_vote_queue"]
    queue.window = 0.05  # wide enough for the threads' votes to meet in one batch
    tokens = [api.join(room["code"], "residents") for _ in range(12)]
    phones = [sio_client({"workshop": room["code"], "token": t}) for t in tokens]
    acks: list = [None] * len(phones)

    def vote(i: int) -> None:
        acks[i] = phones[i].emit(
            "vote",
            {"activity_id": room["vote"], "client_id": f"v{i}", "dots": {str(park): 1 + i % 3}},
            callback=True,
        )

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(a and a["ok"] and a["changed"] for a in acks), acks
    assert [a["ballot"]["dots"] for a in acks] == [{str(park): 1 + i % 3} for i in range(12)]
    assert queue.batches < len(phones)  # some writes shared a transaction
    with app.app_context():
        assert len(_stored(room["vote"])) == len(phones)
        assert db.session.scalar(select(func.count()).select_from(VoteWrite)) == len(phones)
    assert bus and market


def test_a_full_queue_answers_busy_and_stores_nothing(app, api, room, sio_client):
    park, _, _ = _ideas(api, room)
    _open_vote(api, room)
    app.extensions["workshop_vote_queue"].max_depth = 0
    phone = sio_client({"workshop": room["code"], "token": api.join(room["code"])})
    events(phone, "state")
    ack = phone.emit(
        "vote",
        {"activity_id": room["vote"], "client_id": "v1", "dots": {str(park): 1}},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "busy"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_a_unique_violation_in_the_writers_sql_is_sqlalchemys_integrity_error(app, api, room):
    """The writer's statements run on the driver's cursor; a duplicate must still surface
    as ``sqlalchemy.exc.IntegrityError``, the error ``commit_votes`` retries on, and the
    rollback must leave nothing behind."""
    _open_vote(api, room)
    ((pid, _group),) = _voters(app, api, room, ["residents"])
    row = (pid, "same-write", room["vote"], "2026-11-27 09:00:00.000000")
    with app.app_context():
        with pytest.raises(IntegrityError):
            _Sql().many(
                "INSERT INTO vote_write (participant_id, client_id, activity_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                [row, row],
            )
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(VoteWrite)) == 0
        assert _Sql().run("SELECT count(*) FROM vote_write", ()) == [(0,)]


def test_a_resend_is_answered_with_the_ballot_exactly_as_first_acknowledged(api, room):
    """The stored time comes back in the same ISO form as when the ballot was written."""
    (park,) = _ideas(api, room, 1)
    _open_vote(api, room)
    token = api.join(room["code"], "residents")
    first = api.vote(room["code"], token, room["vote"], {str(park): 2}, "v1")
    again = api.vote(room["code"], token, room["vote"], {str(park): 3}, "v1")
    assert first.status_code == 200 and again.status_code == 200
    assert again.json == first.json
    assert "T" in first.json["updated_at"]
