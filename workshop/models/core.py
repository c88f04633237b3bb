"""People, workshops, activities and statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import new_join_token, utcnow

if TYPE_CHECKING:
    from ..planning.models import PlanningProcess

ACTIVITY_KINDS = ("brainstorm", "dot_vote", "rank", "agree", "rating", "poll")
# Kinds that vote on the statements of a source brainstorm (a poll votes on its own options).
STATEMENT_VOTE_KINDS = ("dot_vote", "rank", "agree", "rating")
# Priority kinds (issue 15): impact × feasibility matrix, points, budget (workshop/priorities/).
PRIORITY_KINDS = ("matrix", "points", "budget")
ACTIVITY_KINDS += PRIORITY_KINDS
STATEMENT_VOTE_KINDS += PRIORITY_KINDS
ACTIVITY_STATES = ("draft", "open", "closed")


class Facilitator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="facilitator")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ApiToken(db.Model):
    """A bearer token for the facilitator API (``workshop token create``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitator: Mapped[Facilitator] = relationship(back_populates="tokens")


class City(db.Model):
    """A municipality: the ten pilot cities are seeded by the migrations."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_th: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(10))  # city (นคร) or town (เมือง)
    phase: Mapped[str | None] = mapped_column(String(40))


class Workshop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))  # display name
    city_id: Mapped[int | None] = mapped_column(
        ForeignKey("city.id", name="fk_workshop_city"), index=True
    )
    held_on: Mapped[date | None]
    groups: Mapped[list[str]] = mapped_column(JSON)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    current_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", use_alter=True, name="fk_workshop_current_activity")
    )
    # Consensus rules of agree activities (see workshop/voting/consensus.py).
    consensus_threshold: Mapped[float] = mapped_column(default=0.6, server_default="0.6")
    consensus_min_group: Mapped[int] = mapped_column(default=3, server_default="3")
    # Pre-moderation: new statements wait for a facilitator's approval.
    premoderation: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Years each project horizon spans, e.g. {"short": [1, 2], "medium": [3, 5], "long": [6, 10]}.
    horizon_years: Mapped[dict | None] = mapped_column(JSON)
    # Long random secret carried by the QR code and join link (``/j/<code>?t=<token>``);
    # it still joins after the facilitator closes the short code.
    join_token: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, default=new_join_token
    )
    short_code_open: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The planning process this workshop is a phase of, its place and its purpose there.
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_process.id", name="fk_workshop_process"), index=True
    )
    phase_position: Mapped[int] = mapped_column(default=0, server_default="0")
    phase_purpose: Mapped[str | None] = mapped_column(Text)

    facilitator: Mapped[Facilitator] = relationship()
    process: Mapped[PlanningProcess | None] = relationship(back_populates="workshops")
    city_record: Mapped[City | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(
        back_populates="workshop",
        order_by="Activity.position",
        foreign_keys="Activity.workshop_id",
    )
    current_activity: Mapped[Activity | None] = relationship(
        foreign_keys=[current_activity_id], post_update=True
    )


class Activity(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    # Prompt in other languages, e.g. {"en": "..."}; ``prompt`` is the main one.
    prompt_translations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    source_activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    dots: Mapped[int | None]
    max_per_item: Mapped[int | None]
    top_k: Mapped[int | None]  # rank: how many statements to put in order
    multiple: Mapped[bool] = mapped_column(default=False, server_default="0")  # poll
    # Run of show: locked input, a countdown, results hidden on the projector.
    locked: Mapped[bool] = mapped_column(default=False, server_default="0")
    ends_at: Mapped[datetime | None]
    projector_results: Mapped[bool] = mapped_column(default=True, server_default="1")
    minutes: Mapped[int | None]  # suggested length, from the agenda template
    # Where the results go in the draft plan: vision, goals, strategies, projects.
    plan_section: Mapped[str | None] = mapped_column(String(20))
    horizon: Mapped[str | None] = mapped_column(String(10))  # short, medium, long
    results_revealed: Mapped[bool] = mapped_column(default=False)
    # Where a brainstorm's drafted items go in the plan tree (a goal or a strategy).
    plan_parent_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "plan_item.id", name="fk_activity_plan_parent", ondelete="SET NULL", use_alter=True
        )
    )
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # An agree activity's opinion map: may each phone see its own (anonymous) place on it?
    opinion_own_dot: Mapped[bool] = mapped_column(default=False, server_default=false())
    # matrix: the axis labels (default ผลกระทบ / ความเป็นไปได้); points: P to spread;
    # budget: B in baht (workshop/priorities/).
    x_label: Mapped[str | None] = mapped_column(String(60))
    y_label: Mapped[str | None] = mapped_column(String(60))
    x_label_en: Mapped[str | None] = mapped_column(String(60))
    y_label_en: Mapped[str | None] = mapped_column(String(60))
    points: Mapped[int | None]
    budget: Mapped[int | None] = mapped_column(BigInteger)

    workshop: Mapped[Workshop] = relationship(
        back_populates="activities", foreign_keys=[workshop_id]
    )
    source_activity: Mapped[Activity | None] = relationship(remote_side=[id])

    @property
    def is_vote(self) -> bool:
        return self.kind != "brainstorm"

    @property
    def ballot_source_id(self) -> int | None:
        """Whose statements a vote is about: its own (a poll's options, or the plan items or
        earlier statements carried into it), else its source brainstorm's."""
        if not self.is_vote:
            return None
        if self.kind == "poll" or self.source_activity_id is None:
            return self.id
        return self.source_activity_id

    def prompt_for(self, locale: str | None) -> str:
        if locale and locale in (self.prompt_translations or {}):
            return self.prompt_translations[locale]
        return self.prompt


class Participant(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    group: Mapped[str] = mapped_column(String(80))
    name: Mapped[str | None] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workshop: Mapped[Workshop] = relationship()


class Statement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    text: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64))
    hidden: Mapped[bool] = mapped_column(default=False)
    pending: Mapped[bool] = mapped_column(default=False, server_default="0")
    pinned: Mapped[bool] = mapped_column(default=False, server_default="0")
    # A merged-away duplicate points at the statement that carries it; its votes count there.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement.id", name="fk_statement_merged_into"), index=True
    )
    merged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A statement carried into a later vote: the plan item, or the earlier statement, it is.
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "plan_item.id", name="fk_statement_plan_item", ondelete="SET NULL", use_alter=True
        ),
        index=True,
    )
    origin_statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement.id", name="fk_statement_origin")
    )
    # What the statement costs, in baht, for a budget vote (set by the facilitator).
    cost: Mapped[int | None] = mapped_column(BigInteger)

    participant: Mapped[Participant | None] = relationship()
    activity: Mapped[Activity] = relationship(foreign_keys=[activity_id])
    edits: Mapped[list[StatementEdit]] = relationship(
        back_populates="statement", order_by="StatementEdit.id"
    )

    __table_args__ = (UniqueConstraint("participant_id", "client_id", name="uq_statement_client"),)

    @property
    def visible(self) -> bool:
        return not (self.hidden or self.pending or self.merged_into_id)

    @property
    def group(self) -> str | None:
        return self.participant.group if self.participant else None


class StatementEdit(db.Model):
    """A statement's text before and after a facilitator's edit (first old_text = original)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"), index=True)
    old_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    statement: Mapped[Statement] = relationship(back_populates="edits")
    facilitator: Mapped[Facilitator | None] = relationship()


class AuditEntry(db.Model):
    """Who did what, when, in a workshop: open, close, hide, edit, merge, ..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    action: Mapped[str] = mapped_column(String(30))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    facilitator: Mapped[Facilitator | None] = relationship()


class CoFacilitator(db.Model):
    """A facilitator the owner invited to run and moderate a workshop."""

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitator: Mapped[Facilitator] = relationship()
