"""Live tallies: one in-memory running :class:`~workshop.voting.Tally` per vote activity.

Built from the database the first time a process needs it (start-up, a
process joining, an activity reopened), then updated in O(entries) per ballot
change after each commit. With a message queue (several processes), each
process only sees its own ballots, so tallies are rebuilt from the database
for every snapshot instead; snapshots are throttled, so that stays cheap.

Ballot writes run ``commit`` and :meth:`LiveTallies.apply` under one lock, and
builds take the same lock, so a build never counts a ballot twice.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Activity, Ballot, PaperCount, Participant, decode_entries
from ..voting import ChannelTally, ScoringRules, Tally


def load_tally(activity_id: int) -> ChannelTally:
    """Count every stored ballot of one activity (one query, and one of its sticker counts)."""
    return load_tallies([activity_id]).get(activity_id) or ChannelTally()


def load_tallies(activity_ids: Iterable[int]) -> dict[int, ChannelTally]:
    """Count every stored ballot of these activities, in one query; an activity without
    ballots is absent.

    Equal ballots are counted first (``Counter`` runs in C) and each distinct one is
    decoded once, then nested in the order they first came, as ``Tally.replace`` would
    have nested them one by one.
    """
    ids = list(activity_ids)
    if not ids:
        return {}
    db.session.flush()  # the connection's execute does not autoflush as the session's does
    rows = (
        db.session.connection()
        .execute(
            select(Ballot.activity_id, Participant.group, Ballot.entries_json, Ballot.channel)
            .join(Participant, Participant.id == Ballot.participant_id)
            .where(Ballot.activity_id.in_(ids))
        )
        .all()
    )  # one fetchall, not a fetchone per row
    sheets = db.session.execute(
        select(PaperCount.activity_id, PaperCount.group, PaperCount.entries_json).where(
            PaperCount.activity_id.in_(ids)
        )
    ).all()
    rows = [*rows, *((a, g, e, "paper_aggregate") for a, g, e in sheets)]
    tallies: dict[int, ChannelTally] = {}
    for (activity_id, group, entries, channel), n in Counter(map(tuple, rows)).items():
        tally = tallies.get(activity_id)
        if tally is None:
            tally = tallies[activity_id] = ChannelTally()
        counts = tally.counts
        by_channel = tally.channel(channel or "room").counts
        for statement_id, value in decode_entries(entries).items():
            counts[statement_id][group][value] += n
            by_channel[statement_id][group][value] += n
    return tallies


def scoring_rules(activity: Activity) -> ScoringRules:
    workshop = activity.workshop
    return ScoringRules(
        kind=activity.kind,
        groups=list(workshop.groups),
        top_k=activity.top_k or 3,
        threshold=workshop.consensus_threshold,
        min_members=workshop.consensus_min_group,
    )


class LiveTallies:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.RLock()
        self._tallies: dict[int, Tally] = {}

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold while committing a ballot and applying it."""
        with self._lock:
            yield

    def get(self, activity_id: int) -> Tally:
        if not self.enabled:
            return load_tally(activity_id)
        with self._lock:
            tally = self._tallies.get(activity_id)
            if tally is None:
                tally = self._tallies[activity_id] = load_tally(activity_id)
            return tally

    def apply(
        self,
        activity_id: int,
        group: str,
        old: dict[int, int],
        new: dict[int, int],
        channel: str = "room",
        old_channel: str | None = None,
    ) -> None:
        with self._lock:
            tally = self._tallies.get(activity_id)
            if isinstance(tally, ChannelTally):
                tally.replace(group, old, new, channel, old_channel)
            elif tally is not None:
                tally.replace(group, old, new)

    def forget(self, activity_id: int) -> None:
        with self._lock:
            self._tallies.pop(activity_id, None)


def init_app(app) -> None:
    app.extensions["workshop_tallies"] = LiveTallies(enabled=not app.config.get("MESSAGE_QUEUE"))


def live_tallies() -> LiveTallies:
    return current_app.extensions["workshop_tallies"]
