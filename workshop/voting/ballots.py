"""Ballot rules per activity kind: raw client input in, clean ``{item_id: value}`` out.

Every validator raises :class:`BallotError` with a machine-readable code and
a sentence for the phone; nothing here touches a database.
"""

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


def _whole(value: object, what: str, *args: object) -> int:
    """``value`` if it is a whole number; ``what`` (formatted with ``args`` only when the
    error is raised) names it in the error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BallotError("invalid_ballot", f"{what.format(*args)} must be a whole number")
    return value


def _item_id(key: object) -> int:
    if isinstance(key, bool):
        raise BallotError("invalid_ballot", f"'{key}' is not a statement id")
    try:
        return int(str(key).strip())
    except ValueError:
        raise BallotError("invalid_ballot", f"'{key}' is not a statement id") from None


def _eligible(item: int, eligible: Collection[int]) -> None:
    if item not in eligible:
        raise BallotError("unknown_statement", f"statement {item} is not on this ballot")


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
        statement_id = _item_id(key)
        count = _whole(value, "dots for statement {}", statement_id)
        if count < 0:
            raise BallotError(
                "invalid_ballot", f"dots for statement {statement_id} cannot be negative"
            )
        if statement_id in ballot:
            raise BallotError("invalid_ballot", f"statement {statement_id} appears twice")
        if count == 0:
            continue
        _eligible(statement_id, eligible)
        if count > rules.max_per_item:
            raise BallotError(
                "over_item_cap",
                f"at most {rules.max_per_item} dots on one statement "
                f"(statement {statement_id} has {count})",
            )
        ballot[statement_id] = count
    total = sum(ballot.values())
    if total > rules.dots:
        raise BallotError("over_budget", f"{total} dots placed but only {rules.dots} available")
    return ballot


def validate_ranking(raw: object, top_k: int, eligible: Collection[int]) -> dict[int, int]:
    """A top-K ranking as ``{statement_id: place}`` (place 1 is the favourite)."""
    if not isinstance(raw, list):
        raise BallotError("invalid_ballot", "ranking must be a list of statement ids, best first")
    if len(raw) > top_k:
        raise BallotError("too_many_ranked", f"rank at most {top_k} statements")
    ballot: dict[int, int] = {}
    for place, key in enumerate(raw, start=1):
        statement_id = _item_id(_whole(key, "each ranked statement id"))
        if statement_id in ballot:
            raise BallotError("repeated_statement", f"statement {statement_id} is ranked twice")
        _eligible(statement_id, eligible)
        ballot[statement_id] = place
    return ballot


AGREE_VALUES = {1: "agree", -1: "disagree", 0: "pass"}


def validate_agree(
    statement_id: object, value: object, eligible: Collection[int]
) -> tuple[int, int]:
    """One agree (1) / disagree (-1) / pass (0) answer on one statement."""
    item = _item_id(_whole(statement_id, "statement_id"))
    answer = _whole(value, "value")
    if answer not in AGREE_VALUES:
        raise BallotError("invalid_value", "value must be 1 (agree), -1 (disagree) or 0 (pass)")
    _eligible(item, eligible)
    return item, answer


def validate_ratings(raw: object, eligible: Collection[int]) -> dict[int, int]:
    """Importance ratings 1–5 as ``{statement_id: rating}``."""
    if not isinstance(raw, Mapping):
        raise BallotError("invalid_ballot", "ratings must be an object of statement id to 1–5")
    ballot: dict[int, int] = {}
    for key, value in raw.items():
        statement_id = _item_id(key)
        rating = _whole(value, "rating of statement {}", statement_id)
        if not 1 <= rating <= 5:
            raise BallotError("invalid_value", f"rating of statement {statement_id} must be 1–5")
        if statement_id in ballot:
            raise BallotError("invalid_ballot", f"statement {statement_id} appears twice")
        _eligible(statement_id, eligible)
        ballot[statement_id] = rating
    return ballot


def validate_choices(raw: object, multiple: bool, eligible: Collection[int]) -> dict[int, int]:
    """Poll choices as ``{option_id: 1}``; one choice unless ``multiple``."""
    if not isinstance(raw, list):
        raise BallotError("invalid_ballot", "choices must be a list of option ids")
    if not multiple and len(raw) > 1:
        raise BallotError("too_many_choices", "choose one option")
    ballot: dict[int, int] = {}
    for key in raw:
        option = _item_id(_whole(key, "each choice"))
        if option in ballot:
            raise BallotError("repeated_choice", f"option {option} is chosen twice")
        if option not in eligible:
            raise BallotError("unknown_option", f"option {option} is not in this poll")
        ballot[option] = 1
    return ballot
