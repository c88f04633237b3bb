"""Running tallies per statement and stakeholder group, and ranking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class RankedItem:
    statement_id: int
    score: int
    by_group: dict[str, int]
    rank: int = 0


@dataclass
class GroupTally:
    """Scores per statement and per group, updated per ballot change.

    ``replace(group, old, new)`` costs O(entries of the two ballots), never a
    recount, so a live tally stays cheap however many ballots there are.
    """

    scores: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_group: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def replace(self, group: str, old: Mapping[int, int], new: Mapping[int, int]) -> None:
        for statement_id, value in old.items():
            self._add(statement_id, group, -value)
        for statement_id, value in new.items():
            self._add(statement_id, group, value)

    def _add(self, statement_id: int, group: str, delta: int) -> None:
        if not delta:
            return
        self.scores[statement_id] += delta
        per_group = self.by_group[statement_id]
        per_group[group] += delta
        if per_group[group] == 0:
            del per_group[group]
        if self.scores[statement_id] == 0 and not per_group:
            del self.scores[statement_id]
            del self.by_group[statement_id]

    @classmethod
    def from_ballots(cls, ballots: Iterable[tuple[str, Mapping[int, int]]]) -> GroupTally:
        tally = cls()
        for group, entries in ballots:
            tally.replace(group, {}, entries)
        return tally

    def as_dict(self) -> dict[int, tuple[int, dict[str, int]]]:
        return {sid: (score, dict(self.by_group[sid])) for sid, score in self.scores.items()}


def rank_items(
    statement_ids: Iterable[int],
    scores: Mapping[int, int],
    by_group: Mapping[int, Mapping[str, int]],
    groups: Iterable[str] = (),
) -> list[RankedItem]:
    """Rank statements by score, highest first; ties share a rank (1, 1, 3).

    Ties are listed oldest statement first (lower id), so the order is stable.
    Every group in ``groups`` appears in ``by_group`` (0 when it gave nothing).
    """
    group_list = list(groups)
    items = []
    for sid in statement_ids:
        per_group = {g: 0 for g in group_list}
        per_group.update(by_group.get(sid, {}))
        items.append(RankedItem(sid, scores.get(sid, 0), per_group))
    items.sort(key=lambda item: (-item.score, item.statement_id))
    previous_score = None
    for position, item in enumerate(items, start=1):
        if item.score != previous_score:
            rank = position
            previous_score = item.score
        item.rank = rank
    return items
