"""How many ballots came through each channel (and how many sticker sheets)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from ..extensions import db
from ..models import Ballot, PaperCount
from . import CHANNELS


def ballots_by_channel(activity_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per activity, ballots per channel; ``paper_aggregate`` counts sticker sheets (not
    ballots: a sheet is a table's dots, not one person's). Two queries for any number."""
    ids = sorted(set(activity_ids))
    if not ids:
        return {}
    found: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(Ballot.activity_id, Ballot.channel, func.count())
        .where(Ballot.activity_id.in_(ids))
        .group_by(Ballot.activity_id, Ballot.channel)
    ).all()
    sheets = db.session.execute(
        select(PaperCount.activity_id, func.count())
        .where(PaperCount.activity_id.in_(ids))
        .group_by(PaperCount.activity_id)
    ).all()
    for activity_id, channel, n in [*rows, *((a, "paper_aggregate", n) for a, n in sheets)]:
        counts = found.setdefault(activity_id, dict.fromkeys(CHANNELS, 0))
        counts[channel or "room"] = counts.get(channel or "room", 0) + n
    return found


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(CHANNELS, 0)
