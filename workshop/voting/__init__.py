"""Pure tallying: ballots in, results out. No Flask, no SQLAlchemy."""

from . import allocation, budget, matrix
from .ballots import (
    AGREE_VALUES,
    BallotError,
    DotRules,
    validate_agree,
    validate_choices,
    validate_dot_ballot,
    validate_ranking,
    validate_ratings,
)
from .consensus import AgreeCounts, Consensus, consensus
from .tally import ScoringRules, Tally, item_result, points, ranked_results

__all__ = [
    "allocation",
    "budget",
    "matrix",
    "AGREE_VALUES",
    "AgreeCounts",
    "BallotError",
    "Consensus",
    "DotRules",
    "ScoringRules",
    "Tally",
    "consensus",
    "item_result",
    "points",
    "ranked_results",
    "validate_agree",
    "validate_choices",
    "validate_dot_ballot",
    "validate_ranking",
    "validate_ratings",
]
