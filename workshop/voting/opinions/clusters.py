"""k-means for k = 2..5, the silhouette that picks k, and the stability that keeps it."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .matrix import SEED

K_RANGE = (2, 3, 4, 5)
SILHOUETTE_SAMPLE = 2000
KMEANS_PLUS_STARTS = 3


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
