"""Following an adopted plan's projects: updates, milestones, indicators."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import utcnow

if TYPE_CHECKING:
    from ..models.core import City, Facilitator
    from ..planning.models import Plan

PROJECT_STATUSES = ("not_started", "in_progress", "delayed", "done", "cancelled")


class TrackedProject(db.Model):
    """A project of an adopted plan, followed until it is done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"), index=True)
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_item.id", ondelete="SET NULL")
    )
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    title: Mapped[str] = mapped_column(Text)
    horizon: Mapped[str | None] = mapped_column(String(10))
    goal: Mapped[str | None] = mapped_column(Text)
    # Where the project stood in the plan tree when adopted (see workshop/planning).
    strategy: Mapped[str | None] = mapped_column(Text)
    goal_item_id: Mapped[int | None]
    strategy_item_id: Mapped[int | None]
    owner_agency: Mapped[str | None] = mapped_column(String(200))
    budget: Mapped[float | None]
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[int] = mapped_column(default=0)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship()
    city: Mapped[City | None] = relationship()
    updates: Mapped[list[ProjectUpdate]] = relationship(
        back_populates="project", order_by="ProjectUpdate.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.id")
    indicators: Mapped[list[Indicator]] = relationship(order_by="Indicator.id")


class ProjectUpdate(db.Model):
    """A dated progress report; the history is kept, never overwritten."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("tracked_project.id"), index=True)
    date: Mapped[date]
    status: Mapped[str | None] = mapped_column(String(20))
    progress: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    source: Mapped[str] = mapped_column(String(10), default="form")  # form, api, import
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[TrackedProject] = relationship(back_populates="updates")
    facilitator: Mapped[Facilitator | None] = relationship()


class Milestone(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("tracked_project.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date | None]
    done_on: Mapped[date | None]


class Indicator(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("tracked_project.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(40))
    baseline: Mapped[float | None]
    target: Mapped[float | None]

    values: Mapped[list[IndicatorValue]] = relationship(order_by="IndicatorValue.date")


class IndicatorValue(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    value: Mapped[float]
    date: Mapped[date]
