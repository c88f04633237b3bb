"""Q&A upvotes: one vote per question and attendee, withdrawable. No Flask, no SQLAlchemy.

A ballot is ``{question id: 1}`` for every question the attendee upvoted; an upvote
``{"statement_id", "value": 1}`` adds one, ``value: 0`` withdraws it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .ballots import BallotError, _eligible, _item_id, _whole

QA_STATES = ("open", "current", "answered")


def validate_upvote(
    statement_id: object, value: object, eligible: Collection[int], previous: Mapping[int, int]
) -> dict[int, int]:
    """The ballot after this upvote (1) or withdrawal (0)."""
    item = _item_id(_whole(statement_id, "statement_id"))
    vote = _whole(value, "value")
    if vote not in (0, 1):
        raise BallotError("invalid_value", "value must be 1 (upvote) or 0 (withdraw)")
    ballot = dict(previous)
    if vote:
        _eligible(item, eligible)
        ballot[item] = 1
    else:
        ballot.pop(item, None)
    return ballot
