"""Evidence entries: what one meeting said of one plan item (who supported it, how much)."""

from __future__ import annotations

from ..models import PlanItem, Workshop, utcnow

# Fields of a results item that are about the statement itself, not the room's view of it.
_NOT_EVIDENCE = {"statement_id", "text", "group"}


def draft_entry(workshop: Workshop, evidence: dict, statement_id: int) -> dict:
    """From a brainstorm's ranked evidence (``planning.workshop_plan.ranked_statements``)."""
    return {
        "workshop": workshop.code,
        "workshop_title": workshop.title,
        "source": "draft",
        "key": f"draft:{evidence.get('brainstorm_id')}",
        "activity_id": evidence.get("activity_id"),
        "kind": evidence.get("vote_kind"),
        "score": evidence.get("score"),
        "rank": evidence.get("rank"),
        "ballots": evidence.get("ballots"),
        "ballots_by_channel": evidence.get("ballots_by_channel"),
        "channel_points": evidence.get("channel_points"),
        "by_group": evidence.get("by_group") or {},
        "consensus": evidence.get("consensus"),
        "brainstorm_id": evidence.get("brainstorm_id"),
        "statement_id": statement_id,
        "author_group": evidence.get("author_group"),
        "merged_from": evidence.get("merged_from") or [],
        "priority": evidence.get("priority"),  # a matrix's quadrant (workshop/priorities/)
        # points and budget votes: mean points, cost in baht, within the funded line
        **{k: evidence[k] for k in ("mean_points", "cost", "funded") if k in evidence},
        "recorded_at": utcnow().isoformat(),
    }


def vote_entry(workshop: Workshop, results: dict, item: dict, source: str) -> dict:
    """From one item of a vote's results (a hearing on plan items, or a carried vote)."""
    entry = {
        "workshop": workshop.code,
        "workshop_title": workshop.title,
        "source": source,
        "key": f"vote:{results['activity_id']}",
        "activity_id": results["activity_id"],
        "kind": results["kind"],
        "ballots": results.get("ballots"),
        "ballots_by_channel": results.get("ballots_by_channel"),
        "statement_id": item["statement_id"],
        "recorded_at": utcnow().isoformat(),
    }
    entry.update({k: v for k, v in item.items() if k not in _NOT_EVIDENCE})
    entry.setdefault("by_group", {})
    return entry


def add_entry(item: PlanItem, entry: dict) -> None:
    """Record ``entry`` on the item, replacing the same meeting's earlier entry (a redraft
    or a recount updates, never duplicates)."""
    log = list(item.evidence_log or [])
    keys = [e.get("key") for e in log]
    if entry["key"] in keys:
        log[keys.index(entry["key"])] = entry  # in its place: the log stays in meeting order
    else:
        log.append(entry)
    item.evidence_log = log  # a new list: the JSON column sees the change
