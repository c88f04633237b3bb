"""Pure tallying: dot ballot rules, running tallies, ranking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.voting import (
    AgreeCounts,
    BallotError,
    DotRules,
    ScoringRules,
    Tally,
    consensus,
    ranked_results,
    validate_agree,
    validate_choices,
    validate_dot_ballot,
    validate_ranking,
    validate_ratings,
)

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


def test_ranking_ties_share_a_rank_and_keep_order():
    tally = Tally.from_ballots([("a", {2: 3, 1: 2}), ("a", {2: 2}), ("b", {3: 2})])
    ranked = ranked_results(tally, [1, 2, 3, 4], ScoringRules("dot_vote", ["a", "b"]))
    assert [(i["statement_id"], i["score"], i["rank"]) for i in ranked] == [
        (2, 5, 1),
        (1, 2, 2),
        (3, 2, 2),
        (4, 0, 4),
    ]
    assert ranked[0]["by_group"] == {"a": 5, "b": 0}
    assert ranked[3]["by_group"] == {"a": 0, "b": 0}


GROUPS = ["gov", "residents", "business"]
ballot_strategy = st.dictionaries(st.integers(1, 6), st.integers(1, 3), max_size=4)
events_strategy = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(GROUPS), ballot_strategy), max_size=40
)


@given(events_strategy)
def test_running_tally_equals_recount(events):
    """Any sequence of casts, replacements and retractions: live tally == recount."""
    live = Tally()
    current: dict[int, tuple[str, dict[int, int]]] = {}
    for voter, group, ballot in events:
        group = current.get(voter, (group, {}))[0]  # a voter keeps their group
        old = current.get(voter, (group, {}))[1]
        live.replace(group, old, ballot)
        current[voter] = (group, ballot)
    recount = Tally.from_ballots(current.values())
    assert live.snapshot() == recount.snapshot()
    rules = ScoringRules("dot_vote", GROUPS)
    for item in ranked_results(live, range(1, 7), rules):
        expected = sum(b.get(item["statement_id"], 0) for _, b in current.values())
        assert item["score"] == expected == sum(item["by_group"].values())


@given(st.dictionaries(st.integers(1, 5), st.integers(0, 5), max_size=5))
def test_validation_never_exceeds_limits(raw):
    try:
        ballot = validate_dot_ballot(raw, RULES, {1, 2, 3, 4, 5})
    except BallotError:
        return
    assert sum(ballot.values()) <= RULES.dots
    assert all(1 <= v <= RULES.max_per_item for v in ballot.values())


# --- rankings, agree, ratings, polls -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [([], {}), ([3], {3: 1}), ([2, 1, 3], {2: 1, 1: 2, 3: 3})],
)
def test_valid_rankings(raw, expected):
    assert validate_ranking(raw, 3, ELIGIBLE) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ([1, 1], "repeated_statement"),
        ([1, 2, 3, 1], "too_many_ranked"),
        ([99], "unknown_statement"),
        (["1"], "invalid_ballot"),
        ([True], "invalid_ballot"),
        ({"1": 1}, "invalid_ballot"),
    ],
)
def test_invalid_rankings(raw, code):
    with pytest.raises(BallotError) as caught:
        validate_ranking(raw, 3, ELIGIBLE)
    assert caught.value.code == code


def test_borda_scores():
    # K = 3: place 1 scores 3, place 3 scores 1, unranked 0.
    tally = Tally.from_ballots([("a", {1: 1, 2: 2, 3: 3}), ("b", {3: 1}), ("b", {2: 1, 1: 2})])
    ranked = ranked_results(tally, [1, 2, 3], ScoringRules("rank", ["a", "b"], top_k=3))
    assert {i["statement_id"]: i["score"] for i in ranked} == {1: 5, 2: 5, 3: 4}
    assert {i["statement_id"]: i["by_group"]["b"] for i in ranked} == {1: 2, 2: 3, 3: 3}
    assert [i["rank"] for i in ranked] == [1, 1, 3]


@pytest.mark.parametrize(
    ("statement_id", "value", "code"),
    [
        (1, 2, "invalid_value"),
        (1, True, "invalid_ballot"),
        (1, "1", "invalid_ballot"),
        (99, 1, "unknown_statement"),
        ("x", 1, "invalid_ballot"),
        (1, None, "invalid_ballot"),
    ],
)
def test_invalid_agree(statement_id, value, code):
    with pytest.raises(BallotError) as caught:
        validate_agree(statement_id, value, ELIGIBLE)
    assert caught.value.code == code


def test_valid_agree_ratings_and_choices():
    assert validate_agree(2, -1, ELIGIBLE) == (2, -1)
    assert validate_ratings({"1": 5, "2": 1}, ELIGIBLE) == {1: 5, 2: 1}
    assert validate_choices([1, 3], True, ELIGIBLE) == {1: 1, 3: 1}
    assert validate_choices([], False, ELIGIBLE) == {}
    for raw, code in [
        ({"1": 0}, "invalid_value"),
        ({"1": 6}, "invalid_value"),
        ({"9": 3}, "unknown_statement"),
        ([1], "invalid_ballot"),
    ]:
        with pytest.raises(BallotError) as caught:
            validate_ratings(raw, ELIGIBLE)
        assert caught.value.code == code
    for raw, multiple, code in [
        ([1, 2], False, "too_many_choices"),
        ([1, 1], True, "repeated_choice"),
        ([9], True, "unknown_option"),
        ("1", True, "invalid_ballot"),
    ]:
        with pytest.raises(BallotError) as caught:
            validate_choices(raw, multiple, ELIGIBLE)
        assert caught.value.code == code


def test_rating_statistics():
    tally = Tally.from_ballots([("a", {1: 5}), ("a", {1: 4}), ("b", {1: 1}), ("b", {1: 4})])
    (item,) = ranked_results(tally, [1], ScoringRules("rating", ["a", "b"]))
    assert item["count"] == 4 and item["mean"] == 3.5 and item["median"] == 4.0
    assert item["spread"] == pytest.approx(1.5)  # population standard deviation
    assert item["by_group"]["a"]["mean"] == 4.5 and item["by_group"]["b"]["count"] == 2
    assert item["distribution"] == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}


def test_poll_counts_choices():
    tally = Tally.from_ballots([("a", {10: 1}), ("b", {10: 1, 11: 1}), ("b", {11: 1})])
    ranked = ranked_results(tally, [10, 11, 12], ScoringRules("poll", ["a", "b"]))
    assert [(i["statement_id"], i["score"]) for i in ranked] == [(10, 2), (11, 2), (12, 0)]


def counts(agree, disagree, passed=0):
    return AgreeCounts(agree, disagree, passed)


@pytest.mark.parametrize(
    ("groups", "level", "minimum"),
    [
        ({}, "insufficient", None),
        ({"gov": counts(3, 0)}, "insufficient", 1.0),  # one group qualifies
        ({"gov": counts(3, 0), "res": counts(2, 0)}, "insufficient", 1.0),  # res has 2 answers
        ({"gov": counts(3, 0), "res": counts(3, 2)}, "consensus", 0.6),  # 3/5 is exactly 0.6
        ({"gov": counts(3, 0), "res": counts(2, 1, 1)}, "mixed", 0.5),
        ({"gov": counts(4, 1), "res": counts(0, 3)}, "divisive", 0.0),
        ({"gov": counts(2, 2, 1), "res": counts(1, 1, 1)}, "mixed", pytest.approx(1 / 3)),
        ({"a": counts(3, 0), "b": counts(3, 0), "c": counts(0, 0, 3)}, "mixed", 0.0),
        ({"a": counts(5, 0), "b": counts(1, 4), "c": counts(3, 0)}, "divisive", 0.2),
    ],
)
def test_consensus_levels(groups, level, minimum):
    verdict = consensus(groups, threshold=0.6, min_members=3)
    assert verdict.level == level
    assert verdict.min_group_agreement == minimum


def test_consensus_settings_are_respected():
    groups = {"gov": counts(2, 0), "res": counts(2, 0)}
    assert consensus(groups, 0.6, 3).level == "insufficient"
    assert consensus(groups, 0.6, 2).level == "consensus"
    groups = {"gov": counts(7, 3), "res": counts(7, 3)}
    assert consensus(groups, 0.6, 3).level == "consensus"
    assert consensus(groups, 0.8, 3).level == "mixed"


def test_agree_results_sort_by_level_then_min_agreement():
    ballots = []
    for group in ("gov", "res"):
        ballots += [(group, {1: 1, 2: 1, 3: 1})] * 3  # 1, 2 and 3: everyone agrees
    ballots += [("gov", {2: -1}), ("res", {3: 0})] * 1
    ballots += [("gov", {4: 1})] * 3 + [("res", {4: -1})] * 3  # 4 is divisive
    tally = Tally.from_ballots(ballots)
    ranked = ranked_results(tally, [4, 3, 2, 1], ScoringRules("agree", ["gov", "res"]))
    # 2 and 3 tie on min agreement (0.75); 3 has more net agreement (6 vs 5).
    assert [i["statement_id"] for i in ranked] == [1, 3, 2, 4]
    assert [i["consensus"]["level"] for i in ranked] == ["consensus"] * 3 + ["divisive"]
    assert ranked[2]["by_group"]["gov"] == {"agree": 3, "disagree": 1, "pass": 0}
    assert ranked[0]["agree"] == 6 and ranked[3]["disagree"] == 3


KINDS = ["dot_vote", "rank", "agree", "rating", "poll"]
value_strategy = {
    "dot_vote": st.integers(1, 3),
    "rank": st.integers(1, 3),
    "agree": st.sampled_from([1, -1, 0]),
    "rating": st.integers(1, 5),
    "poll": st.just(1),
}


@given(st.sampled_from(KINDS), st.data())
def test_live_results_equal_recount_for_every_kind(kind, data):
    """Casts, replacements and retractions in any order: live results == results of a recount."""
    ballots = st.dictionaries(st.integers(1, 5), value_strategy[kind], max_size=4)
    steps = data.draw(
        st.lists(st.tuples(st.integers(0, 6), st.sampled_from(GROUPS), ballots), max_size=30)
    )
    live = Tally()
    current: dict[int, tuple[str, dict[int, int]]] = {}
    for voter, group, ballot in steps:
        group, old = current.get(voter, (group, {}))
        live.replace(group, old, ballot)
        current[voter] = (group, ballot)
    rules = ScoringRules(kind, GROUPS, top_k=3, min_members=2)
    recount = Tally.from_ballots(current.values())
    assert ranked_results(live, range(1, 6), rules) == ranked_results(recount, range(1, 6), rules)
