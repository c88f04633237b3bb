"""Pure tallying: dot ballot rules, running tallies, ranking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.voting import BallotError, DotRules, GroupTally, rank_items, validate_dot_ballot

RULES = DotRules(dots=5, max_per_item=3)
ELIGIBLE = {1, 2, 3}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, {}),
        ({"1": 3, "2": 2}, {1: 3, 2: 2}),
        ({1: 1, "3": 0}, {1: 1}),  # zeros are dropped
        ({" 2 ": 3}, {2: 3}),
        ({"1": 0, "99": 0}, {}),  # a zero on an unknown statement is harmless
    ],
)
def test_valid_ballots(raw, expected):
    assert validate_dot_ballot(raw, RULES, ELIGIBLE) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"1": 3, "2": 3}, "over_budget"),
        ({"1": 4}, "over_item_cap"),
        ({"99": 1}, "unknown_statement"),
        ({"x": 1}, "invalid_ballot"),
        ({"1": -1}, "invalid_ballot"),
        ({"1": 1.5}, "invalid_ballot"),
        ({"1": "2"}, "invalid_ballot"),
        ({"1": True}, "invalid_ballot"),
        ({"1": None}, "invalid_ballot"),
        ({"1": 1, 1: 1}, "invalid_ballot"),  # the same statement twice
        ([("1", 1)], "invalid_ballot"),
    ],
)
def test_invalid_ballots(raw, code):
    with pytest.raises(BallotError) as caught:
        validate_dot_ballot(raw, RULES, ELIGIBLE)
    assert caught.value.code == code
    assert caught.value.message


def test_rules_must_be_positive():
    with pytest.raises(ValueError):
        DotRules(dots=0)


def test_rank_items_ties_share_a_rank_and_keep_order():
    ranked = rank_items([1, 2, 3, 4], {1: 2, 2: 5, 3: 2}, {2: {"a": 5}}, ["a", "b"])
    assert [(i.statement_id, i.score, i.rank) for i in ranked] == [
        (2, 5, 1),
        (1, 2, 2),
        (3, 2, 2),
        (4, 0, 4),
    ]
    assert ranked[0].by_group == {"a": 5, "b": 0}
    assert ranked[3].by_group == {"a": 0, "b": 0}


GROUPS = ["gov", "residents", "business"]
ballot_strategy = st.dictionaries(st.integers(1, 6), st.integers(1, 3), max_size=4)
events_strategy = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(GROUPS), ballot_strategy), max_size=40
)


@given(events_strategy)
def test_running_tally_equals_recount(events):
    """Any sequence of casts, replacements and retractions: live tally == recount."""
    live = GroupTally()
    current: dict[int, tuple[str, dict[int, int]]] = {}
    for voter, group, ballot in events:
        group = current.get(voter, (group, {}))[0]  # a voter keeps their group
        old = current.get(voter, (group, {}))[1]
        live.replace(group, old, ballot)
        current[voter] = (group, ballot)
    recount = GroupTally.from_ballots(current.values())
    assert live.as_dict() == recount.as_dict()
    for statement_id, (score, by_group) in live.as_dict().items():
        assert score == sum(by_group.values())
        assert score == sum(b.get(statement_id, 0) for _, b in current.values())


@given(st.dictionaries(st.integers(1, 5), st.integers(0, 5), max_size=5))
def test_validation_never_exceeds_limits(raw):
    try:
        ballot = validate_dot_ballot(raw, RULES, {1, 2, 3, 4, 5})
    except BallotError:
        return
    assert sum(ballot.values()) <= RULES.dots
    assert all(1 <= v <= RULES.max_per_item for v in ballot.values())
