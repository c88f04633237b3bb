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
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

MIN_ANSWERS = 7
K_RANGE = (2, 3, 4, 5)
Z_90 = 1.2816  # one-sided 90 %
UNCERTAIN_PASS_SHARE = 0.3
MAX_REPRESENTATIVE = 5
SILHOUETTE_SAMPLE = 2000
KMEANS_PLUS_STARTS = 3
SEED = 20240
EXACT_EIGEN = 200
SUBSPACE_ITERATIONS = 30


@dataclass(frozen=True)
class VoteMatrix:
    """``values[i, j]``: participant ``participants[i]``'s answer to ``statements[j]``."""

    participants: tuple[int, ...]
    statements: tuple[int, ...]
    values: np.ndarray  # float, NaN = not answered


def vote_matrix(
    ballots: Iterable[tuple[int, Mapping[int, int]]], statements: Sequence[int]
) -> VoteMatrix:
    """The matrix of these ballots (participant id, statement id -> value) on ``statements``;
    answers to other statements are ignored."""
    column = {sid: j for j, sid in enumerate(statements)}
    rows: list[int] = []
    cells: list[tuple[int, int, float]] = []
    for participant, entries in ballots:
        i = len(rows)
        rows.append(participant)
        for sid, value in entries.items():
            j = column.get(sid)
            if j is not None and value in (-1, 0, 1):
                cells.append((i, j, float(value)))
    values = np.full((len(rows), len(statements)), np.nan)
    if cells:
        i_idx, j_idx, v = zip(*cells, strict=True)
        values[list(i_idx), list(j_idx)] = v
    return VoteMatrix(tuple(rows), tuple(statements), values)


# ---------- geometry ----------


def canonical_order(values: np.ndarray) -> np.ndarray:
    """Row indices sorted by the rows' votes (NaN sorts as its own value)."""
    if values.shape[0] == 0:
        return np.arange(0)
    coded = np.where(np.isnan(values), 9.0, values)
    return np.lexsort(coded.T[::-1]) if values.shape[1] else np.arange(values.shape[0])


def _top_components(covariance: np.ndarray, count: int = 2) -> np.ndarray:
    """The ``count`` leading eigenvectors of a symmetric matrix: exact up to
    ``EXACT_EIGEN`` statements, else by subspace iteration from a seeded start (an exact
    decomposition of 500 x 500 costs half a second; two vectors do not need it)."""
    m = len(covariance)
    if m <= EXACT_EIGEN:
        eigenvalues, eigenvectors = np.linalg.eigh(covariance)
        return eigenvectors[:, np.argsort(eigenvalues)[::-1][:count]]
    block = np.random.default_rng(SEED).standard_normal((m, count + 6))
    for _ in range(SUBSPACE_ITERATIONS):
        block, _ = np.linalg.qr(covariance @ block)
    eigenvalues, small = np.linalg.eigh(block.T @ covariance @ block)
    return (block @ small)[:, np.argsort(eigenvalues)[::-1][:count]]


def project(values: np.ndarray) -> np.ndarray:
    """2-D coordinates of every row: mean-filled, centred PCA, sparse voters scaled out."""
    n, m = values.shape
    answered = ~np.isnan(values)
    counts = answered.sum(axis=0)
    means = np.where(counts > 0, np.nansum(values, axis=0) / np.maximum(counts, 1), 0.0)
    centred = np.where(answered, values - means, 0.0)  # a filled cell is exactly the mean
    top = _top_components(centred.T @ centred)
    if top.shape[1] < 2:
        top = np.hstack([top, np.zeros((m, 2 - top.shape[1]))])
    # A deterministic sign: the largest loading of each component is positive.
    for c in range(2):
        pivot = np.argmax(np.abs(top[:, c]))
        if top[pivot, c] < 0:
            top[:, c] = -top[:, c]
    points = centred @ top
    per_row = answered.sum(axis=1)
    scale = np.sqrt(m / np.maximum(per_row, 1))
    # Tiny floating noise must not decide a tie: the coordinates are rounded.
    return np.round(points * scale[:, None], 9)


# ---------- k-means and silhouette ----------


@dataclass(frozen=True)
class Clustering:
    k: int
    labels: np.ndarray
    centers: np.ndarray
    inertia: float
    silhouette: float


def _lloyd(points: np.ndarray, centers: np.ndarray, iterations: int = 100) -> tuple:
    k = len(centers)
    labels = np.zeros(len(points), dtype=int)
    for step in range(iterations):
        distances = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        new_labels = distances.argmin(axis=1)
        if step and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for c in range(k):
            members = points[labels == c]
            if len(members):
                centers[c] = members.mean(axis=0)
            else:  # an empty cluster restarts on the point farthest from its centre
                far = distances[np.arange(len(points)), labels].argmax()
                centers[c] = points[far]
    distances = ((points - centers[labels]) ** 2).sum(axis=1)
    return labels, centers, float(distances.sum())


def _farthest_point_start(points: np.ndarray, k: int) -> np.ndarray:
    centroid = points.mean(axis=0)
    first = np.argmax(((points - centroid) ** 2).sum(axis=1))
    chosen = [points[first]]
    nearest = ((points - chosen[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        nxt = int(np.argmax(nearest))
        chosen.append(points[nxt])
        nearest = np.minimum(nearest, ((points - points[nxt]) ** 2).sum(axis=1))
    return np.array(chosen, dtype=float)


def _kmeans_plus_start(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [points[rng.integers(len(points))]]
    nearest = ((points - chosen[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = nearest.sum()
        if total <= 0:
            break
        nxt = rng.choice(len(points), p=nearest / total)
        chosen.append(points[nxt])
        nearest = np.minimum(nearest, ((points - points[nxt]) ** 2).sum(axis=1))
    while len(chosen) < k:
        chosen.append(chosen[-1])
    return np.array(chosen, dtype=float)


def kmeans(points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Labels, centres and inertia of the best of a farthest-point start and a few seeded
    k-means++ starts. Deterministic for the same points in the same order."""
    rng = np.random.default_rng(SEED + k)
    starts = [_farthest_point_start(points, k)]
    starts += [_kmeans_plus_start(points, k, rng) for _ in range(KMEANS_PLUS_STARTS)]
    best = None
    for start in starts:
        found = _lloyd(points, start.copy())
        if best is None or found[2] < best[2] - 1e-12:
            best = found
    return best  # type: ignore[return-value]


def _distance_rows(points: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Euclidean distances from ``points[rows]`` to every point."""
    squared = (points**2).sum(axis=1)
    d2 = squared[rows, None] + squared[None, :] - 2.0 * points[rows] @ points.T
    return np.sqrt(np.maximum(d2, 0.0))


def silhouettes(points: np.ndarray, labelings: Mapping[int, np.ndarray]) -> dict[int, float]:
    """Mean silhouette of each labelling (k -> labels). Past ``SILHOUETTE_SAMPLE`` points,
    of an evenly spaced sample, each sampled point still measured against every point; the
    distances are computed once for all k."""
    n = len(points)
    if n <= SILHOUETTE_SAMPLE:
        sample = np.arange(n)
    else:
        sample = np.linspace(0, n - 1, SILHOUETTE_SAMPLE).astype(int)
    one_hots = {}
    for k, labels in labelings.items():
        one_hot = np.zeros((n, k))
        one_hot[np.arange(n), labels] = 1.0
        one_hots[k] = one_hot
    totals = dict.fromkeys(labelings, 0.0)
    for chunk in np.array_split(sample, max(1, len(sample) // 500)):
        d = _distance_rows(points, chunk)
        rows = np.arange(len(chunk))
        for k, one_hot in one_hots.items():
            sizes = one_hot.sum(axis=0)
            sums = d @ one_hot  # distance from each sampled point to each cluster, summed
            own = labelings[k][chunk]
            own_size = sizes[own]
            a = sums[rows, own] / np.maximum(own_size - 1, 1)
            mean_other = np.where(sizes[None, :] > 0, sums / np.maximum(sizes[None, :], 1), np.inf)
            mean_other[rows, own] = np.inf
            b = mean_other.min(axis=1)
            top = np.maximum(a, b)
            valid = (own_size > 1) & (top > 0) & np.isfinite(b)
            s = np.where(valid, (b - a) / np.where(valid, top, 1.0), 0.0)
            totals[k] += float(s.sum())
    return {k: total / len(sample) for k, total in totals.items()}


def clusterings(points: np.ndarray) -> dict[int, Clustering]:
    """k-means for every k of ``K_RANGE`` that the distinct points allow."""
    distinct = len(np.unique(points, axis=0))
    runs = {k: kmeans(points, k) for k in K_RANGE if k <= distinct and k < len(points)}
    scores = silhouettes(points, {k: run[0] for k, run in runs.items()})
    return {k: Clustering(k, *runs[k], scores[k]) for k in runs}


def best_k(found: Mapping[int, Clustering]) -> int | None:
    """The k with the highest silhouette (the smaller k on a tie)."""
    if not found:
        return None
    return max(found, key=lambda k: (round(found[k].silhouette, 9), -k))


# ---------- stability ----------


def size_order(clustering: Clustering) -> np.ndarray:
    """Ids by size: the largest group is 0 (ties: by the centre's coordinates)."""
    sizes = np.bincount(clustering.labels, minlength=clustering.k)
    ranking = sorted(
        range(clustering.k),
        key=lambda c: (-sizes[c], *map(float, clustering.centers[c])),
    )
    order = np.empty(clustering.k, dtype=int)
    order[ranking] = np.arange(clustering.k)
    return order


@dataclass
class KStability:
    """Changes the shown k only after the same best k wins ``required`` recomputations in a row.

    It also keeps group ids steady: each new clustering's groups take the ids of the
    previous centres nearest to them.
    """

    required: int = 3
    current: int | None = None
    candidate: int | None = None
    streak: int = 0
    centers: np.ndarray | None = field(default=None, repr=False)

    def choose(self, best: int | None, available: Iterable[int]) -> int | None:
        available = set(available)
        if best is None:
            return None
        if self.current is None or self.current not in available:
            self.current, self.candidate, self.streak = best, None, 0
            self.centers = None
            return best
        if best == self.current:
            self.candidate, self.streak = None, 0
        elif best == self.candidate:
            self.streak += 1
        else:
            self.candidate, self.streak = best, 1
        if self.candidate is not None and self.streak >= self.required:
            self.current, self.candidate, self.streak = best, None, 0
            self.centers = None
        return self.current

    def relabel(self, clustering: Clustering) -> np.ndarray:
        """A permutation ``new id -> steady id`` for this clustering, remembered for next time."""
        k = clustering.k
        order = size_order(clustering)
        previous = self.centers
        if previous is not None and len(previous) == k:
            best_cost = math.inf
            for perm in itertools.permutations(range(k)):
                cost = float(((clustering.centers - previous[list(perm)]) ** 2).sum())
                if cost < best_cost - 1e-12:
                    best_cost, order = cost, np.array(perm)
        steady = np.empty_like(clustering.centers)
        steady[order] = clustering.centers
        self.centers = steady
        return order


# ---------- statements ----------


@dataclass(frozen=True)
class Counts:
    agree: int
    disagree: int
    passed: int

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed


def counts_of(values: np.ndarray) -> list[Counts]:
    """Per column of ``values``: agrees, disagrees, passes."""
    return [
        Counts(int(a), int(d), int(p))
        for a, d, p in zip(
            (values == 1).sum(axis=0),
            (values == -1).sum(axis=0),
            (values == 0).sum(axis=0),
            strict=True,
        )
    ]


def agree_probability(agree: int, seen: int) -> float:
    return (1 + agree) / (2 + seen)


def two_proportion_z(hits_in: int, seen_in: int, hits_rest: int, seen_rest: int) -> float:
    """z of the group's (1 + hits) / (2 + seen) against the rest's, pooled variance."""
    p_in = agree_probability(hits_in, seen_in)
    p_rest = agree_probability(hits_rest, seen_rest)
    pooled = (2 + hits_in + hits_rest) / (4 + seen_in + seen_rest)
    variance = pooled * (1 - pooled) * (1 / (2 + seen_in) + 1 / (2 + seen_rest))
    return (p_in - p_rest) / math.sqrt(variance) if variance > 0 else 0.0


def representative(
    group: Sequence[Counts], rest: Sequence[Counts], statements: Sequence[int], limit: int
) -> list[dict]:
    """The statements this group agrees (or disagrees) with far more than the rest: the
    group's probability is above one half and the z-test passes at 90 %; highest z first."""
    found = []
    for sid, g, r in zip(statements, group, rest, strict=True):
        best = None
        for direction, hits_in, hits_rest in (
            ("agree", g.agree, r.agree),
            ("disagree", g.disagree, r.disagree),
        ):
            if agree_probability(hits_in, g.seen) <= 0.5:
                continue
            z = two_proportion_z(hits_in, g.seen, hits_rest, r.seen)
            if z >= Z_90 and (best is None or z > best[1]):
                best = (direction, z)
        if best is not None:
            found.append(
                {
                    "statement_id": sid,
                    "direction": best[0],
                    "agree_share": round(agree_probability(g.agree, g.seen), 4),
                    "rest_agree_share": round(agree_probability(r.agree, r.seen), 4),
                    "z": round(best[1], 3),
                }
            )
    found.sort(key=lambda row: (-row["z"], row["statement_id"]))
    return found[:limit]


def bridging(by_group: Mapping[int, Sequence[Counts]], statements: Sequence[int]) -> list[dict]:
    """Group-informed consensus of every statement, highest first: the geometric mean over
    the groups of (agrees + 1) / (seen + 2)."""
    if not by_group:
        return []
    rows = []
    for j, sid in enumerate(statements):
        shares = {g: agree_probability(c[j].agree, c[j].seen) for g, c in by_group.items()}
        consensus = math.exp(sum(math.log(p) for p in shares.values()) / len(shares))
        rows.append(
            {
                "statement_id": sid,
                "consensus": round(consensus, 4),
                "by_opinion_group": {str(g): round(p, 4) for g, p in shares.items()},
            }
        )
    rows.sort(key=lambda row: (-row["consensus"], row["statement_id"]))
    return rows


def uncertain(counts: Sequence[Counts], statements: Sequence[int]) -> list[int]:
    """Statements passed by more than 30 % of those who answered them, most passed first."""
    shares = [
        (c.passed / c.seen, sid)
        for sid, c in zip(statements, counts, strict=True)
        if c.seen and c.passed / c.seen > UNCERTAIN_PASS_SHARE
    ]
    return [sid for _, sid in sorted(shares, key=lambda s: (-s[0], s[1]))]


# ---------- the map ----------


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
