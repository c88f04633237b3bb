"""A city's planning process and its one living plan: the tree, its evidence, its versions.

A process (``PlanningProcess``) gathers a city's meetings in order (each workshop is a
phase). It owns one ``Plan``: a tree of ``PlanItem`` rows (vision and alternatives; goals
with their ``PlanIndicator`` rows; strategies under a goal; projects under a strategy).
Every meeting that touched an item leaves an entry in its ``evidence_log``. Each status
change freezes a numbered ``PlanVersion`` (a snapshot of the whole tree).

A workshop outside any process still gets a plan of its own: it lives in a process of kind
``single`` that holds just that workshop (the migration 0008 moved every older plan there).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import utcnow

if TYPE_CHECKING:
    from ..models.core import City, Facilitator, Statement, Workshop

PLAN_ITEM_SECTIONS = ("vision", "alternatives", "goals", "strategies", "projects")
PLAN_STATUSES = ("draft", "consultation", "adopted")
PROCESS_KINDS = ("process", "single")


class PlanningProcess(db.Model):
    """A city's planning process: several meetings feeding one plan."""

    __tablename__ = "planning_process"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "process": made by a facilitator; "single": the implicit process of one workshop.
    kind: Mapped[str] = mapped_column(String(10), default="process")
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"), index=True)
    start_year_be: Mapped[int | None]
    end_year_be: Mapped[int | None]
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City | None] = relationship()
    facilitator: Mapped[Facilitator] = relationship()
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="process", order_by="(Workshop.phase_position, Workshop.id)"
    )
    plan: Mapped[Plan | None] = relationship(back_populates="process", uselist=False)


class Plan(db.Model):
    """The living plan of a process, edited by planners and fed by every meeting."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # The workshop of a single-workshop plan (kept for the workshop's own plan routes).
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), unique=True)
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_process.id", name="fk_plan_process"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # True once a planner changed anything: redrafting a single plan needs an overwrite.
    edited: Mapped[bool] = mapped_column(default=False)
    adopted_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")
    # The number of the latest frozen version (0 before the first status change).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Counts every change: a planner's edit sent with an older ``base_revision`` is refused.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    workshop: Mapped[Workshop | None] = relationship()
    process: Mapped[PlanningProcess | None] = relationship(back_populates="plan")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )


class PlanItem(db.Model):
    """One node of the plan: the vision, an alternative, a goal, a strategy or a project."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    # A strategy's goal, a project's strategy (None: not placed in the tree yet).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_item.id", name="fk_plan_item_parent", ondelete="SET NULL"), index=True
    )
    horizon: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    # The room's statement it comes from (None when a planner added it).
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    added_by_planner: Mapped[bool] = mapped_column(default=False)
    # The single-workshop evidence (one dict), as the workshop's plan routes give it.
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    # Every meeting that touched the item: [{"workshop", "activity_id", "kind", ...}].
    evidence_log: Mapped[list] = mapped_column(JSON, default=list)
    owner_agency: Mapped[str | None] = mapped_column(String(200))
    indicator: Mapped[str | None] = mapped_column(String(300))
    partner_agencies: Mapped[list] = mapped_column(JSON, default=list)
    budget: Mapped[float | None]  # baht
    funding_source: Mapped[str | None] = mapped_column(String(200))
    start_year: Mapped[int | None]  # Buddhist Era
    end_year: Mapped[int | None]

    plan: Mapped[Plan] = relationship(back_populates="items")
    statement: Mapped[Statement | None] = relationship(foreign_keys=[statement_id])
    indicators: Mapped[list[PlanIndicator]] = relationship(
        order_by="PlanIndicator.id", cascade="all, delete-orphan"
    )


class PlanIndicator(db.Model):
    """How a goal is measured: baseline and target, then the values tracking records."""

    __tablename__ = "plan_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(40))
    baseline_value: Mapped[float | None]
    baseline_year: Mapped[int | None]  # Buddhist Era
    target_value: Mapped[float | None]
    target_year: Mapped[int | None]

    values: Mapped[list[PlanIndicatorValue]] = relationship(
        order_by="(PlanIndicatorValue.date, PlanIndicatorValue.id)", cascade="all, delete-orphan"
    )


class PlanIndicatorValue(db.Model):
    """A measured value of a goal's indicator (recorded while tracking)."""

    __tablename__ = "plan_indicator_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("plan_indicator.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float]
    date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)


class PlanVersion(db.Model):
    """A frozen copy of the whole plan, made at each status change."""

    __tablename__ = "plan_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    facilitator: Mapped[Facilitator | None] = relationship()
