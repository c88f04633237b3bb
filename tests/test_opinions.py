"""The opinion map's pure core (workshop/voting/opinions.py): no Flask, no database."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.voting.opinions import (
    Counts,
    KStability,
    VoteMatrix,
    adjusted_rand_index,
    bridging,
    opinion_map,
    representative,
    two_proportion_z,
    uncertain,
    vote_matrix,
)

STAKEHOLDERS = ("resident", "business", "official")


def planted(
    seed: int,
    n: int = 90,
    m: int = 24,
    camps: int = 3,
    noise: float = 0.12,
    missing: float = 0.2,
    opposed: bool = False,
) -> tuple[VoteMatrix, np.ndarray, dict[int, str]]:
    """Camps with opposite views on random statements, noise and skipped answers. The
    declared stakeholder group is independent of the camp (the divide cuts across)."""
    rng = np.random.default_rng(seed)
    profiles = rng.choice([-1.0, 1.0], size=(camps, m))
    if opposed:  # the second camp disagrees with whatever the first agrees with
        profiles[1] = -profiles[0]
    truth = np.arange(n) % camps
    rng.shuffle(truth)
    values = profiles[truth].copy()
    noisy = rng.random((n, m)) < noise
    values[noisy] = rng.choice([-1.0, 0.0, 1.0], size=int(noisy.sum()))
    values[rng.random((n, m)) < missing] = np.nan
    ids = tuple(7_000_001 + 17 * i for i in range(n))
    declared = {pid: STAKEHOLDERS[i % 3] for i, pid in enumerate(ids)}
    return VoteMatrix(ids, tuple(range(1, m + 1)), values), truth, declared


def labels_of(result, matrix: VoteMatrix) -> list:
    return [result.membership[pid] for pid in matrix.participants]


@pytest.mark.parametrize("camps", [2, 3])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_camps_across_stakeholder_groups_are_recovered(camps, seed):
    matrix, truth, declared = planted(seed, camps=camps)
    result = opinion_map(matrix, declared)
    assert result.k == camps
    assert adjusted_rand_index(truth, labels_of(result, matrix)) >= 0.9
    # Each opinion group mixes every stakeholder group: the divide is not the declared one.
    for group in result.groups:
        assert set(group["by_stakeholder_group"]) == set(STAKEHOLDERS)
        assert sum(group["by_stakeholder_group"].values()) == group["size"]


def test_a_statement_everyone_agrees_with_is_the_top_bridging_one():
    matrix, _, declared = planted(5, camps=2, opposed=True)
    values = np.hstack([matrix.values, np.ones((len(matrix.participants), 1))])
    values[::7, -1] = 0.0  # a few pass: still everyone's statement
    statements = (*matrix.statements, 99)
    result = opinion_map(VoteMatrix(matrix.participants, statements, values), declared)
    assert result.k == 2
    top = result.bridging[0]
    assert top["statement_id"] == 99
    assert set(top["by_opinion_group"]) == {str(g["id"]) for g in result.groups}
    assert top["consensus"] > 0.8 > result.bridging[1]["consensus"]


def test_k_stays_put_under_a_few_extra_random_ballots():
    matrix, _, declared = planted(7, camps=3)
    stability = KStability(required=3)
    first = opinion_map(matrix, declared, stability=stability)
    assert first.k == 3
    rng = np.random.default_rng(70)
    values, ids = matrix.values, list(matrix.participants)
    for extra in range(4):
        values = np.vstack([values, rng.choice([-1.0, 0.0, 1.0], size=(1, values.shape[1]))])
        ids.append(5000 + extra)
        again = opinion_map(
            VoteMatrix(tuple(ids), matrix.statements, values), declared, stability=stability
        )
        assert again.k == 3
        # Group ids stay with the same people: the first participants keep their group.
        kept = [again.membership[p] == first.membership[p] for p in matrix.participants]
        assert sum(kept) >= 0.9 * len(kept)


def test_k_changes_only_after_the_same_best_k_wins_three_times_in_a_row():
    stability = KStability(required=3)
    ks = (2, 3, 4, 5)
    assert stability.choose(3, ks) == 3  # the first computation is taken as it is
    assert [stability.choose(best, ks) for best in (4, 4, 2, 4, 4)] == [3, 3, 3, 3, 3]
    assert stability.choose(4, ks) == 4  # the third 4 in a row
    assert stability.choose(3, ks) == 4
    assert stability.choose(5, (2, 3)) == 5  # the shown k is no longer possible: follow


def test_representative_statements_match_the_hand_computed_table():
    # Statement 1: the group 5 agree / 0 disagree / 1 pass, the rest 1 / 4 / 1.
    #   group (1+5)/(2+6) = 0.75, rest (1+1)/(2+6) = 0.25, pooled (2+5+1)/(4+12) = 0.5,
    #   z = 0.5 / sqrt(0.5 * 0.5 * (1/8 + 1/8)) = 2.0 >= 1.2816: representative, agree.
    # Statement 2: the group 3 / 2 / 0, the rest 2 / 3 / 0: z = 0.5345, not representative.
    # Statement 3: the group 0 / 5 / 1, the rest 4 / 1 / 1: disagree,
    #   (1+5)/8 = 0.75 against (1+1)/8 = 0.25: z = 2.0 as for statement 1.
    group = [Counts(5, 0, 1), Counts(3, 2, 0), Counts(0, 5, 1)]
    rest = [Counts(1, 4, 1), Counts(2, 3, 0), Counts(4, 1, 1)]
    assert representative(group, rest, [1, 2, 3], limit=5) == [
        {
            "statement_id": 1,
            "direction": "agree",
            "agree_share": 0.75,
            "rest_agree_share": 0.25,
            "z": 2.0,
        },
        {
            "statement_id": 3,
            "direction": "disagree",
            "agree_share": 0.125,
            "rest_agree_share": 0.625,
            "z": 2.0,
        },
    ]
    assert two_proportion_z(3, 5, 2, 5) == pytest.approx(0.5345, abs=1e-4)
    # The rest, seen as a group: it disagrees with statement 1 (p = 5/8, rest 1/8).
    pooled = (2 + 4 + 0) / 16
    z = (5 / 8 - 1 / 8) / math.sqrt(pooled * (1 - pooled) * (1 / 8 + 1 / 8))
    found = representative(rest, group, [1, 2, 3], limit=5)
    assert found[0]["statement_id"] in (1, 3)
    assert {r["statement_id"]: r["z"] for r in found}[1] == round(z, 3)


def test_bridging_is_the_geometric_mean_of_the_groups_agree_probabilities():
    by_group = {0: [Counts(8, 0, 0), Counts(0, 8, 0)], 1: [Counts(2, 0, 0), Counts(8, 0, 0)]}
    rows = bridging(by_group, [10, 20])
    expected_10 = math.sqrt((9 / 10) * (3 / 4))
    expected_20 = math.sqrt((1 / 10) * (9 / 10))
    assert rows == [
        {
            "statement_id": 10,
            "consensus": round(expected_10, 4),
            "by_opinion_group": {"0": 0.9, "1": 0.75},
        },
        {
            "statement_id": 20,
            "consensus": round(expected_20, 4),
            "by_opinion_group": {"0": 0.1, "1": 0.9},
        },
    ]


def test_uncertain_statements_are_those_passed_by_more_than_30_percent():
    counts = [Counts(5, 2, 3), Counts(3, 3, 4), Counts(1, 1, 0), Counts(0, 0, 0)]
    assert uncertain(counts, [1, 2, 3, 4]) == [2]  # 3/10 is not more than 30 %


def test_too_few_participants_or_statements_is_a_reason_not_an_error():
    one = vote_matrix([(1, {1: 1, 2: -1})], [1, 2])
    assert opinion_map(one).as_dict() == {
        "participants_in_map": 1,
        "k": 0,
        "groups": [],
        "bridging": [],
        "uncertain": [],
        "points": [],
        "reason": "too_few_participants",
    }
    single = vote_matrix([(p, {1: 1}) for p in range(10)], [1])
    assert opinion_map(single).reason == "too_few_statements"
    empty = vote_matrix([], [1, 2, 3])
    assert opinion_map(empty).k == 0
    # Those with fewer than min(7, statements) answers are left off the map.
    sparse = vote_matrix([(p, {s: 1 for s in range(1, 7)}) for p in range(10)], range(1, 11))
    assert opinion_map(sparse).reason == "too_few_participants"


def test_everyone_voting_alike_has_no_groups():
    same = vote_matrix([(p, {1: 1, 2: -1, 3: 1}) for p in range(12)], [1, 2, 3])
    result = opinion_map(same)
    assert (result.k, result.groups, result.reason) == (0, [], "no_variation")


def test_groups_below_the_minimum_are_not_shown_and_their_dots_carry_no_group():
    matrix, _, declared = planted(11, n=40, camps=2)
    # Four people in a camp of their own.
    odd = np.tile(np.array([0.0, 1.0] * (matrix.values.shape[1] // 2)), (4, 1))
    values = np.vstack([matrix.values, odd])
    ids = (*matrix.participants, 1, 2, 3, 4)
    result = opinion_map(VoteMatrix(ids, matrix.statements, values), declared, min_group_size=5)
    assert all(g["size"] >= 5 for g in result.groups)
    shown = {g["id"] for g in result.groups}
    assert {p["group"] for p in result.points} <= shown | {None}
    assert len(result.points) == result.participants_in_map == 44


def test_the_payload_carries_no_participant_id():
    matrix, _, declared = planted(13)
    data = opinion_map(matrix, declared).as_dict()
    assert all(set(point) == {"x", "y", "group"} for point in data["points"])
    assert not any(str(pid) in repr(data) for pid in matrix.participants)
    # Dots are listed by position, not in the order participants joined.
    assert data["points"] == sorted(data["points"], key=lambda p: (p["x"], p["y"]))


def test_adjusted_rand_index():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 9, 9]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # A worked value: the contingency [[2, 1], [0, 3]] (sklearn gives 0.3243).
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]) == pytest.approx(
        0.3243, abs=1e-4
    )


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    camps=st.integers(2, 4),
    n=st.integers(8, 60),
    data=st.data(),
)
def test_the_order_participants_come_in_changes_nothing(seed, camps, n, data):
    matrix, _, declared = planted(seed, n=n, m=10, camps=camps, noise=0.3, missing=0.1)
    order = data.draw(st.permutations(range(n)))
    shuffled = VoteMatrix(
        tuple(matrix.participants[i] for i in order), matrix.statements, matrix.values[order]
    )
    first, second = opinion_map(matrix, declared), opinion_map(shuffled, declared)
    assert first.k == second.k
    assert sorted(g["size"] for g in first.groups) == sorted(g["size"] for g in second.groups)
    assert first.as_dict() == second.as_dict()
    assert first.membership == second.membership


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.dictionaries(st.integers(1, 9), st.sampled_from([-1, 0, 1]), min_size=0, max_size=9),
        min_size=0,
        max_size=40,
    ),
    min_size=st.integers(1, 6),
)
def test_any_ballots_give_a_consistent_map(rows, min_size):
    matrix = vote_matrix(enumerate(rows), range(1, 10))
    result = opinion_map(matrix, min_group_size=min_size)
    data = result.as_dict()
    assert 0 <= data["k"] <= 5
    assert all(g["size"] >= min_size for g in data["groups"])
    assert sum(g["size"] for g in data["groups"]) <= data["participants_in_map"]
    if data["k"] == 0:
        assert data["groups"] == [] and data["reason"]
    else:
        assert len(data["points"]) == data["participants_in_map"]
    for row in data["bridging"]:
        assert 0 < row["consensus"] < 1
