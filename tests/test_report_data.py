"""The report's batched results equal ``activity_results``, activity by activity.

``all_activity_results`` (workshop/services/report_data.py) computes every activity of a
workshop from three grouped queries; ``activity_results`` (snapshots.py) is the
per-activity path the live pages use. Same workshop, same answer: merged duplicates
(chains too), hidden and pending statements, facilitator statements, voters from several
groups and from a group the workshop no longer lists, every vote kind.
"""

from __future__ import annotations

import gc
import json
import random
from dataclasses import dataclass
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from workshop.exports import render
from workshop.extensions import db
from workshop.models import (
    Ballot,
    Facilitator,
    Participant,
    Statement,
    Workshop,
    encode_entries,
)
from workshop.planning.workshop_plan import draft_plan, plan_dict
from workshop.services.report import build_report, collector_paused, export_report
from workshop.services.report_data import all_activity_results
from workshop.services.snapshots import activity_results
from workshop.services.workshops import ActivitySpec, add_activity, create_workshop

GROUPS = ["residents", "academia", "private_sector"]
VOTER_GROUPS = [*GROUPS, "former_group"]  # the last one is not (any more) in the workshop
VALUES = {
    "dot_vote": [1, 2, 3],
    "rank": [1, 2, 3],
    "agree": [1, -1, 0],
    "rating": [1, 2, 3, 4, 5],
    "poll": [1],
}
# (kind, source brainstorm index or None for a poll's own options, extra fields)
VOTES = [
    ("dot_vote", 0, {}),
    ("rank", 0, {"top_k": 2}),
    ("agree", 0, {}),
    ("rating", 0, {}),
    ("poll", None, {"options": ["รถเมล์", "bike lanes", "river walk"]}),
    ("dot_vote", 1, {}),
    ("agree", 1, {}),
    ("rating", 2, {}),  # on a brainstorm without statements
]
STATES = ("shown", "hidden", "pending", "merged")


@dataclass(frozen=True)
class StatementPlan:
    brainstorm: int  # 0 or 1 (brainstorm 2 stays empty)
    author: int | None  # a participant's index, None: the facilitator's
    state: str  # one of STATES
    target: int  # merged: into this one (modulo) of the earlier statements of its brainstorm


@dataclass(frozen=True)
class BallotPlan:
    voter: int
    vote: int  # index in VOTES
    picks: tuple[tuple[int, int], ...]  # (statement, value), both taken modulo


def build(statements: list[StatementPlan], ballots: list[BallotPlan], voters: int) -> Workshop:
    """A workshop made of these plans, flushed (not committed)."""
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == "r@example.org"))
    if facilitator is None:
        facilitator = Facilitator(email="r@example.org", password_hash="x")
        db.session.add(facilitator)
    workshop = create_workshop(facilitator, "Lampang", groups=GROUPS)
    workshop.consensus_min_group = 1  # a handful of voters reach every consensus level
    brainstorms = [
        add_activity(workshop, ActivitySpec(kind="brainstorm", prompt=f"Ideas {n}"))
        for n in range(3)
    ]
    votes = []
    for kind, source, extra in VOTES:
        source_id = brainstorms[source].id if source is not None else None
        spec = ActivitySpec(kind=kind, prompt=kind, source_activity_id=source_id, **extra)
        votes.append(add_activity(workshop, spec))
    people = []
    for n in range(voters):
        person = Participant(workshop=workshop, group=VOTER_GROUPS[n % 4], token_hash=f"{n:064x}")
        people.append(person)
    db.session.add_all(people)
    db.session.flush()

    made: dict[int, list[Statement]] = {0: [], 1: []}
    for n, plan in enumerate(statements):
        earlier = made[plan.brainstorm]
        statement = Statement(
            workshop_id=workshop.id,
            activity_id=brainstorms[plan.brainstorm].id,
            participant_id=people[plan.author % voters].id if plan.author is not None else None,
            text=f"idea {n} ข้อเสนอ",
            hidden=plan.state == "hidden",
            pending=plan.state == "pending",
            pinned=n % 5 == 0,
        )
        db.session.add(statement)
        db.session.flush()
        if plan.state == "merged" and earlier:  # chains happen: the target may be merged too
            statement.merged_into_id = earlier[plan.target % len(earlier)].id
        earlier.append(statement)
    db.session.flush()

    about: dict[int, list[int]] = {}
    for vote, (_kind, source, _extra) in zip(votes, VOTES, strict=True):
        activity_id = vote.id if source is None else brainstorms[source].id
        about[vote.id] = list(
            db.session.scalars(select(Statement.id).where(Statement.activity_id == activity_id))
        )
    entries: dict[tuple[int, int], dict[int, int]] = {}
    for plan in ballots:
        vote = votes[plan.vote]
        ids, values = about[vote.id], VALUES[vote.kind]
        if not ids:
            continue
        picked = entries.setdefault((plan.voter % voters, plan.vote), {})
        for statement, value in plan.picks:
            picked[ids[statement % len(ids)]] = values[value % len(values)]
    for (voter, vote_index), picked in entries.items():
        ballot = Ballot(
            activity_id=votes[vote_index].id,
            participant_id=people[voter].id,
            client_id=f"b{voter}-{vote_index}",
            entries_json=encode_entries(picked),
        )
        db.session.add(ballot)
    db.session.flush()
    db.session.expire_all()
    return workshop


def assert_same_results(workshop: Workshop) -> dict[int, dict]:
    batched, ballots = all_activity_results(workshop)
    assert list(batched) == [a.id for a in workshop.activities]
    for activity in workshop.activities:
        assert batched[activity.id] == activity_results(activity), activity.kind
    counted = db.session.scalar(
        select(func.count())
        .select_from(Ballot)
        .join(Ballot.participant)
        .where(Participant.workshop_id == workshop.id)
    )
    assert ballots == counted
    return batched


def seeded(seed: int, statements: int = 60, ballots: int = 160, voters: int = 24):
    rng = random.Random(seed)
    return (
        [
            StatementPlan(
                rng.randrange(2),
                rng.choice([None, *range(voters)]),
                rng.choices(STATES, [6, 1, 1, 2])[0],
                rng.randrange(100),
            )
            for _ in range(statements)
        ],
        [
            BallotPlan(
                rng.randrange(voters),
                rng.randrange(len(VOTES)),
                tuple((rng.randrange(100), rng.randrange(5)) for _ in range(rng.randint(0, 4))),
            )
            for _ in range(ballots)
        ],
        voters,
    )


def test_batched_results_equal_activity_results(app):
    with app.test_request_context("/"):
        workshop = build(*seeded(2026))
        batched = assert_same_results(workshop)
        # The same bytes too: the exports are made of these dicts, key order included.
        for activity in workshop.activities:
            expected = json.dumps(activity_results(activity), ensure_ascii=False)
            assert json.dumps(batched[activity.id], ensure_ascii=False) == expected
        # The example covers what it claims to.
        statements = db.session.scalars(
            select(Statement).where(Statement.workshop_id == workshop.id)
        ).all()
        merged = {s.merged_into_id for s in statements if s.merged_into_id}
        assert any(s.hidden for s in statements) and any(s.pending for s in statements)
        assert any(s.participant_id is None for s in statements)
        assert any(s.merged_into_id in merged for s in statements if s.merged_into_id), "a chain"
        for kind in VALUES:
            assert any(
                r["kind"] == kind and r["ballots"] and any(i["score"] for i in r["items"])
                for r in batched.values()
            ), kind
        by_group = next(r for r in batched.values() if r["kind"] == "dot_vote")["items"]
        assert any("former_group" in i["by_group"] for i in by_group)


def test_report_uses_the_batched_results_and_statement_texts(app):
    with app.test_request_context("/"):
        workshop = build(*seeded(7))
        plan, _created = draft_plan(workshop)
        report = build_report(workshop)
        for activity, result in zip(workshop.activities, report["activities"], strict=True):
            expected = activity_results(activity)
            assert {k: result[k] for k in expected} == expected
        assert report["participation"]["ballots"] == sum(a["ballots"] for a in report["activities"])
        assert report["plan"] == plan_dict(workshop, plan)  # texts given == texts loaded
        assert report["plan"]["vision"] is None or report["plan"]["vision"]["statement_text"]


statement_plans = st.builds(
    StatementPlan,
    st.integers(0, 1),
    st.none() | st.integers(0, 7),
    st.sampled_from(STATES),
    st.integers(0, 20),
)
ballot_plans = st.builds(
    BallotPlan,
    st.integers(0, 7),
    st.integers(0, len(VOTES) - 1),
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 4)), max_size=4).map(tuple),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    statements=st.lists(statement_plans, max_size=14),
    ballots=st.lists(ballot_plans, max_size=30),
    voters=st.integers(1, 8),
)
def test_any_workshop_gives_the_same_results_both_ways(app, statements, ballots, voters):
    with app.test_request_context("/"):
        try:
            assert_same_results(build(statements, ballots, voters))
        finally:
            db.session.rollback()


def test_votes_without_ballots_or_statements(app):
    with app.test_request_context("/"):
        workshop = build([], [], 1)
        batched = assert_same_results(workshop)
        assert {r["kind"] for r in batched.values()} == {"brainstorm", *VALUES}
        assert all(r["ballots"] == 0 for r in batched.values())


def test_export_report_renders_the_report_with_the_collector_paused(app, monkeypatch):
    import workshop.services.report as report_module

    collecting: list[bool] = []

    def spy(report: dict, fmt: str):
        collecting.append(gc.isenabled())
        return render(report, fmt)

    monkeypatch.setattr(report_module, "render", spy)
    with app.test_request_context("/"):
        workshop = build(*seeded(3, statements=10, ballots=20, voters=4))
        now = datetime(2026, 11, 26, 12, 0)
        for fmt in ("json", "csv", "md"):
            assert (
                export_report(workshop, fmt, now).body
                == render(build_report(workshop, now), fmt).body
            )
    assert collecting == [False, False, False]
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # paused by someone else before: left paused
    finally:
        gc.enable()
