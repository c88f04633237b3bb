"""Creating workshops and activities, and moving the room from one activity to the next."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from .. import ratelimit
from ..extensions import db
from ..groups import DEFAULT_GROUPS
from ..models import (
    ACTIVITY_KINDS,
    STATEMENT_VOTE_KINDS,
    Activity,
    City,
    CoFacilitator,
    Facilitator,
    Statement,
    Workshop,
)
from ..priorities import fields as priority_fields
from . import audit
from .errors import Conflict, Forbidden, Invalid, NotFound

# No 0/O, 1/I/L: a code read aloud or off a projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_GROUPS = 20


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def normalise_code(code: str) -> str:
    """Codes are typed on phones: accept lower case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


MAX_JOIN_TOKEN_LENGTH = 64


def get_workshop(code: str) -> Workshop:
    """The workshop with this short code; 404, or 429 after too many unknown codes."""
    code = normalise_code(code) if isinstance(code, str) and len(code) <= 32 else ""
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code)) if code else None
    if workshop is None:
        ratelimit.note_unknown_workshop()
        raise NotFound("no workshop with that code", "workshop_not_found")
    return workshop


def workshop_for_join_token(token: object) -> Workshop | None:
    """The workshop whose QR code carries ``token``; None (counted like a wrong code) if none."""
    workshop = None
    if isinstance(token, str) and 0 < len(token) <= MAX_JOIN_TOKEN_LENGTH:
        workshop = db.session.scalar(select(Workshop).where(Workshop.join_token == token))
    if workshop is None:
        ratelimit.note_unknown_workshop()
    return workshop


def set_short_code_open(workshop: Workshop, is_open: bool, actor: Facilitator | None) -> Workshop:
    """Open or close the short code. Closed: typing it no longer joins; the QR token still
    does, and everyone already in keeps working."""
    if workshop.short_code_open != is_open:
        workshop.short_code_open = is_open
        audit.record(
            workshop,
            actor,
            "short_code_open" if is_open else "short_code_closed",
            "workshop",
            workshop.id,
        )
    db.session.flush()
    return workshop


def can_manage(workshop: Workshop, facilitator: Facilitator) -> bool:
    """The owner and the co-facilitators the owner invited run and moderate a workshop."""
    if workshop.facilitator_id == facilitator.id:
        return True
    return (
        db.session.get(
            CoFacilitator, {"workshop_id": workshop.id, "facilitator_id": facilitator.id}
        )
        is not None
    )


def get_owned_workshop(code: str, facilitator: Facilitator) -> Workshop:
    """The workshop, if ``facilitator`` may run it (owner or co-facilitator); else 403."""
    workshop = get_workshop(code)
    if not can_manage(workshop, facilitator):
        raise Forbidden("this workshop is run by other facilitators")
    return workshop


def clean_groups(groups: list[str] | None) -> list[str]:
    if groups is None:
        return list(DEFAULT_GROUPS)
    cleaned: list[str] = []
    for group in groups:
        name = " ".join(str(group).split())
        if not name:
            raise Invalid("a stakeholder group name cannot be empty", "invalid_groups")
        if len(name) > 80:
            raise Invalid("a stakeholder group name is at most 80 characters", "invalid_groups")
        if name in cleaned:
            raise Invalid(f"stakeholder group '{name}' is listed twice", "invalid_groups")
        cleaned.append(name)
    if not cleaned:
        raise Invalid("a workshop needs at least one stakeholder group", "invalid_groups")
    if len(cleaned) > MAX_GROUPS:
        raise Invalid(f"at most {MAX_GROUPS} stakeholder groups", "invalid_groups")
    return cleaned


def create_workshop(
    facilitator: Facilitator,
    title: str,
    city: str | None = None,
    groups: list[str] | None = None,
    held_on: date | None = None,
) -> Workshop:
    title = " ".join(title.split())
    if not title:
        raise Invalid("a workshop needs a title", "invalid_title")
    if len(title) > 200:
        raise Invalid("a title is at most 200 characters", "invalid_title")
    city_record = get_city(city) if city else None
    workshop = Workshop(
        code=new_join_code(),
        title=title,
        city=city_record.name_th if city_record else None,
        city_record=city_record,
        held_on=held_on,
        groups=clean_groups(groups),
        facilitator=facilitator,
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def set_consensus_rules(
    workshop: Workshop, threshold: float | None = None, min_group_members: int | None = None
) -> Workshop:
    """Change the consensus rules of agree activities (defaults 0.6 and 3)."""
    if threshold is not None:
        if not 0.5 <= threshold <= 1.0:
            raise Invalid("the consensus threshold must be between 0.5 and 1", "invalid_threshold")
        workshop.consensus_threshold = threshold
    if min_group_members is not None:
        if not 1 <= min_group_members <= 1000:
            raise Invalid("min_group_members must be between 1 and 1000", "invalid_min_group")
        workshop.consensus_min_group = min_group_members
    db.session.flush()
    return workshop


def add_cofacilitator(workshop: Workshop, owner: Facilitator, email: str) -> Facilitator:
    """The owner invites another facilitator (who must have an account) to run the workshop."""
    if workshop.facilitator_id != owner.id:
        raise Forbidden("only the workshop's owner invites co-facilitators")
    invited = db.session.scalar(
        select(Facilitator).where(Facilitator.email == email.strip().lower())
    )
    if invited is None:
        raise Invalid("no facilitator account has that e-mail", "unknown_facilitator")
    if invited.id == owner.id or can_manage(workshop, invited):
        raise Conflict("that facilitator already runs this workshop", "already_facilitator")
    db.session.add(CoFacilitator(workshop_id=workshop.id, facilitator_id=invited.id))
    db.session.flush()
    return invited


def remove_cofacilitator(workshop: Workshop, owner: Facilitator, email: str) -> Facilitator:
    """The owner takes a co-facilitator off the workshop (the edge closes their sockets)."""
    if workshop.facilitator_id != owner.id:
        raise Forbidden("only the workshop's owner removes co-facilitators")
    removed = db.session.scalar(
        select(Facilitator).where(Facilitator.email == email.strip().lower())
    )
    link = (
        db.session.get(CoFacilitator, {"workshop_id": workshop.id, "facilitator_id": removed.id})
        if removed is not None
        else None
    )
    if link is None:
        raise NotFound("that facilitator is not a co-facilitator here", "not_cofacilitator")
    db.session.delete(link)
    audit.record(
        workshop, owner, "remove_cofacilitator", "facilitator", removed.id, email=removed.email
    )
    db.session.flush()
    return removed


def get_city(slug: str) -> City:
    """A city by its slug (``lampang``); unknown slugs are refused with 422."""
    city = db.session.scalar(select(City).where(City.slug == slug.strip().lower()))
    if city is None:
        raise Invalid(f"unknown city '{slug}': use a slug from GET /api/v1/cities", "unknown_city")
    return city


def get_activity(workshop: Workshop, activity_id: object) -> Activity:
    try:
        ident = int(activity_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such activity in this workshop", "activity_not_found") from None
    activity = db.session.get(Activity, ident)
    if activity is None or activity.workshop_id != workshop.id:
        raise NotFound("no such activity in this workshop", "activity_not_found")
    return activity


@dataclass
class ActivitySpec:
    """What a facilitator asks for; fields that do not apply to ``kind`` must stay unset."""

    kind: str
    prompt: str
    prompt_translations: dict[str, str] = field(default_factory=dict)
    source_activity_id: int | None = None
    dots: int | None = None
    max_per_item: int | None = None
    top_k: int | None = None
    options: list[str] | None = None
    multiple: bool | None = None
    plan_section: str | None = None
    horizon: str | None = None
    minutes: int | None = None
    plan_parent_id: int | None = None
    # The vote brings its own statements (carried from the plan or an earlier vote).
    carried: bool = False
    # Priority kinds (workshop/priorities/fields.py): matrix axis labels, points, budget
    # and a budget's own statements [{"text", "cost"}].
    x_label: str | None = None
    y_label: str | None = None
    x_label_en: str | None = None
    y_label_en: str | None = None
    points: int | None = None
    budget: int | None = None
    items: list | None = None


PLAN_SECTIONS = ("vision", "goals", "strategies", "projects")
HORIZONS = ("short", "medium", "long")


MAX_OPTIONS = 20


def add_activity(workshop: Workshop, spec: ActivitySpec) -> Activity:
    """Append an activity; a poll's options become its own statements (no author)."""
    kind = spec.kind
    if kind not in ACTIVITY_KINDS:
        raise Invalid(f"kind must be one of {', '.join(ACTIVITY_KINDS)}", "invalid_kind")
    prompt = spec.prompt.strip()
    if not prompt:
        raise Invalid("an activity needs a prompt", "invalid_prompt")
    if len(prompt) > 500:
        raise Invalid("a prompt is at most 500 characters", "invalid_prompt")
    _refuse_foreign_fields(spec)
    source = (
        _vote_source(workshop, spec.source_activity_id)
        if kind in STATEMENT_VOTE_KINDS and not spec.carried and spec.items is None
        else None
    )
    plan_section, horizon = _plan_place(spec, source)
    if spec.minutes is not None and not 1 <= spec.minutes <= 600:
        raise Invalid("minutes must be between 1 and 600", "invalid_minutes")
    activity = Activity(
        workshop=workshop,
        kind=kind,
        prompt=prompt,
        prompt_translations=dict(spec.prompt_translations or {}),
        position=len(workshop.activities),
        source_activity=source,
        plan_section=plan_section,
        horizon=horizon,
        minutes=spec.minutes,
        plan_parent_id=_plan_parent(workshop, spec.plan_parent_id, plan_section),
    )
    if kind == "dot_vote":
        activity.dots = 5 if spec.dots is None else spec.dots
        activity.max_per_item = 3 if spec.max_per_item is None else spec.max_per_item
        if not 1 <= activity.dots <= 100:
            raise Invalid("dots must be between 1 and 100", "invalid_dots")
        if not 1 <= activity.max_per_item <= activity.dots:
            raise Invalid("max_per_item must be between 1 and dots", "invalid_max_per_item")
    elif kind == "rank":
        activity.top_k = 3 if spec.top_k is None else spec.top_k
        if not 1 <= activity.top_k <= 20:
            raise Invalid("top_k must be between 1 and 20", "invalid_top_k")
    elif kind == "poll":
        activity.multiple = bool(spec.multiple)
        options = _clean_options(spec.options)
    priority_fields.apply(activity, spec)
    items = priority_fields.check_items(spec.items) if spec.items is not None else []
    db.session.add(activity)
    db.session.flush()
    for text, cost in items:  # a budget's own statements
        db.session.add(
            Statement(workshop_id=workshop.id, activity_id=activity.id, text=text, cost=cost)
        )
    if kind == "poll":
        for text in options:
            db.session.add(Statement(workshop_id=workshop.id, activity_id=activity.id, text=text))
        db.session.flush()
    return activity


def _plan_parent(workshop: Workshop, parent_id: int | None, section: str | None) -> int | None:
    """The goal (for strategies) or strategy (for projects) a brainstorm's items go under."""
    if parent_id is None:
        return None
    from ..models import PlanItem
    from ..planning.tree import PARENT_SECTION

    wanted = PARENT_SECTION.get(section or "")
    parent = db.session.get(PlanItem, parent_id)
    if wanted is None:
        raise Invalid(
            "plan_parent_id goes with plan_section strategies or projects", "invalid_parent"
        )
    if parent is None or workshop.process is None or parent.plan.process_id != workshop.process_id:
        raise Invalid(
            "plan_parent_id is not an item of this workshop's process plan", "unknown_parent"
        )
    if parent.section != wanted:
        raise Invalid(f"{section} go under {wanted}, not {parent.section}", "invalid_parent")
    return parent.id


def _plan_place(spec: ActivitySpec, source: Activity | None) -> tuple[str | None, str | None]:
    """Plan section and horizon; a vote inherits them from its source brainstorm."""
    section = spec.plan_section or (source.plan_section if source else None)
    horizon = spec.horizon or (source.horizon if source else None)
    if section is not None and section not in PLAN_SECTIONS:
        raise Invalid(
            f"plan_section must be one of {', '.join(PLAN_SECTIONS)}", "invalid_plan_section"
        )
    if horizon is not None:
        if horizon not in HORIZONS:
            raise Invalid(f"horizon must be one of {', '.join(HORIZONS)}", "invalid_horizon")
        if section != "projects":
            raise Invalid("only projects have a horizon", "invalid_horizon")
    return section, horizon


_KIND_FIELDS = {
    "brainstorm": set(),
    "dot_vote": {"source_activity_id", "dots", "max_per_item"},
    "rank": {"source_activity_id", "top_k"},
    "agree": {"source_activity_id"},
    "rating": {"source_activity_id"},
    "poll": {"options", "multiple"},
    **priority_fields.KIND_FIELDS,  # matrix, points, budget
}


def _refuse_foreign_fields(spec: ActivitySpec) -> None:
    allowed = _KIND_FIELDS[spec.kind]
    for name in ("source_activity_id", "dots", "max_per_item", "top_k", "options", "multiple"):
        if getattr(spec, name) is not None and name not in allowed:
            raise Invalid(f"a {spec.kind} activity takes no {name}", "invalid_activity")


def _clean_options(options: list[str] | None) -> list[str]:
    cleaned: list[str] = []
    for option in options or []:
        text = " ".join(str(option).split())
        if not text or len(text) > 200:
            raise Invalid("each poll option needs 1–200 characters", "invalid_options")
        if text in cleaned:
            raise Invalid(f"poll option '{text}' is listed twice", "invalid_options")
        cleaned.append(text)
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise Invalid(f"a poll needs 2 to {MAX_OPTIONS} options", "invalid_options")
    return cleaned


def _vote_source(workshop: Workshop, source_activity_id: int | None) -> Activity:
    if source_activity_id is None:
        brainstorms = [a for a in workshop.activities if a.kind == "brainstorm"]
        if not brainstorms:
            raise Invalid("a vote needs a brainstorm to vote on; add one first", "no_source")
        return brainstorms[-1]
    source = db.session.get(Activity, source_activity_id)
    if source is None or source.workshop_id != workshop.id:
        raise Invalid("source_activity_id is not an activity of this workshop", "invalid_source")
    if source.kind != "brainstorm":
        raise Invalid("a vote's source must be a brainstorm", "invalid_source")
    return source
