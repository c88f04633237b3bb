"""Sticker counts of a table (a dot vote on a paper sheet): ``paper_aggregate``.

A sheet adds its dots to the statements' scores and to its group's, in the channel
``paper_aggregate``. It is no ballot: ``ballots``, participant counts and the opinion map
never see it; only dot votes take sheets (a median or a consensus of unknown people
cannot be computed from a count of dots).
"""

from __future__ import annotations

from ..extensions import db
from ..live.tallies import live_tallies
from ..models import Facilitator, PaperCount, Workshop, encode_entries
from ..services.ballot_rows import eligible_statement_ids, vote_rules
from ..services.errors import Invalid
from .paper import check_group, vote_activity

MAX_DOTS_PER_STATEMENT = 10_000


def clean_counts(counts: object, eligible: set[int]) -> dict[int, int]:
    if not isinstance(counts, dict) or not counts:
        raise Invalid("counts must be an object of statement id to dots", "invalid_counts")
    entries: dict[int, int] = {}
    for key, value in counts.items():
        text = str(key).strip()
        if not text.isdigit() or int(text) not in eligible:
            raise Invalid(f"{key} is not a statement of this vote", "invalid_statement")
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("each count is a whole number of dots", "invalid_counts")
        if not 0 <= value <= MAX_DOTS_PER_STATEMENT:
            raise Invalid(f"a count is between 0 and {MAX_DOTS_PER_STATEMENT}", "invalid_counts")
        if value:
            entries[int(text)] = value
    if not entries:
        raise Invalid("this sheet has no dots", "empty_counts")
    return entries


def add_sheet(workshop: Workshop, facilitator: Facilitator, body: dict) -> PaperCount:
    """Store one sheet (``activity_id``, ``group``, ``counts``) and commit it."""
    activity = vote_activity(workshop, body.get("activity_id"))
    if activity.kind != "dot_vote":
        raise Invalid("sticker counts are taken for dot votes only", "wrong_kind")
    group = check_group(workshop, body.get("group"))
    rules = vote_rules(activity.id)
    entries = clean_counts(body.get("counts"), eligible_statement_ids(rules))  # type: ignore[arg-type]
    tallies = live_tallies()
    with tallies.writing():
        sheet = PaperCount(
            activity_id=activity.id,
            group=group,
            entries_json=encode_entries(entries),
            facilitator_id=facilitator.id,
        )
        db.session.add(sheet)
        db.session.commit()
        tallies.apply(activity.id, group, {}, entries, "paper_aggregate")
    return sheet
