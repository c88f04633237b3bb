"""Ballots of the priority kinds: the kind's field of a vote, checked; and shown back."""

from __future__ import annotations

from ..services.ballot_rows import VoteRules
from ..voting import BallotError, allocation, budget, matrix

BALLOT_FIELDS = {"matrix": "placements", "points": "points", "budget": "selection"}


def new_entries(activity: VoteRules, payload: dict, eligible: set[int]) -> dict[int, int]:
    """The ballot's entries from ``payload``'s kind field; raises :class:`BallotError`."""
    name = BALLOT_FIELDS[activity.kind]
    if name not in payload:
        raise BallotError("invalid_ballot", f"{name} is required for this kind of vote")
    raw = payload[name]
    if activity.kind == "matrix":
        return matrix.validate_placements(raw, eligible)
    if activity.kind == "points":
        total = activity.points or allocation.DEFAULT_POINTS
        return allocation.validate_points(raw, total, eligible)
    return budget.validate_selection(raw, activity.costs, activity.budget or 0, eligible)


def ballot_field(kind: str, entries: dict[int, int]) -> dict:
    """The ballot as a phone sends it: ``placements``, ``points`` or ``selection``."""
    if kind == "matrix":
        return {"placements": matrix.placements(entries)}
    if kind == "points":
        return {"points": {str(k): v for k, v in sorted(entries.items())}}
    return {"selection": sorted(entries)}
