"""Participatory budget: pick statements whose costs fit the budget B.

A ballot is a selection ``{statement_id: 1}`` whose total cost is at most B; every
selected statement must have a cost. A statement's score is its number of votes.
The winners follow CONSUL's rule: in order of votes (ties: the older statement
first), take each statement that still fits what is left of B; statements without
votes are never funded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .ballots import BallotError

MAX_BUDGET = 10**12  # baht; a whole city budget fits


def validate_selection(
    raw: object, costs: Mapping[int, int | None], budget: int, eligible: Collection[int]
) -> dict[int, int]:
    """``[statement ids]`` whose costs sum to at most ``budget`` → ``{id: 1}``."""
    if not isinstance(raw, list):
        raise BallotError("invalid_ballot", "selection must be a list of statement ids")
    ballot: dict[int, int] = {}
    for key in raw:
        if isinstance(key, bool) or not isinstance(key, int):
            raise BallotError("invalid_ballot", "each selected statement id must be a whole number")
        if key in ballot:
            raise BallotError("repeated_statement", f"statement {key} is selected twice")
        if key not in eligible:
            raise BallotError("unknown_statement", f"statement {key} is not on this ballot")
        if costs.get(key) is None:
            raise BallotError("no_cost", f"statement {key} has no cost yet")
        ballot[key] = 1
    spent = sum(costs[key] or 0 for key in ballot)
    if spent > budget:
        raise BallotError(
            "over_budget", f"the selection costs {spent:,} baht but the budget is {budget:,} baht"
        )
    return ballot


def item_result(per_group: Mapping[str, Mapping[int, int]]) -> dict:
    """Votes of one statement, overall (``score`` = ``votes``) and per group."""
    by_group = {g: sum(n for v, n in h.items() if v) for g, h in per_group.items()}
    total = sum(by_group.values())
    return {"score": total, "votes": total, "by_group": by_group}


def funded(ranked: Iterable[tuple[int, int, int | None]], budget: int) -> list[int]:
    """The winners among ``(statement_id, votes, cost)``, already in order of votes.

    CONSUL's rule: take each statement that still fits what is left of ``budget``,
    skipping (not stopping at) one that does not fit.
    """
    left = budget
    winners: list[int] = []
    for statement_id, votes, cost in ranked:
        if votes <= 0 or cost is None:
            continue
        if cost <= left:
            winners.append(statement_id)
            left -= cost
    return winners
