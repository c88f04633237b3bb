"""The draft plan made from a workshop's results."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .core import Statement, Workshop

PLAN_ITEM_SECTIONS = ("vision", "alternatives", "goals", "strategies", "projects")


class Plan(db.Model):
    """The draft city plan made from a workshop's results, then edited by planners."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # True once a planner changed anything: redrafting then needs an explicit overwrite.
    edited: Mapped[bool] = mapped_column(default=False)
    adopted_at: Mapped[datetime | None]

    workshop: Mapped[Workshop] = relationship()
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )


class PlanItem(db.Model):
    """One line of the plan: the vision, an alternative, a goal, a strategy or a project."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    horizon: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    # The room's statement it comes from (None when a planner added it).
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    added_by_planner: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    owner_agency: Mapped[str | None] = mapped_column(String(200))
    indicator: Mapped[str | None] = mapped_column(String(300))

    plan: Mapped[Plan] = relationship(back_populates="items")
    statement: Mapped[Statement | None] = relationship()
