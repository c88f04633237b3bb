"""Running tallies and the results of every vote kind.

:class:`Tally` keeps, per statement and stakeholder group, how many ballots
gave each value. Replacing a ballot costs O(entries of the old and new
ballot), never a recount, and every kind's result derives from those counts:

- ``dot_vote``: score = sum of dots;
- ``rank`` (top K, value = place): Borda score, place 1 scores K, place K scores 1;
- ``poll``: score = number of ballots choosing the option;
- ``agree`` (value 1 / -1 / 0): counts, shares and consensus per group;
- ``rating`` (1–5): mean, median, spread (population standard deviation), count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .consensus import AgreeCounts, consensus, level_order

Histogram = dict[int, int]  # value -> number of ballots giving it


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


def _median(histogram: Mapping[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    values = sorted(histogram)

    def nth(n: int) -> int:  # 0-based n-th value of the sorted expansion
        seen = 0
        for v in values:
            seen += histogram[v]
            if n < seen:
                return v
        raise IndexError(n)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _rating_stats(histogram: Mapping[int, int]) -> dict:
    count = sum(histogram.values())
    if not count:
        return {"mean": None, "median": None, "spread": None, "count": 0}
    mean = sum(v * n for v, n in histogram.items()) / count
    variance = sum(n * (v - mean) ** 2 for v, n in histogram.items()) / count
    return {
        "mean": round(mean, 3),
        "median": _median(histogram),
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
    groups = list(rules.groups)
    for ident in ids:
        groups += [g for g in (tally.counts.get(ident) or {}) if g not in groups]
    per_group = {g: _merge(tally.histogram(ident, g) for ident in ids) for g in groups}
    everyone = _merge(per_group.values())
    if rules.kind == "agree":
        counts = {
            g: AgreeCounts(h.get(1, 0), h.get(-1, 0), h.get(0, 0)) for g, h in per_group.items()
        }
        verdict = consensus(counts, rules.threshold, rules.min_members)
        return {
            "score": everyone.get(1, 0) - everyone.get(-1, 0),
            "agree": everyone.get(1, 0),
            "disagree": everyone.get(-1, 0),
            "pass": everyone.get(0, 0),
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
    if rules.kind == "rating":
        stats = _rating_stats(everyone)
        return {
            "score": stats["mean"] if stats["mean"] is not None else 0,
            **stats,
            "distribution": {str(v): everyone.get(v, 0) for v in range(1, 6)},
            "by_group": {g: _rating_stats(h) for g, h in per_group.items()},
        }
    return {
        "score": sum(points(rules.kind, v, rules.top_k) * n for v, n in everyone.items()),
        "by_group": {
            g: sum(points(rules.kind, v, rules.top_k) * n for v, n in h.items())
            for g, h in per_group.items()
        },
    }


def _sort_key(result: dict, item: int, kind: str) -> tuple:
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
    rows = [(item, item_result(tally, item, rules, members.get(item))) for item in items]
    rows.sort(key=lambda row: _sort_key(row[1], row[0], rules.kind))
    ranked: list[dict] = []
    previous = None
    rank = 0
    for position, (item, result) in enumerate(rows, start=1):
        key = _sort_key(result, 0, rules.kind)[:-1]
        if key != previous:
            rank, previous = position, key
        ranked.append({"statement_id": item, "rank": rank, **result})
    return ranked
