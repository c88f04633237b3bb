"""Pure tallying: ballots in, results out. No Flask, no SQLAlchemy."""

from .dots import BallotError, DotRules, validate_dot_ballot
from .tally import GroupTally, RankedItem, rank_items

__all__ = [
    "BallotError",
    "DotRules",
    "GroupTally",
    "RankedItem",
    "rank_items",
    "validate_dot_ballot",
]
