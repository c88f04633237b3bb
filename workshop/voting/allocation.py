"""Points allocation: spread exactly P points (default 100) over the statements.

A ballot is ``{statement_id: points}`` without zero entries and sums to exactly P
(a phone refuses to send until nothing is left). A statement's score is the sum of
its points; its mean is that sum over the number of ballots.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .ballots import BallotError

DEFAULT_POINTS = 100
MAX_POINTS = 1000


def validate_points(raw: object, total: int, eligible: Collection[int]) -> dict[int, int]:
    """``{"<statement id>": n}`` with whole n ≥ 0 summing to ``total`` → ``{id: n}`` (n > 0)."""
    if not isinstance(raw, Mapping):
        raise BallotError("invalid_ballot", "points must be an object of statement id to points")
    ballot: dict[int, int] = {}
    for key, value in raw.items():
        try:
            if isinstance(key, bool):
                raise ValueError
            statement_id = int(str(key).strip())
        except ValueError:
            raise BallotError("invalid_ballot", f"'{key}' is not a statement id") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise BallotError(
                "invalid_ballot", f"points for statement {statement_id} must be a whole number"
            )
        if value < 0:
            raise BallotError(
                "invalid_ballot", f"points for statement {statement_id} cannot be negative"
            )
        if statement_id in ballot:
            raise BallotError("invalid_ballot", f"statement {statement_id} appears twice")
        if value == 0:
            continue
        if statement_id not in eligible:
            raise BallotError(
                "unknown_statement", f"statement {statement_id} is not on this ballot"
            )
        ballot[statement_id] = value
    given = sum(ballot.values())
    if given != total:
        raise BallotError(
            "points_total",
            f"spread exactly {total} points: this ballot gives {given}"
            + (f" ({given - total} too many)" if given > total else f" ({total - given} left)"),
        )
    return ballot


def item_result(per_group: Mapping[str, Mapping[int, int]]) -> dict:
    """The points of one statement, overall (``score`` = ``points``) and per group."""
    by_group = {g: sum(v * n for v, n in h.items()) for g, h in per_group.items()}
    total = sum(by_group.values())
    return {"score": total, "points": total, "by_group": by_group}


def mean_points(points: int, ballots: int) -> float:
    """Mean points a ballot gave the statement (0 without ballots)."""
    return round(points / ballots, 2) if ballots else 0.0
