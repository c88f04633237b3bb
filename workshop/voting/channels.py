"""Channels of a tally: how much of each item's result came from the room, paper, helpers,
the online window, and (dot votes) sticker counts. Pure: no Flask, no SQLAlchemy.

A :class:`ChannelTally` is a :class:`Tally` (the counts of every channel together, what
results are computed from) that also keeps one :class:`Tally` per channel; the sum of the
channels' counts is always the total's.

An item's ``by_channel`` gives each channel's share (0..1) of the item's score; ``channel_points``
the channel's part itself. For kinds whose score adds up over ballots (dot_vote: dots, rank:
Borda points, poll: choices) that part is the channel's points. For agree and rating, whose
score is no sum (agree minus disagree; a mean), the part is the channel's number of answers
to the item, and the share is that of the item's answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .tally import ScoringRules, Tally, item_result

CHANNELS = ("room", "paper", "assisted", "online", "paper_aggregate")
DEFAULT_CHANNEL = "room"


@dataclass
class ChannelTally(Tally):
    """Counts of every channel together (the :class:`Tally` itself) and per channel."""

    channels: dict[str, Tally] = field(default_factory=dict)

    def replace(  # type: ignore[override]
        self,
        group: str,
        old: Mapping[int, int],
        new: Mapping[int, int],
        channel: str = DEFAULT_CHANNEL,
        old_channel: str | None = None,
    ) -> None:
        """Swap a ballot ``old`` (cast through ``old_channel``, default: the same channel)
        for ``new`` cast through ``channel``."""
        super().replace(group, old, new)
        before = old_channel or channel
        if old:
            self.channel(before).replace(group, old, {})
        if new:
            self.channel(channel).replace(group, {}, new)

    def channel(self, name: str) -> Tally:
        tally = self.channels.get(name)
        if tally is None:
            tally = self.channels[name] = Tally()
        return tally

    @classmethod
    def from_channel_ballots(
        cls, ballots: Iterable[tuple[str, str, Mapping[int, int]]]
    ) -> ChannelTally:
        """A recount of ``(group, channel, entries)`` ballots."""
        tally = cls()
        for group, channel, entries in ballots:
            tally.replace(group, {}, entries, channel)
        return tally


def channel_part(result: Mapping, kind: str) -> float:
    """What one channel's result of an item contributes (see the module's docstring)."""
    if kind == "agree":
        return result["agree"] + result["disagree"] + result["pass"]
    if kind == "rating":
        return result["count"]
    return result["score"]


def item_channels(
    tally: Tally, item: int, rules: ScoringRules, members: Iterable[int] | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """``(by_channel, channel_points)`` of one item; every channel is listed (0 if absent).

    A plain :class:`Tally` (no channel counts) is all ``room``.
    """
    ids = list(members) if members is not None else [item]
    parts = {name: 0 for name in CHANNELS}
    channels = tally.channels if isinstance(tally, ChannelTally) else {DEFAULT_CHANNEL: tally}
    for name, counted in channels.items():
        if any(i in counted.counts for i in ids):
            parts[name] = channel_part(item_result(counted, item, rules, ids), rules.kind)
    total = sum(parts.values())
    shares = {name: (round(part / total, 4) if total else 0.0) for name, part in parts.items()}
    return shares, parts


def with_channels(
    ranked: list[dict],
    tally: Tally,
    rules: ScoringRules,
    members: Mapping[int, Iterable[int]] | None = None,
) -> list[dict]:
    """Add ``by_channel`` and ``channel_points`` to every item of ``ranked_results`` (in place)."""
    members = members or {}
    for item in ranked:
        ident = item["statement_id"]
        item["by_channel"], item["channel_points"] = item_channels(
            tally, ident, rules, members.get(ident)
        )
    return ranked
