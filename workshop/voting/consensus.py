"""Consensus across stakeholder groups for one statement of an agree activity.

A group *qualifies* when at least ``min_members`` of its members answered.
Agreement share = agree / (agree + disagree + pass); disagreement share = disagree / (same).

- ``insufficient``: fewer than 2 groups qualify;
- ``consensus``: every qualifying group has agreement share >= threshold;
- ``divisive``: one qualifying group agrees >= threshold and another disagrees >= threshold;
- ``mixed``: otherwise.

``min_group_agreement`` is the smallest agreement share among qualifying groups
(``None`` when none qualifies). See docs/consensus.md for a worked example.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LEVELS = ("consensus", "mixed", "divisive", "insufficient")  # order of the results page


@dataclass(frozen=True)
class AgreeCounts:
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def answered(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agreement(self) -> float:
        return self.agree / self.answered if self.answered else 0.0

    @property
    def disagreement(self) -> float:
        return self.disagree / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class Consensus:
    level: str
    min_group_agreement: float | None


def consensus(
    by_group: Mapping[str, AgreeCounts], threshold: float = 0.6, min_members: int = 3
) -> Consensus:
    qualifying = [c for c in by_group.values() if c.answered >= min_members]
    min_agreement = min((c.agreement for c in qualifying), default=None)
    # Shares are compared with a small tolerance: 3/5 must count as 0.6.
    eps = 1e-9
    if len(qualifying) < 2:
        return Consensus("insufficient", min_agreement)
    if all(c.agreement >= threshold - eps for c in qualifying):
        return Consensus("consensus", min_agreement)
    agreeing = [i for i, c in enumerate(qualifying) if c.agreement >= threshold - eps]
    disagreeing = [i for i, c in enumerate(qualifying) if c.disagreement >= threshold - eps]
    if any(a != d for a in agreeing for d in disagreeing):
        return Consensus("divisive", min_agreement)
    return Consensus("mixed", min_agreement)


def level_order(level: str) -> int:
    return LEVELS.index(level)
