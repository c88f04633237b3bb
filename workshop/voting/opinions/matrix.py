"""The vote matrix of an agree activity and its two-dimensional projection (PCA)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

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
