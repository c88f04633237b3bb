"""Pure rules and tallies of matrix, points and budget (workshop/voting/)."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.voting import (
    BallotError,
    ScoringRules,
    Tally,
    allocation,
    budget,
    matrix,
    ranked_results,
)

GROUPS = ["gov", "residents", "business"]
ITEMS = range(1, 6)

placement = st.fixed_dictionaries({"x": st.integers(1, 5), "y": st.integers(1, 5)})
matrix_raw = st.dictionaries(st.integers(1, 5).map(str), placement, max_size=5)


def points_raw(total: int):
    """Raw point ballots that sum to ``total`` over statements 1–5."""
    return st.lists(st.integers(0, total), min_size=4, max_size=4).map(
        lambda cuts: _split(sorted(cuts), total)
    )


def _split(cuts: list[int], total: int) -> dict[str, int]:
    bounds = [0, *cuts, total]
    return {str(i + 1): bounds[i + 1] - bounds[i] for i in range(5)}


COSTS = {1: 400, 2: 300, 3: 250, 4: 100, 5: 50}
BUDGET = 600


def budget_raw():
    return (
        st.sets(st.integers(1, 5), max_size=5)
        .map(sorted)
        .filter(lambda ids: sum(COSTS[i] for i in ids) <= BUDGET)
    )


def validated(kind: str, raw) -> dict[int, int]:
    if kind == "matrix":
        return matrix.validate_placements(raw, set(ITEMS))
    if kind == "points":
        return allocation.validate_points(raw, 20, set(ITEMS))
    return budget.validate_selection(raw, COSTS, BUDGET, set(ITEMS))


RAW = {"matrix": matrix_raw, "points": points_raw(20), "budget": budget_raw()}


def _replay(kind, steps):
    live = Tally()
    current: dict[int, tuple[str, dict[int, int]]] = {}
    for voter, group, raw in steps:
        group, old = current.get(voter, (group, {}))
        ballot = validated(kind, raw)
        live.replace(group, old, ballot)
        current[voter] = (group, ballot)
    return live, current


@given(st.sampled_from(["matrix", "points", "budget"]), st.data())
def test_live_results_equal_recount(kind, data):
    """Casts and replacements in any order: live results == the results of a recount."""
    steps = data.draw(
        st.lists(st.tuples(st.integers(0, 6), st.sampled_from(GROUPS), RAW[kind]), max_size=30)
    )
    live, current = _replay(kind, steps)
    recount = Tally.from_ballots(current.values())
    rules = ScoringRules(kind, GROUPS)
    assert live.snapshot() == recount.snapshot()
    assert ranked_results(live, ITEMS, rules) == ranked_results(recount, ITEMS, rules)


@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(GROUPS), matrix_raw), max_size=30))
def test_matrix_results_are_the_means_and_spreads_of_the_placements(steps):
    live, current = _replay("matrix", steps)
    for item in ranked_results(live, ITEMS, ScoringRules("matrix", GROUPS)):
        placed = [
            (matrix.decode(b[item["statement_id"]]), g)
            for g, b in current.values()
            if item["statement_id"] in b
        ]
        assert item["count"] == len(placed)
        if not placed:
            assert item["quadrant"] is None and item["x_mean"] is None
            continue
        xs = [x for (x, _), _ in placed]
        ys = [y for (_, y), _ in placed]
        assert item["x_mean"] == round(statistics.fmean(xs), 3)
        assert item["y_mean"] == round(statistics.fmean(ys), 3)
        assert item["x_spread"] == pytest.approx(statistics.pstdev(xs), abs=1e-3)
        assert item["y_spread"] == pytest.approx(statistics.pstdev(ys), abs=1e-3)
        assert item["quadrant"] == matrix.quadrant(item["x_mean"], item["y_mean"])
        assert sum(g["count"] for g in item["by_group"].values()) == len(placed)


def test_quadrants():
    assert matrix.quadrant(5, 5) == "quick_wins"
    assert matrix.quadrant(3, 3) == "quick_wins"  # the midpoint counts as high
    assert matrix.quadrant(4, 2.9) == "major_projects"
    assert matrix.quadrant(2.99, 4) == "fill_ins"
    assert matrix.quadrant(1, 1) == "thankless"
    assert matrix.quadrant(None, 3) is None


@given(st.dictionaries(st.integers(1, 5).map(str), st.integers(0, 40), max_size=5))
def test_points_accepted_only_when_they_total_exactly(raw):
    total = sum(raw.values())
    try:
        ballot = allocation.validate_points(raw, 20, set(ITEMS))
    except BallotError as error:
        assert total != 20 and error.code == "points_total"
    else:
        assert total == 20 and sum(ballot.values()) == 20 and 0 not in ballot.values()


@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(GROUPS), points_raw(20)), max_size=30))
def test_points_sum_to_everything_given(steps):
    live, current = _replay("points", steps)
    ranked = ranked_results(live, ITEMS, ScoringRules("points", GROUPS))
    assert sum(i["points"] for i in ranked) == 20 * len(current)
    for item in ranked:
        assert item["points"] == item["score"] == sum(item["by_group"].values())


@given(st.lists(st.integers(1, 5), max_size=6))
def test_budget_selection_fits_or_is_refused(raw):
    try:
        ballot = budget.validate_selection(raw, COSTS, BUDGET, set(ITEMS))
    except BallotError as error:
        assert error.code in ("over_budget", "repeated_statement")
    else:
        assert sum(COSTS[i] for i in ballot) <= BUDGET and len(ballot) == len(raw)


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 1000)), min_size=0, max_size=8),
    st.integers(0, 2000),
)
def test_funded_follows_consuls_rule(rows, limit):
    ranked = sorted(((n, votes, cost) for n, (votes, cost) in enumerate(rows)), key=lambda r: -r[1])
    winners = budget.funded(ranked, limit)
    assert sum(cost for n, _, cost in ranked if n in winners) <= limit
    left = limit
    for n, votes, cost in ranked:  # each one with votes is taken exactly when it still fits
        if votes and cost <= left:
            assert n in winners
            left -= cost
        else:
            assert n not in winners


def test_budget_refusals_name_the_rule():
    with pytest.raises(BallotError) as over:
        budget.validate_selection([1, 2], COSTS, BUDGET, set(ITEMS))
    assert over.value.code == "over_budget" and "700" in over.value.message
    with pytest.raises(BallotError) as costless:
        budget.validate_selection([6], {**COSTS, 6: None}, BUDGET, {*ITEMS, 6})
    assert costless.value.code == "no_cost"
