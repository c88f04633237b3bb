"""A plan item's evidence (``planning.workshop_plan.ranked_statements``) as lines for people."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from ..groups import group_label
from .kinds import level_label, view_for
from .numbers import decimal, share, whole


def _support(kind: str | None, by_group: Mapping | None) -> str:
    """``ประชาชน 12 · ภาคเอกชน 3`` (groups that gave nothing left out)."""
    view = view_for(kind)
    parts = []
    for group, value in (by_group or {}).items():
        lines = view.group_lines(value)
        if lines == ["–"] or lines == ["0"]:
            continue
        parts.append(f"{group_label(group)} {', '.join(lines)}")
    return " · ".join(parts)


def _score(evidence: Mapping) -> str:
    kind = evidence.get("vote_kind")
    score, rank = evidence.get("score"), evidence.get("rank")
    if kind == "rating":
        text = _("Mean %(mean)s of 5", mean=decimal(score))
    elif kind is None:
        return ""
    else:
        label = str(view_for(kind).columns[0].header) if view_for(kind).columns else _("Score")
        text = f"{label} {whole(score)}"
    if rank:
        text += " · " + _("rank %(n)s", n=whole(rank))
    return text


def evidence_lines(evidence: Mapping | None) -> list[str]:
    """Score and rank, support per group, and the consensus of the agree vote."""
    if not evidence:
        return []
    lines = []
    score = _score(evidence)
    if score:
        ballots = evidence.get("ballots")
        if ballots:
            score += " · " + _("%(n)s ballots", n=whole(ballots))
        lines.append(score)
    support = _support(evidence.get("vote_kind"), evidence.get("by_group"))
    if support:
        lines.append(support)
    consensus = evidence.get("consensus")
    if consensus:
        text = _("Consensus: %(level)s", level=level_label(consensus.get("level")))
        lowest = consensus.get("min_group_agreement")
        if lowest is not None:
            text += " · " + _("lowest group %(share)s", share=share(lowest))
        lines.append(text)
        agree = _support("agree", consensus.get("by_group"))
        if agree:
            lines.append(agree)
    from ..kinds.plan_notes import room_lines

    for entry in evidence.get("room") or []:  # word clouds, Q&As, maps
        lines += room_lines(entry)
    return lines
