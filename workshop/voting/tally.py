"""Running tallies and the results of every vote kind.

:class:`Tally` keeps, per statement and stakeholder group, how many ballots
gave each value. Replacing a ballot costs O(entries of the old and new
ballot), never a recount, and every kind's result derives from those counts:

- ``dot_vote``: score = sum of dots;
- ``rank`` (top K, value = place): Borda score, place 1 scores K, place K scores 1;
- ``poll``: score = number of ballots choosing the option;
- ``agree`` (value 1 / -1 / 0): counts, shares and consensus per group;
- ``rating`` (1–5): mean, median, spread (population standard deviation), count;
- ``matrix``, ``points``, ``budget``: see matrix.py, allocation.py, budget.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from . import allocation, budget, matrix
from .consensus import AgreeCounts, consensus, level_order

# Kinds whose results come from a module of their own: the item result from the
# statement's per-group histograms, and (optionally) the sort key.
KIND_RESULTS = {
    "matrix": matrix.item_result,
    "points": allocation.item_result,
    "budget": budget.item_result,
}
KIND_SORT_KEYS = {
    "matrix": matrix.sort_key,
}

Histogram = dict[int, int]  # value -> number of ballots giving it
_EMPTY: Histogram = {}  # the histogram of no ballots; never written to


@dataclass
class Tally:
    """value counts per statement and group: ``counts[statement][group][value]``."""

    counts: dict[int, dict[str, Histogram]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    )

    def replace(self, group: str, old: Mapping[int, int], new: Mapping[int, int]) -> None:
        """Swap one participant's ballot ``old`` for ``new`` (either may be empty)."""
        for item, value in old.items():
            self._add(item, group, value, -1)
        for item, value in new.items():
            self._add(item, group, value, +1)

    def _add(self, item: int, group: str, value: int, delta: int) -> None:
        histogram = self.counts[item][group]
        histogram[value] += delta
        if histogram[value] == 0:
            del histogram[value]
            if not histogram:
                del self.counts[item][group]
                if not self.counts[item]:
                    del self.counts[item]

    @classmethod
    def from_ballots(cls, ballots: Iterable[tuple[str, Mapping[int, int]]]) -> Tally:
        tally = cls()
        for group, entries in ballots:
            tally.replace(group, {}, entries)
        return tally

    def snapshot(self) -> dict[int, dict[str, dict[int, int]]]:
        """Plain nested dicts, for comparisons and copying."""
        return {
            item: {group: dict(h) for group, h in groups.items()}
            for item, groups in self.counts.items()
        }

    def histogram(self, item: int, group: str) -> Histogram:
        groups = self.counts.get(item)
        if not groups:
            return {}
        return dict(groups.get(group, {}))


@dataclass
class ScoringRules:
    kind: str
    groups: list[str]
    top_k: int = 3
    threshold: float = 0.6
    min_members: int = 3


def points(kind: str, value: int, top_k: int) -> int:
    """What one entry adds to a statement's score."""
    if kind == "rank":
        return max(top_k + 1 - value, 0)
    if kind in ("poll", "agree"):
        return 1 if kind == "poll" else value
    return value  # dot_vote: the dots themselves


def _median_sorted(ordered: list[tuple[int, int]], total: int) -> float:
    """Median of the expansion of ``(value, count)`` pairs sorted by value; ``total`` > 0."""
    low_index, high_index = (total - 1) // 2, total // 2  # equal when total is odd
    seen, low = 0, None
    for value, n in ordered:
        seen += n
        if low is None and low_index < seen:
            low = value
        if high_index < seen:
            return float(value) if total % 2 else (low + value) / 2
    raise ValueError("total exceeds the counts")


def _rating_stats(histogram: Mapping[int, int]) -> dict:
    # In value order: the same sums (and spread) whatever order the ballots were counted in.
    ordered = sorted(histogram.items())
    count = sum(n for _, n in ordered)
    if not count:
        return {"mean": None, "median": None, "spread": None, "count": 0}
    mean = sum(v * n for v, n in ordered) / count
    variance = sum(n * (v - mean) ** 2 for v, n in ordered) / count
    return {
        "mean": round(mean, 3),
        "median": _median_sorted(ordered, count),
        "spread": round(math.sqrt(variance), 3),
        "count": count,
    }


def _merge(histograms: Iterable[Mapping[int, int]]) -> Histogram:
    merged: Histogram = defaultdict(int)
    for histogram in histograms:
        for value, n in histogram.items():
            merged[value] += n
    return dict(merged)


def item_result(
    tally: Tally, item: int, rules: ScoringRules, members: Iterable[int] | None = None
) -> dict:
    """The result fields of one statement (without text, rank).

    ``members`` are the statement ids whose ballots count for this item (the
    item itself and the duplicates merged into it); default: the item alone.
    """
    ids = list(members) if members is not None else [item]
    counted = [c for c in map(tally.counts.get, ids) if c]  # per group histograms, per id
    groups = list(rules.groups)
    for by_group in counted:
        groups += [g for g in by_group if g not in groups]
    # Read only from here on: with nothing merged in (the usual case), these are the
    # tally's own histograms, not copies.
    if len(counted) > 1:
        per_group = {g: _merge(c[g] for c in counted if g in c) for g in groups}
    else:
        only = counted[0] if counted else _EMPTY
        per_group = {g: only.get(g, _EMPTY) for g in groups}
    if rules.kind == "agree":
        return _agree_result(per_group, rules)
    if rules.kind in KIND_RESULTS:
        return KIND_RESULTS[rules.kind](per_group)
    if rules.kind == "rating":
        everyone = _merge(per_group.values())
        stats = _rating_stats(everyone)
        return {
            "score": stats["mean"] if stats["mean"] is not None else 0,
            **stats,
            "distribution": {str(v): everyone.get(v, 0) for v in range(1, 6)},
            "by_group": {g: _rating_stats(h) for g, h in per_group.items()},
        }
    table = _points_table(rules.kind, rules.top_k)
    by_group = {g: sum(table[v] * n for v, n in h.items()) for g, h in per_group.items()}
    # Whole points: the sum over groups is exactly the score of everyone's ballots.
    return {"score": sum(by_group.values()), "by_group": by_group}


def _agree_result(per_group: Mapping[str, Mapping[int, int]], rules: ScoringRules) -> dict:
    counts = {g: AgreeCounts(h.get(1, 0), h.get(-1, 0), h.get(0, 0)) for g, h in per_group.items()}
    verdict = consensus(counts, rules.threshold, rules.min_members)
    agree = sum(c.agree for c in counts.values())
    disagree = sum(c.disagree for c in counts.values())
    return {
        "score": agree - disagree,
        "agree": agree,
        "disagree": disagree,
        "pass": sum(c.passed for c in counts.values()),
        "by_group": {
            g: {"agree": c.agree, "disagree": c.disagree, "pass": c.passed}
            for g, c in counts.items()
        },
        "consensus": {
            "level": verdict.level,
            "min_group_agreement": None
            if verdict.min_group_agreement is None
            else round(verdict.min_group_agreement, 4),
        },
    }


class _Points(dict):
    """value -> ``points(kind, value, top_k)``, computed once per value."""

    def __init__(self, kind: str, top_k: int) -> None:
        super().__init__()
        self.kind, self.top_k = kind, top_k

    def __missing__(self, value: int) -> int:
        self[value] = found = points(self.kind, value, self.top_k)
        return found


@lru_cache(maxsize=64)
def _points_table(kind: str, top_k: int) -> _Points:
    return _Points(kind, top_k)


def _sort_key(result: dict, item: int, kind: str) -> tuple:
    if kind in KIND_SORT_KEYS:
        return KIND_SORT_KEYS[kind](result, item)
    if kind == "agree":
        level = result["consensus"]["level"]
        agreement = result["consensus"]["min_group_agreement"]
        return (
            level_order(level),
            -(agreement if agreement is not None else -1),
            -result["score"],
            item,
        )
    return (-result["score"], item)


def ranked_results(
    tally: Tally,
    items: Iterable[int],
    rules: ScoringRules,
    members: Mapping[int, Iterable[int]] | None = None,
) -> list[dict]:
    """Results of the given statements, best first, each with ``statement_id`` and ``rank``.

    Dot votes, rankings and polls sort by score; ratings by mean; agree
    activities by consensus level, then by the smallest group agreement.
    Equal keys share a rank (1, 1, 3); ties keep the oldest statement first.
    """
    members = members or {}
    rows = []
    for item in items:
        result = item_result(tally, item, rules, members.get(item))
        rows.append((_sort_key(result, item, rules.kind), item, result))
    rows.sort(key=lambda row: row[0])
    ranked: list[dict] = []
    previous = None
    rank = 0
    for position, (sort_key, item, result) in enumerate(rows, start=1):
        key = sort_key[:-1]  # without the statement id
        if key != previous:
            rank, previous = position, key
        ranked.append({"statement_id": item, "rank": rank, **result})
    return ranked
