"""Impact × feasibility matrix: each statement placed on two 1–5 scales.

A placement is stored as one ballot entry, ``value = 10 * x + y`` (11 … 55), so the
running :class:`~workshop.voting.tally.Tally` keeps the joint histogram of both axes
and means and spreads derive from it exactly, whatever order ballots came in.
``x`` is the first axis (default ผลกระทบ, impact), ``y`` the second (default
ความเป็นไปได้, feasibility). A statement's quadrant follows its two means against the
scale's midpoint (3); a mean on the midpoint counts as high.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from .ballots import BallotError

LOW, HIGH = 1, 5
MIDPOINT = 3.0
# Best first: high x and high y, high x only, high y only, neither.
QUADRANTS = ("quick_wins", "major_projects", "fill_ins", "thankless")


def encode(x: int, y: int) -> int:
    return 10 * x + y


def decode(value: int) -> tuple[int, int]:
    return divmod(value, 10)


def _scale(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BallotError("invalid_ballot", f"{what} must be a whole number from 1 to 5")
    if not LOW <= value <= HIGH:
        raise BallotError("invalid_value", f"{what} must be from 1 to 5")
    return value


def validate_placements(raw: object, eligible: Collection[int]) -> dict[int, int]:
    """``{"<statement id>": {"x": 1..5, "y": 1..5}}`` → ``{statement_id: encode(x, y)}``.

    Statements may be left out (not placed); every placed one needs both axes.
    """
    if not isinstance(raw, Mapping):
        raise BallotError(
            "invalid_ballot", 'placements must be an object of statement id to {"x", "y"}'
        )
    ballot: dict[int, int] = {}
    for key, placement in raw.items():
        try:
            if isinstance(key, bool):
                raise ValueError
            statement_id = int(str(key).strip())
        except ValueError:
            raise BallotError("invalid_ballot", f"'{key}' is not a statement id") from None
        if not isinstance(placement, Mapping) or set(placement) != {"x", "y"}:
            raise BallotError(
                "invalid_ballot", f'statement {statement_id} needs {{"x": 1..5, "y": 1..5}}'
            )
        x = _scale(placement["x"], f"x of statement {statement_id}")
        y = _scale(placement["y"], f"y of statement {statement_id}")
        if statement_id in ballot:
            raise BallotError("invalid_ballot", f"statement {statement_id} appears twice")
        if statement_id not in eligible:
            raise BallotError(
                "unknown_statement", f"statement {statement_id} is not on this ballot"
            )
        ballot[statement_id] = encode(x, y)
    return ballot


def placements(entries: Mapping[int, int]) -> dict[str, dict[str, int]]:
    """Stored entries back in the shape a phone sends them."""
    out = {}
    for statement_id, value in sorted(entries.items()):
        x, y = decode(value)
        out[str(statement_id)] = {"x": x, "y": y}
    return out


def quadrant(x_mean: float | None, y_mean: float | None) -> str | None:
    if x_mean is None or y_mean is None:
        return None
    high_x, high_y = x_mean >= MIDPOINT, y_mean >= MIDPOINT
    if high_x:
        return "quick_wins" if high_y else "major_projects"
    return "fill_ins" if high_y else "thankless"


def stats(histogram: Mapping[int, int]) -> dict:
    """Means and population standard deviations of both axes of a joint histogram."""
    ordered = sorted(histogram.items())  # the same sums whatever order ballots came in
    count = sum(n for _, n in ordered)
    if not count:
        return {"x_mean": None, "y_mean": None, "x_spread": None, "y_spread": None, "count": 0}
    pairs = [(decode(value), n) for value, n in ordered]
    x_mean = sum(x * n for (x, _), n in pairs) / count
    y_mean = sum(y * n for (_, y), n in pairs) / count
    x_var = sum(n * (x - x_mean) ** 2 for (x, _), n in pairs) / count
    y_var = sum(n * (y - y_mean) ** 2 for (_, y), n in pairs) / count
    return {
        "x_mean": round(x_mean, 3),
        "y_mean": round(y_mean, 3),
        "x_spread": round(math.sqrt(x_var), 3),
        "y_spread": round(math.sqrt(y_var), 3),
        "count": count,
    }


def item_result(per_group: Mapping[str, Mapping[int, int]]) -> dict:
    """One statement's result: both means and spreads, its quadrant, and per group."""
    everyone: dict[int, int] = {}
    for histogram in per_group.values():
        for value, n in histogram.items():
            everyone[value] = everyone.get(value, 0) + n
    overall = stats(everyone)
    by_group = {}
    for group, histogram in per_group.items():
        found = stats(histogram)
        by_group[group] = {
            "x_mean": found["x_mean"],
            "y_mean": found["y_mean"],
            "count": found["count"],
        }
    score = 0 if overall["count"] == 0 else round((overall["x_mean"] + overall["y_mean"]) / 2, 3)
    return {
        "score": score,
        **overall,
        "quadrant": quadrant(overall["x_mean"], overall["y_mean"]),
        "by_group": by_group,
    }


def sort_key(result: Mapping, item: int) -> tuple:
    """Quadrant (quick wins first; unplaced last), then the mean of both axes."""
    found = result["quadrant"]
    order = QUADRANTS.index(found) if found else len(QUADRANTS)
    return (order, -result["score"], item)
