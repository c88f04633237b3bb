"""Opinion groups of an agree activity, Pol.is style. Pure: numpy only, no Flask/SQLAlchemy.

From the vote matrix (participants x statements: +1 agree, -1 disagree, 0 pass, NaN not
answered) this finds groups of people who vote alike, whatever stakeholder group they
declared, and the statements that characterise or bridge them:

1. participants with at least ``min(7, statements)`` answers are placed on the map;
2. missing answers are filled with the statement's mean; PCA gives two coordinates;
   sparse voters are pushed outwards by sqrt(statements / answers) (as Pol.is does, so
   someone who answered little is not drawn into the centre);
3. k-means for k = 2..5 (farthest-point start plus a few seeded k-means++ starts, the
   lowest inertia kept); k is chosen by silhouette, and :class:`KStability` changes the
   shown k only after the same best k has won several recomputations in a row;
4. per group, its *representative* statements (the group agrees, or disagrees, far more
   than the rest: agree probability (1 + agrees) / (2 + seen) against the rest's, one-sided
   two-proportion z-test at 90 %); per statement, *bridging* consensus (geometric mean over
   the shown groups of (agrees + 1) / (seen + 2)); *uncertain* statements (> 30 % passed).

Groups smaller than ``min_group_size`` are not shown (their dots carry ``group: None``).
Rows are put in a canonical order (by their votes) before any arithmetic, so the result does
not depend on the order participants come in. See docs/opinion-groups.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .clusters import (
    K_RANGE,
    KMEANS_PLUS_STARTS,
    SILHOUETTE_SAMPLE,
    Clustering,
    KStability,
    best_k,
    clusterings,
    kmeans,
    silhouettes,
    size_order,
)
from .matrix import VoteMatrix, canonical_order, project, vote_matrix
from .statements import (
    MAX_REPRESENTATIVE,
    UNCERTAIN_PASS_SHARE,
    Z_90,
    Counts,
    agree_probability,
    bridging,
    counts_of,
    representative,
    two_proportion_z,
    uncertain,
)

MIN_ANSWERS = 7

__all__ = [
    "K_RANGE",
    "KMEANS_PLUS_STARTS",
    "MAX_REPRESENTATIVE",
    "MIN_ANSWERS",
    "SILHOUETTE_SAMPLE",
    "UNCERTAIN_PASS_SHARE",
    "Z_90",
    "Clustering",
    "Counts",
    "KStability",
    "OpinionMap",
    "VoteMatrix",
    "adjusted_rand_index",
    "agree_probability",
    "best_k",
    "bridging",
    "canonical_order",
    "clusterings",
    "counts_of",
    "kmeans",
    "opinion_map",
    "project",
    "representative",
    "silhouettes",
    "size_order",
    "two_proportion_z",
    "uncertain",
    "vote_matrix",
]


@dataclass(frozen=True)
class OpinionMap:
    k: int
    participants_in_map: int
    groups: list[dict]
    bridging: list[dict]
    uncertain: list[int]
    points: list[dict]
    reason: str | None = None
    best_k: int | None = None
    # Participant id -> shown group id (None when their group is too small). Never sent
    # anywhere by the app: a phone may learn only its own.
    membership: dict[int, int | None] = field(default_factory=dict, repr=False)
    # Participant id -> (x, y) of their dot, for the same reason never sent but to its owner.
    positions: dict[int, tuple[float, float]] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        data = {
            "participants_in_map": self.participants_in_map,
            "k": self.k,
            "groups": self.groups,
            "bridging": self.bridging,
            "uncertain": self.uncertain,
            "points": self.points,
        }
        if self.reason is not None:
            data["reason"] = self.reason
        return data


def _empty(reason: str, in_map: int, uncertain_ids: list[int]) -> OpinionMap:
    return OpinionMap(0, in_map, [], [], uncertain_ids, [], reason)


def opinion_map(
    matrix: VoteMatrix,
    stakeholder_group: Mapping[int, str] | None = None,
    min_group_size: int = 5,
    stability: KStability | None = None,
) -> OpinionMap:
    """The opinion map of one activity. ``stakeholder_group``: participant id -> declared
    group; ``stability`` carries k (and group ids) from one recomputation to the next."""
    stakeholder_group = stakeholder_group or {}
    values = matrix.values
    n_statements = len(matrix.statements)
    uncertain_ids = uncertain(counts_of(values), matrix.statements) if values.size else []
    if n_statements < 2:
        return _empty("too_few_statements", 0, uncertain_ids)
    needed = min(MIN_ANSWERS, n_statements)
    usable = np.flatnonzero((~np.isnan(values)).sum(axis=1) >= needed)
    if len(usable) < 2:
        return _empty("too_few_participants", len(usable), uncertain_ids)
    sub = values[usable]
    order = canonical_order(sub)
    sub = sub[order]
    participants = [matrix.participants[i] for i in usable[order]]
    answered_columns = np.flatnonzero((~np.isnan(sub)).any(axis=0))
    if len(answered_columns) < 2:
        return _empty("too_few_statements", len(participants), uncertain_ids)
    points = project(sub[:, answered_columns])
    found = clusterings(points)
    best = best_k(found)
    k = stability.choose(best, found) if stability is not None else best
    if k is None:
        return _empty("no_variation", len(participants), uncertain_ids)
    chosen = found[k]
    steady = stability.relabel(chosen) if stability is not None else size_order(chosen)
    labels = steady[chosen.labels]
    sizes = np.bincount(labels, minlength=k)
    shown = [g for g in range(k) if sizes[g] >= min_group_size]
    statements = matrix.statements
    counts_by_group = {g: counts_of(sub[labels == g]) for g in shown}
    groups = []
    for g in shown:
        members = labels == g
        makeup: dict[str, int] = {}
        for pid in itertools.compress(participants, members):
            declared = stakeholder_group.get(pid, "")
            makeup[declared] = makeup.get(declared, 0) + 1
        groups.append(
            {
                "id": g,
                "size": int(sizes[g]),
                "by_stakeholder_group": dict(sorted(makeup.items())),
                "representative": representative(
                    counts_by_group[g], counts_of(sub[~members]), statements, MAX_REPRESENTATIVE
                ),
            }
        )
    group_of = [int(g) if sizes[g] >= min_group_size else None for g in labels]
    dots = sorted(
        (round(float(x), 4), round(float(y), 4), group)
        for (x, y), group in zip(points, group_of, strict=True)
    )
    return OpinionMap(
        k=k,
        participants_in_map=len(participants),
        groups=groups,
        bridging=bridging(counts_by_group, statements),
        uncertain=uncertain_ids,
        points=[{"x": x, "y": y, "group": group} for x, y, group in dots],
        reason=None if shown else "groups_too_small",
        best_k=best,
        membership=dict(zip(participants, group_of, strict=True)),
        positions={
            pid: (round(float(x), 4), round(float(y), 4))
            for pid, (x, y) in zip(participants, points, strict=True)
        },
    )


def adjusted_rand_index(truth: Sequence, found: Sequence) -> float:
    """Adjusted Rand index of two labellings of the same items (1 = the same partition)."""
    _, a = np.unique(np.asarray(truth), return_inverse=True)
    _, b = np.unique(np.asarray(found), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)
