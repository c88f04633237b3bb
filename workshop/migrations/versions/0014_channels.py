"""channels: paper, assisted, aggregate and online ballots; room defaults

Every ballot carries a channel and, for a keyed paper ballot, its printed code (unique per
activity). Participants have a kind (phone, assisted, paper). Activities get an online
window, workshops a default for hiding results. Helper tokens and sticker counts get
their own tables.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:10:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=20), server_default="room", nullable=False)
        )
        batch_op.add_column(sa.Column("paper_code", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint("uq_ballot_paper_code", ["activity_id", "paper_code"])
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="phone", nullable=False)
        )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("online_until", sa.DateTime(), nullable=True))
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "results_hidden_by_default", sa.Boolean(), server_default="0", nullable=False
            )
        )
    op.create_table(
        "helper_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("helper_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helper_token_workshop_id"), ["workshop_id"], unique=False
        )
    op.create_table(
        "paper_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=80), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paper_count", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_paper_count_activity_id"), ["activity_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("paper_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_count_activity_id"))
    op.drop_table("paper_count")
    with op.batch_alter_table("helper_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helper_token_workshop_id"))
    op.drop_table("helper_token")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("results_hidden_by_default")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("online_until")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_constraint("uq_ballot_paper_code", type_="unique")
        batch_op.drop_column("paper_code")
        batch_op.drop_column("channel")
