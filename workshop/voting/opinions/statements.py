"""Per statement: a group's counts, its representative statements, bridging, uncertainty."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816  # one-sided 90 %
UNCERTAIN_PASS_SHARE = 0.3
MAX_REPRESENTATIVE = 5


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
