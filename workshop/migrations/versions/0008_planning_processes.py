"""planning processes: one living plan per process, a tree, evidence per meeting, versions

Every existing plan moves into a process of its own (kind ``single``, the workshop as its
only phase): its items, their evidence (copied into ``evidence_log`` with the workshop's
code) and its adoption are kept; nothing is lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

workshop_t = sa.table(
    "workshop",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("title", sa.String),
    sa.column("city_id", sa.Integer),
    sa.column("facilitator_id", sa.Integer),
    sa.column("held_on", sa.Date),
    sa.column("created_at", sa.DateTime),
    sa.column("process_id", sa.Integer),
)
process_t = sa.table(
    "planning_process",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("title", sa.String),
    sa.column("city_id", sa.Integer),
    sa.column("start_year_be", sa.Integer),
    sa.column("end_year_be", sa.Integer),
    sa.column("facilitator_id", sa.Integer),
    sa.column("published", sa.Boolean),
    sa.column("created_at", sa.DateTime),
)
plan_t = sa.table(
    "plan",
    sa.column("id", sa.Integer),
    sa.column("workshop_id", sa.Integer),
    sa.column("process_id", sa.Integer),
    sa.column("adopted_at", sa.DateTime),
    sa.column("status", sa.String),
)
item_t = sa.table(
    "plan_item",
    sa.column("id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("evidence", sa.JSON),
    sa.column("evidence_log", sa.JSON),
    sa.column("partner_agencies", sa.JSON),
)


def upgrade():
    op.create_table(
        "planning_process",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column("start_year_be", sa.Integer(), nullable=True),
        sa.Column("end_year_be", sa.Integer(), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"]),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("planning_process", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planning_process_city_id"), ["city_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_planning_process_facilitator_id"), ["facilitator_id"], unique=False
        )

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("process_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("phase_position", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("phase_purpose", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_workshop_process_id"), ["process_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_workshop_process", "planning_process", ["process_id"], ["id"]
        )

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.alter_column("workshop_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("process_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="draft", nullable=False)
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_unique_constraint("uq_plan_process_id", ["process_id"])
        batch_op.create_foreign_key("fk_plan_process", "planning_process", ["process_id"], ["id"])

    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("evidence_log", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("partner_agencies", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("budget", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("funding_source", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("start_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_year", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_plan_item_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_plan_item_parent", "plan_item", ["parent_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "plan_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("baseline_value", sa.Double(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Double(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["plan_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_indicator_item_id"), ["item_id"], unique=False)
    op.create_table(
        "plan_indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["plan_indicator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_indicator_value_indicator_id"), ["indicator_id"], unique=False
        )
    op.create_table(
        "plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_version_plan_id"), ["plan_id"], unique=False)

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_activity_plan_parent", "plan_item", ["plan_parent_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("origin_statement_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_statement_plan_item_id"), ["plan_item_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_statement_plan_item", "plan_item", ["plan_item_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_statement_origin", "statement", ["origin_statement_id"], ["id"]
        )

    _move_plans_into_processes()

    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.alter_column("evidence_log", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("partner_agencies", existing_type=sa.JSON(), nullable=False)


def _move_plans_into_processes():
    connection = op.get_bind()
    workshops = {
        row.id: row
        for row in connection.execute(
            sa.select(
                workshop_t.c.id,
                workshop_t.c.code,
                workshop_t.c.title,
                workshop_t.c.city_id,
                workshop_t.c.facilitator_id,
                workshop_t.c.held_on,
                workshop_t.c.created_at,
            )
        )
    }
    plans = list(
        connection.execute(sa.select(plan_t.c.id, plan_t.c.workshop_id, plan_t.c.adopted_at))
    )
    codes = {}
    for plan_id, workshop_id, adopted_at in plans:
        workshop = workshops[workshop_id]
        year = (workshop.held_on or workshop.created_at).year + 543
        process_id = connection.execute(
            process_t.insert()
            .values(
                kind="single",
                title=workshop.title,
                city_id=workshop.city_id,
                start_year_be=year,
                end_year_be=year + 9,
                facilitator_id=workshop.facilitator_id,
                published=False,
                created_at=workshop.created_at,
            )
            .returning(process_t.c.id)
        ).scalar_one()
        connection.execute(
            workshop_t.update().where(workshop_t.c.id == workshop_id).values(process_id=process_id)
        )
        connection.execute(
            plan_t.update()
            .where(plan_t.c.id == plan_id)
            .values(process_id=process_id, status="adopted" if adopted_at else "draft")
        )
        codes[plan_id] = workshop.code
    for item_id, plan_id, evidence in list(
        connection.execute(sa.select(item_t.c.id, item_t.c.plan_id, item_t.c.evidence))
    ):
        log = [{**evidence, "workshop": codes[plan_id], "source": "draft"}] if evidence else []
        connection.execute(
            item_t.update()
            .where(item_t.c.id == item_id)
            .values(evidence_log=log, partner_agencies=[])
        )


def downgrade():
    connection = op.get_bind()
    # Plans of real processes (no workshop of their own) cannot go back: they are dropped.
    orphan_plans = [
        row.id
        for row in connection.execute(sa.select(plan_t.c.id).where(plan_t.c.workshop_id.is_(None)))
    ]
    if orphan_plans:
        connection.execute(item_t.delete().where(item_t.c.plan_id.in_(orphan_plans)))
        connection.execute(plan_t.delete().where(plan_t.c.id.in_(orphan_plans)))

    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_constraint("fk_statement_origin", type_="foreignkey")
        batch_op.drop_constraint("fk_statement_plan_item", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_statement_plan_item_id"))
        batch_op.drop_column("origin_statement_id")
        batch_op.drop_column("plan_item_id")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_constraint("fk_activity_plan_parent", type_="foreignkey")
        batch_op.drop_column("plan_parent_id")

    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_version_plan_id"))
    op.drop_table("plan_version")
    with op.batch_alter_table("plan_indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_indicator_value_indicator_id"))
    op.drop_table("plan_indicator_value")
    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_indicator_item_id"))
    op.drop_table("plan_indicator")

    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_constraint("fk_plan_item_parent", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_plan_item_parent_id"))
        batch_op.drop_column("end_year")
        batch_op.drop_column("start_year")
        batch_op.drop_column("funding_source")
        batch_op.drop_column("budget")
        batch_op.drop_column("partner_agencies")
        batch_op.drop_column("evidence_log")
        batch_op.drop_column("parent_id")

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_constraint("fk_plan_process", type_="foreignkey")
        batch_op.drop_constraint("uq_plan_process_id", type_="unique")
        batch_op.drop_column("revision")
        batch_op.drop_column("version")
        batch_op.drop_column("status")
        batch_op.drop_column("process_id")
        batch_op.alter_column("workshop_id", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_constraint("fk_workshop_process", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_workshop_process_id"))
        batch_op.drop_column("phase_purpose")
        batch_op.drop_column("phase_position")
        batch_op.drop_column("process_id")

    with op.batch_alter_table("planning_process", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_process_facilitator_id"))
        batch_op.drop_index(batch_op.f("ix_planning_process_city_id"))
    op.drop_table("planning_process")
