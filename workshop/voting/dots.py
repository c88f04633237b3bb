"""Dot-vote ballot rules."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


class BallotError(ValueError):
    """A ballot that breaks the rules; ``code`` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DotRules:
    dots: int = 5  # budget: total dots a participant may place
    max_per_item: int = 3  # cap on one statement

    def __post_init__(self) -> None:
        if self.dots < 1 or self.max_per_item < 1:
            raise ValueError("dots and max_per_item must be positive")


def validate_dot_ballot(
    raw: Mapping[object, object], rules: DotRules, eligible: Collection[int]
) -> dict[int, int]:
    """Return ``{statement_id: dots}`` without zero entries, or raise :class:`BallotError`.

    ``raw`` comes straight from a client: keys may be strings of digits, values
    must be whole numbers (booleans are refused). ``eligible`` is the set of
    statement ids the participant may vote on.
    """
    if not isinstance(raw, Mapping):
        raise BallotError("invalid_ballot", "dots must be an object of statement id to count")
    ballot: dict[int, int] = {}
    for key, value in raw.items():
        try:
            statement_id = int(str(key).strip())
        except ValueError:
            raise BallotError("invalid_ballot", f"'{key}' is not a statement id") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise BallotError(
                "invalid_ballot", f"dots for statement {statement_id} must be a whole number"
            )
        if value < 0:
            raise BallotError(
                "invalid_ballot", f"dots for statement {statement_id} cannot be negative"
            )
        if statement_id in ballot:
            raise BallotError("invalid_ballot", f"statement {statement_id} appears twice")
        if value == 0:
            continue
        if statement_id not in eligible:
            raise BallotError(
                "unknown_statement", f"statement {statement_id} is not on this ballot"
            )
        if value > rules.max_per_item:
            raise BallotError(
                "over_item_cap",
                f"at most {rules.max_per_item} dots on one statement "
                f"(statement {statement_id} has {value})",
            )
        ballot[statement_id] = value
    total = sum(ballot.values())
    if total > rules.dots:
        raise BallotError("over_budget", f"{total} dots placed but only {rules.dots} available")
    return ballot
